package oracle.common;

import io.vertx.core.json.JsonObject;

/**
 * One 1-minute OHLCV candle as the oracle passes it around: the Redis hash {@code
 * oracle:candle:{symbol}:{minute}} (fields open, high, low, close, volume, updated_at, flushed_at,
 * trades, origin), read by {@code oracle.hotstore.CandleHash}), the event-bus / pub-sub JSON, and a
 * database row all map to this.
 *
 * @param time the minute's start, Unix seconds
 * @param updatedAt last update, Unix milliseconds
 * @param flushedAt when the database confirmed it, Unix milliseconds, or 0 when not yet flushed
 * @param trades the minute's trade count over its sources, null when unknown
 * @param origin {@code repaired} or {@code backfill} ({@code oracle.hotstore.Origin}); null is live
 *     (a {@code live} given is kept as null, so equal candles are equal records)
 */
public record Candle(
    String symbol,
    long time,
    double open,
    double high,
    double low,
    double close,
    double volume,
    long updatedAt,
    long flushedAt,
    Long trades,
    String origin) {

  /** A live candle without a trade count. */
  public Candle(
      String symbol,
      long time,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long updatedAt,
      long flushedAt) {
    this(symbol, time, open, high, low, close, volume, updatedAt, flushedAt, null, null);
  }

  public Candle {
    if ("live".equals(origin)) origin = null;
  }

  /** The origin as answered: live when none is recorded. */
  public String originOrLive() {
    return origin == null ? "live" : origin;
  }

  /**
   * The event-bus / pub-sub form: {@code trades} is a number or null, {@code origin} always set
   * (the member order is PriceJson's, the encoder of the same candle on the leader).
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("symbol", symbol)
        .put("time", time)
        .put("open", open)
        .put("high", high)
        .put("low", low)
        .put("close", close)
        .put("volume", volume)
        .put("trades", trades)
        .put("origin", originOrLive())
        .put("updatedAt", updatedAt);
  }

  public static Candle fromJson(JsonObject j) {
    String origin = j.getString("origin");
    return new Candle(
        j.getString("symbol"),
        j.getLong("time"),
        j.getDouble("open"),
        j.getDouble("high"),
        j.getDouble("low"),
        j.getDouble("close"),
        j.getDouble("volume", 0.0),
        j.getLong("updatedAt", 0L),
        0L,
        j.getLong("trades"),
        origin);
  }
}
