package oracle.common;

import io.vertx.core.json.JsonObject;

/**
 * One 1-minute OHLCV candle as the oracle passes it around: the Redis hash {@code
 * oracle:candle:{symbol}:{minute}} (fields open, high, low, close, volume, updated_at, flushed_at),
 * read by {@code oracle.hotstore.CandleHash}), the event-bus / pub-sub JSON, and a database row all
 * map to this.
 *
 * @param time the minute's start, Unix seconds
 * @param updatedAt last update, Unix milliseconds
 * @param flushedAt when the database confirmed it, Unix milliseconds, or 0 when not yet flushed
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
    long flushedAt) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("symbol", symbol)
        .put("time", time)
        .put("open", open)
        .put("high", high)
        .put("low", low)
        .put("close", close)
        .put("volume", volume)
        .put("updatedAt", updatedAt);
  }

  public static Candle fromJson(JsonObject j) {
    return new Candle(
        j.getString("symbol"),
        j.getLong("time"),
        j.getDouble("open"),
        j.getDouble("high"),
        j.getDouble("low"),
        j.getDouble("close"),
        j.getDouble("volume", 0.0),
        j.getLong("updatedAt", 0L),
        0L);
  }
}
