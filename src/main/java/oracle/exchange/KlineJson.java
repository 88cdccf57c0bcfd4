package oracle.exchange;

import io.vertx.core.json.JsonObject;

/**
 * Klines on the event bus (polling → backfill and the close-out's repair), with their currency and
 * trade count ({@code trades}, absent when the exchange does not say).
 */
public final class KlineJson {
  private KlineJson() {}

  public static JsonObject toJson(Kline k) {
    JsonObject j =
        new JsonObject()
            .put("exchange", k.exchange())
            .put("symbol", k.symbol())
            .put("time", k.time())
            .put("open", k.open())
            .put("high", k.high())
            .put("low", k.low())
            .put("close", k.close())
            .put("volume", k.volume())
            .put("quote", k.quoteCurrency());
    if (k.trades() >= 0) j.put("trades", k.trades());
    return j;
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
        j.getString("quote"),
        j.containsKey("trades") ? j.getLong("trades") : -1);
  }
}
