package oracle.exchange;

import io.vertx.core.json.JsonObject;

/** Klines on the event bus (polling → backfill). */
public final class KlineJson {
  private KlineJson() {}

  public static JsonObject toJson(Kline k) {
    return new JsonObject()
        .put("exchange", k.exchange())
        .put("symbol", k.symbol())
        .put("time", k.time())
        .put("open", k.open())
        .put("high", k.high())
        .put("low", k.low())
        .put("close", k.close())
        .put("volume", k.volume())
        .put("quote", k.quoteCurrency());
  }

  public static Kline fromJson(JsonObject j) {
    return new Kline(
        j.getString("exchange"),
        j.getString("symbol"),
        j.getLong("time"),
        j.getDouble("open"),
        j.getDouble("high"),
        j.getDouble("low"),
        j.getDouble("close"),
        j.getDouble("volume"),
        j.getString("quote"));
  }
}
