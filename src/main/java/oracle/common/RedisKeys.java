package oracle.common;

/**
 * Redis key names of the operator contract (README, "Architecture"); never change them. The hot
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
