package oracle.exchange.okx;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import oracle.exchange.FakeMarkets;
import oracle.exchange.FakeStream;

/**
 * OKX v5 public ({@code /ws/v5/public}) on the fake: {@code subscribe} to {@code trades} with one
 * {@code event: subscribe} ack per argument (an unknown instrument gets {@code event: error}), the
 * latest trade pushed on subscribing as OKX does, pushes with contiguous {@code tradeId} and {@code
 * count} 1, and the text {@code ping} answered by {@code pong}.
 */
final class OkxFakeStream implements FakeStream {
  private final String connId = Long.toHexString(System.nanoTime() & 0xffffffffL);

  @Override
  public String path() {
    return "/ws/v5/public";
  }

  @Override
  public void onMessage(Session session, String message) {
    if (message.equals("ping")) {
      session.send("pong");
      return;
    }
    JsonObject request;
    try {
      request = new JsonObject(message);
    } catch (RuntimeException e) {
      session.send(error("60012", "Invalid request: " + message));
      return;
    }
    if (!"subscribe".equals(request.getValue("op"))
        || !(request.getValue("args") instanceof JsonArray args)) {
      session.send(error("60012", "Invalid request: " + message));
      return;
    }
    for (Object a : args) {
      if (!(a instanceof JsonObject arg)) continue;
      String instId = arg.getString("instId", "");
      if (!"trades".equals(arg.getValue("channel")) || !session.subscribe(instId, instId)) {
        session.send(
            error(
                "60018",
                "Wrong URL or channel:"
                    + arg.getValue("channel")
                    + ",instId:"
                    + instId
                    + " doesn't exist."));
        continue;
      }
      session.send(
          new JsonObject()
              .put("event", "subscribe")
              .put("arg", new JsonObject().put("channel", "trades").put("instId", instId))
              .put("connId", connId)
              .encode());
      FakeMarkets.Trade last = session.last(instId);
      if (last != null) session.send(trade(last, instId));
    }
  }

  @Override
  public String trade(FakeMarkets.Trade t, String as) {
    return new JsonObject()
        .put("arg", new JsonObject().put("channel", "trades").put("instId", as))
        .put(
            "data",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("instId", as)
                        .put("tradeId", Long.toString(t.seq()))
                        .put("px", FakeMarkets.decimal(t.price()))
                        .put("sz", FakeMarkets.decimal(t.size()))
                        .put("side", t.takerBuy() ? "buy" : "sell")
                        .put("ts", Long.toString(t.timeMs()))
                        .put("count", "1")))
        .encode();
  }

  private String error(String code, String msg) {
    return new JsonObject()
        .put("event", "error")
        .put("code", code)
        .put("msg", msg)
        .put("connId", connId)
        .encode();
  }
}
