package oracle.exchange.binance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import oracle.exchange.FakeMarkets;
import oracle.exchange.FakeStream;

/**
 * Binance's combined-stream endpoint ({@code /stream}) on the fake: {@code SUBSCRIBE} requests of
 * {@code <symbol>@trade} streams answered {@code {"result":null,"id":..}}, trades pushed as {@code
 * {"stream","data"}} with contiguous ids {@code t}. Binance pings at the WebSocket level (Vert.x
 * answers); it sends no trade on subscribing.
 */
final class BinanceFakeStream implements FakeStream {
  @Override
  public String path() {
    return "/stream";
  }

  @Override
  public void onMessage(Session session, String message) {
    JsonObject request;
    try {
      request = new JsonObject(message);
    } catch (RuntimeException e) {
      session.send(error(null, -1000, "Invalid JSON"));
      return;
    }
    Object id = request.getValue("id");
    String method = String.valueOf(request.getValue("method"));
    if (method.equals("SUBSCRIBE") && request.getValue("params") instanceof JsonArray params) {
      for (Object p : params) {
        String stream = String.valueOf(p);
        if (stream.endsWith("@trade"))
          session.subscribe(
              stream.substring(0, stream.length() - "@trade".length()).toUpperCase(Locale.ROOT),
              stream);
      }
      session.send(new JsonObject().put("result", null).put("id", id).encode());
    } else if (method.equals("UNSUBSCRIBE") || method.equals("LIST_SUBSCRIPTIONS")) {
      session.send(new JsonObject().put("result", null).put("id", id).encode());
    } else {
      session.send(error(id, 2, "Invalid request: unknown method " + method));
    }
  }

  @Override
  public String trade(FakeMarkets.Trade t, String as) {
    JsonObject data =
        new JsonObject()
            .put("e", "trade")
            .put("E", System.currentTimeMillis())
            .put("s", t.market())
            .put("t", t.seq())
            .put("p", FakeMarkets.decimal(t.price()))
            .put("q", FakeMarkets.decimal(t.size()))
            .put("T", t.timeMs())
            .put("m", !t.takerBuy()) // the buyer was the maker: the taker sold
            .put("M", true);
    return new JsonObject().put("stream", as).put("data", data).encode();
  }

  private static String error(Object id, int code, String msg) {
    return new JsonObject()
        .put("error", new JsonObject().put("code", code).put("msg", msg))
        .put("id", id)
        .encode();
  }
}
