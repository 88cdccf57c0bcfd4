package oracle.common;

/**
 * Redis key names of the operator contract (docs/architecture.md); never change them. The hot
 * candle store's keys are {@code oracle.hotstore.CandleKeys}.
 */
public final class RedisKeys {
  private RedisKeys() {}

  public static final String LEADER_ELECTION = "oracle:leader:election";
  public static final String LEADER_FENCING = "oracle:leader:fencing";

  /**
   * Counter numbering each grant of the leader lease ({@code lua/leader_acquire.lua}); the database
   * issues a fencing token only to a grant newer than the last one it served.
   */
  public static final String LEADER_EPOCH = "oracle:leader:epoch";

  /**
   * The leader's summary of its last tick for health (JSON {@code tickMs, newestPriceMs,
   * sourcesUsed}), so health reads one key whatever the symbol count.
   */
  public static final String PRICES_SUMMARY = "oracle:prices:summary";

  /** Pub/sub channel that relays candle updates from the leader to every instance. */
  public static final String CANDLE_CHANNEL = "oracle:candles";

  /**
   * Latest aggregated price of a symbol (JSON string: price, timestamp, sources used/dropped,
   * dispersion).
   */
  public static String price(String symbol) {
    return "oracle:price:" + symbol;
  }

  public static long minuteOf(long epochMillis) {
    return Math.floorDiv(epochMillis, 60_000L) * 60L;
  }
}
