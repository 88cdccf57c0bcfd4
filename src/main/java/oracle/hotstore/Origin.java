package oracle.hotstore;

import java.util.Set;

/**
 * Where a 1-minute candle's numbers came from (the candle hash field {@code origin}, the {@code
 * ohlcv_1m.origin} column and the API's {@code origin} member). A candle without one is {@link
 * #LIVE}.
 */
public final class Origin {
  /** Built from the live ticks (and, once closed out, every source's complete trade stream). */
  public static final String LIVE = "live";

  /**
   * Closed out with at least one source's minute taken from its REST kline (its stream had a gap).
   */
  public static final String REPAIRED = "repaired";

  /** Written from the exchanges' klines by the backfill, never seen live. */
  public static final String BACKFILL = "backfill";

  /** Every origin, for validating input. */
  public static final Set<String> ALL = Set.of(LIVE, REPAIRED, BACKFILL);

  private Origin() {}

  /** Whether {@code origin} is one of the three. */
  public static boolean valid(String origin) {
    return origin != null && ALL.contains(origin);
  }
}
