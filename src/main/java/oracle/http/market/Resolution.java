package oracle.http.market;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A candle timeframe: its API name, its TradingView UDF name, its length, and the table holding it
 * (the operator contract's table names; never built from client input).
 */
public enum Resolution {
  M1("1m", "1", 60, "ohlcv_1m"),
  M5("5m", "5", 300, "ohlcv_5m"),
  M15("15m", "15", 900, "ohlcv_15m"),
  H1("1h", "60", 3_600, "ohlcv_1h"),
  H4("4h", "240", 14_400, "ohlcv_4h"),
  D1("1d", "1D", 86_400, "ohlcv_1d");

  public static final String API_NAMES = Arrays.stream(values()).map(r -> r.api).collect(Collectors.joining(","));
  public static final String UDF_NAMES = Arrays.stream(values()).map(r -> r.udf).collect(Collectors.joining(","));

  private final String api;
  private final String udf;
  private final long seconds;
  private final String table;

  Resolution(String api, String udf, long seconds, String table) {
    this.api = api;
    this.udf = udf;
    this.seconds = seconds;
    this.table = table;
  }

  public String api() {
    return api;
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

  /** The start of the bucket holding {@code epochSeconds} (buckets are aligned to the Unix epoch, i.e. UTC). */
  public long bucketStart(long epochSeconds) {
    return Math.floorDiv(epochSeconds, seconds) * seconds;
  }

  public static Resolution fromApi(String name) {
    for (Resolution r : values()) {
      if (r.api.equals(name)) return r;
    }
    return null;
  }

  /** UDF names, also accepting TradingView's aliases "D" and "1440" for a day. */
  public static Resolution fromUdf(String name) {
    if ("D".equals(name) || "1440".equals(name)) return D1;
    for (Resolution r : values()) {
      if (r.udf.equals(name)) return r;
    }
    return null;
  }
}
