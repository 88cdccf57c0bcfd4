package oracle.exchange.bybit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import oracle.exchange.FakeMarkets;
import oracle.exchange.FakeStream;

/**
 * Bybit v5 spot ({@code /v5/public/spot}) on the fake: {@code subscribe} to {@code
 * publicTrade.<SYMBOL>} (at most 10 args a request, as on spot), acked {@code success}/{@code
 * ret_msg}; trades pushed as {@code "type": "snapshot"} with numeric-string ids that are not
 * contiguous, as Bybit's; {@code {"op":"ping"}} answered with {@code "op":"ping"}, {@code
 * "ret_msg":"pong"}.
 */
final class BybitFakeStream implements FakeStream {
  private static final int MAX_ARGS = 10;
  private final String connId = UUID.randomUUID().toString();

  @Override
  public String path() {
    return "/v5/public/spot";
  }

  @Override
  public void onMessage(Session session, String message) {
    JsonObject request;
    try {
      request = new JsonObject(message);
    } catch (RuntimeException e) {
      session.send(answer("", null, false, "Invalid request"));
      return;
    }
    String op = String.valueOf(request.getValue("op"));
    Object reqId = request.getValue("req_id");
    if (op.equals("ping")) {
      session.send(answer("ping", reqId, true, "pong"));
      return;
    }
    if (!op.equals("subscribe") || !(request.getValue("args") instanceof JsonArray args)) {
      session.send(answer(op, reqId, false, "Invalid op " + op));
      return;
    }
    if (args.size() > MAX_ARGS) {
      session.send(answer(op, reqId, false, "args size >" + MAX_ARGS));
      return;
    }
    List<String> invalid = new ArrayList<>();
    for (Object a : args) {
      String topic = String.valueOf(a);
      String symbol =
          topic.startsWith("publicTrade.") ? topic.substring("publicTrade.".length()) : null;
      if (symbol == null || !session.subscribe(symbol, topic)) invalid.add(topic);
    }
    session.send(
        invalid.isEmpty()
            ? answer(op, reqId, true, "subscribe")
            : answer(op, reqId, false, "Invalid symbol :" + invalid));
  }

  @Override
  public String trade(FakeMarkets.Trade t, String as) {
    return new JsonObject()
        .put("topic", as)
        .put("ts", System.currentTimeMillis())
        .put("type", "snapshot")
        .put(
            "data",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("i", "229" + String.format("%016d", t.seq() * 7))
                        .put("T", t.timeMs())
                        .put("p", FakeMarkets.decimal(t.price()))
                        .put("v", FakeMarkets.decimal(t.size()))
                        .put("S", t.takerBuy() ? "Buy" : "Sell")
                        .put("s", t.market())
                        .put("BT", false)))
        .encode();
  }

  private String answer(String op, Object reqId, boolean success, String msg) {
    JsonObject o = new JsonObject().put("success", success).put("ret_msg", msg);
    o.put("conn_id", connId);
    if (reqId != null) o.put("req_id", reqId);
    return o.put("op", op).encode();
  }
}
