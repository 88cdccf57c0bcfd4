package oracle.storage;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Candle resolutions: the API name, the TradingView UDF name, the length, and the table (plain
 * path) or continuous aggregate (TimescaleDB) holding them; table names never come from client
 * input.
 */
public enum Resolution {
  M1("1m", "1", 60, "ohlcv_1m"),
  M5("5m", "5", 300, "ohlcv_5m"),
  M15("15m", "15", 900, "ohlcv_15m"),
  H1("1h", "60", 3_600, "ohlcv_1h"),
  H4("4h", "240", 14_400, "ohlcv_4h"),
  D1("1d", "1D", 86_400, "ohlcv_1d");

  public static final String API_NAMES =
      Arrays.stream(values()).map(r -> r.label).collect(Collectors.joining(","));
  public static final String UDF_NAMES =
      Arrays.stream(values()).map(r -> r.udf).collect(Collectors.joining(","));

  /** Every resolution above one minute, each an exact multiple of the one before it. */
  public static final List<Resolution> ROLLUPS = List.of(M5, M15, H1, H4, D1);

  private final String label;
  private final String udf;
  private final long seconds;
  private final String table;

  Resolution(String label, String udf, long seconds, String table) {
    this.label = label;
    this.udf = udf;
    this.seconds = seconds;
    this.table = table;
  }

  /** The API name: 1m, 5m, 15m, 1h, 4h, 1d. */
  public String label() {
    return label;
  }

  public String udf() {
    return udf;
  }

  public long seconds() {
    return seconds;
  }

  public String table() {
    return table;
  }

  /**
   * Start of the bucket holding {@code epochSec}. Every width divides a day, so buckets are aligned
   * to UTC midnight exactly like TimescaleDB's {@code time_bucket} (origin 2000-01-03 00:00 UTC).
   */
  public long bucketStart(long epochSec) {
    return epochSec - Math.floorMod(epochSec, seconds);
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Resolution parse(String label) {
    Resolution r = fromApi(label);
    if (r == null)
      throw new IllegalArgumentException(
          "unknown resolution '" + label + "' (expected " + API_NAMES + ")");
    return r;
  }

  /** The resolution with this API name, or null. */
  public static Resolution fromApi(String name) {
    for (Resolution r : values()) {
      if (r.label.equals(name)) return r;
    }
    return null;
  }

  /**
   * The resolution with this UDF name, also accepting TradingView's aliases "D" and "1440" for a
   * day; or null.
   */
  public static Resolution fromUdf(String name) {
    if ("D".equals(name) || "1440".equals(name)) return D1;
    for (Resolution r : values()) {
      if (r.udf.equals(name)) return r;
    }
    return null;
  }
}
