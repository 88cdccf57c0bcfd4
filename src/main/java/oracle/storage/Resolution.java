package oracle.storage;

import java.util.List;

/** Candle resolutions the database serves, each with its table (plain path) or continuous aggregate (TimescaleDB). */
public enum Resolution {
  M1("1m", 60, "ohlcv_1m"),
  M5("5m", 300, "ohlcv_5m"),
  M15("15m", 900, "ohlcv_15m"),
  H1("1h", 3_600, "ohlcv_1h"),
  H4("4h", 14_400, "ohlcv_4h"),
  D1("1d", 86_400, "ohlcv_1d");

  /** Every resolution above one minute, each an exact multiple of the one before it. */
  public static final List<Resolution> ROLLUPS = List.of(M5, M15, H1, H4, D1);

  private final String label;
  private final long seconds;
  private final String table;

  Resolution(String label, long seconds, String table) {
    this.label = label;
    this.seconds = seconds;
    this.table = table;
  }

  public String label() {
    return label;
  }

  public long seconds() {
    return seconds;
  }

  public String table() {
    return table;
  }

  /**
   * Start of the bucket holding {@code epochSec}. Every width divides a day, so buckets are aligned to
   * UTC midnight exactly like TimescaleDB's {@code time_bucket} (origin 2000-01-03 00:00 UTC).
   */
  public long bucketStart(long epochSec) {
    return epochSec - Math.floorMod(epochSec, seconds);
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static Resolution parse(String label) {
    for (Resolution r : values()) {
      if (r.label.equals(label)) return r;
    }
    throw new IllegalArgumentException("unknown resolution '" + label + "' (expected 1m, 5m, 15m, 1h, 4h or 1d)");
  }
}
