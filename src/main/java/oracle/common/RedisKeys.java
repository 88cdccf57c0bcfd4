package oracle.common;

/** Redis key names of the operator contract (README, "Architecture"); never change them. */
public final class RedisKeys {
  private RedisKeys() {}

  public static final String LEADER_ELECTION = "oracle:leader:election";
  public static final String LEADER_FENCING = "oracle:leader:fencing";

  /**
   * Counter numbering each grant of the leader lease ({@code lua/leader_acquire.lua}); the database
   * issues a fencing token only to a grant newer than the last one it served.
   */
  public static final String LEADER_EPOCH = "oracle:leader:epoch";

  public static final String CANDLE_PREFIX = "oracle:candle:";

  /**
   * Set of the candle keys the database may lack, kept by {@code lua/update_candle.lua} (added on
   * every change) and {@code lua/mark_flushed.lua} (removed when marked); the Lua scripts name it
   * too.
   */
  public static final String FLUSH_DIRTY = "oracle:flush:dirty";

  /** Pub/sub channel that relays candle updates from the leader to every instance. */
  public static final String CANDLE_CHANNEL = "oracle:candles";

  /**
   * Latest aggregated price of a symbol (JSON string: price, timestamp, sources used/dropped,
   * dispersion).
   */
  public static String price(String symbol) {
    return "oracle:price:" + symbol;
  }

  /** {@code oracle:candle:{symbol}:{minuteEpochSeconds}}. */
  public static String candle(String symbol, long minuteEpochSeconds) {
    return CANDLE_PREFIX + symbol + ":" + minuteEpochSeconds;
  }

  /** The symbol of a {@link #candle} key, or null when the key has no symbol and minute part. */
  public static String candleSymbol(String key) {
    int colon = key.lastIndexOf(':');
    return colon > CANDLE_PREFIX.length() ? key.substring(CANDLE_PREFIX.length(), colon) : null;
  }

  /** The minute of a {@link #candle} key, or {@link Long#MIN_VALUE} when it has none. */
  public static long candleMinute(String key) {
    try {
      return Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  public static long minuteOf(long epochMillis) {
    return Math.floorDiv(epochMillis, 60_000L) * 60L;
  }
}
