package oracle.hotstore;

/**
 * The Redis names of the hot candle store (docs/architecture.md; never change them): one hash per
 * symbol and minute, and the dirty set of the keys the database may lack. Only this package names
 * them ({@code ArchitectureTest}); the Lua scripts name the dirty set too.
 */
public final class CandleKeys {
  private CandleKeys() {}

  public static final String PREFIX = "oracle:candle:";

  /**
   * Set of the candle keys the database may lack, kept by {@code lua/update_candle.lua} (added on
   * every change) and {@code lua/mark_flushed.lua} (removed when marked).
   */
  public static final String DIRTY = "oracle:flush:dirty";

  /** {@code oracle:candle:{symbol}:{minuteEpochSeconds}}. */
  public static String candle(String symbol, long minuteEpochSeconds) {
    return PREFIX + symbol + ":" + minuteEpochSeconds;
  }

  /** The symbol of a {@link #candle} key, or null when the key has no symbol and minute part. */
  public static String symbolOf(String key) {
    int colon = key.lastIndexOf(':');
    return colon > PREFIX.length() ? key.substring(PREFIX.length(), colon) : null;
  }

  /** The minute of a {@link #candle} key, or {@link Long#MIN_VALUE} when it has none. */
  public static long minuteOf(String key) {
    try {
      return Long.parseLong(key.substring(key.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }
}
