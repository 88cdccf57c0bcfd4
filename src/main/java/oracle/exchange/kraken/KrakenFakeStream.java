package oracle.exchange.kraken;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oracle.exchange.FakeMarkets;
import oracle.exchange.FakeStream;

/**
 * Kraken's WebSocket v2 ({@code /v2}) on the fake: the {@code status} message on connect, {@code
 * subscribe} to {@code trade} with one ack per symbol (v2 names, {@code BTC/USD}; the REST id and
 * the v1 {@code XBT/USD} are accepted too), the snapshot of up to 50 recent trades unless {@code
 * "snapshot": false}, {@code update} messages with contiguous {@code trade_id}, a {@code heartbeat}
 * every second once subscribed, and {@code ping} answered by {@code pong}.
 */
final class KrakenFakeStream implements FakeStream {
  /** Kraken's trade snapshot holds up to 50 trades. */
  private static final int SNAPSHOT_TRADES = 50;

  private final FakeMarkets view;

  KrakenFakeStream(FakeMarkets view) {
    this.view = view;
  }

  @Override
  public String path() {
    return "/v2";
  }

  @Override
  public void onOpen(Session session) {
    session.send(
        new JsonObject()
            .put("channel", "status")
            .put(
                "data",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("api_version", "v2")
                            .put("connection_id", System.nanoTime())
                            .put("system", "online")
                            .put("version", "2.0.4")))
            .put("type", "update")
            .encode());
  }

  @Override
  public void onMessage(Session session, String message) {
    String timeIn = Instant.now().toString();
    JsonObject request;
    try {
      request = new JsonObject(message);
    } catch (RuntimeException e) {
      session.send(
          new JsonObject()
              .put("error", "Malformed request")
              .put("success", false)
              .put("time_in", timeIn)
              .put("time_out", Instant.now().toString())
              .encode());
      return;
    }
    Object reqId = request.getValue("req_id");
    String method = String.valueOf(request.getValue("method"));
    if (method.equals("ping")) {
      JsonObject pong = new JsonObject().put("method", "pong");
      if (reqId != null) pong.put("req_id", reqId);
      session.send(pong.put("time_in", timeIn).put("time_out", Instant.now().toString()).encode());
      return;
    }
    if (!method.equals("subscribe")) return;
    JsonObject params = request.getJsonObject("params", new JsonObject());
    boolean snapshot = !Boolean.FALSE.equals(params.getValue("snapshot"));
    List<String> symbols = new ArrayList<>();
    if (params.getValue("symbol") instanceof JsonArray a) for (Object o : a) symbols.add("" + o);
    boolean first = true;
    for (String symbol : symbols) {
      String id = marketId(symbol);
      JsonObject ack =
          new JsonObject().put("method", "subscribe").put("req_id", reqId == null ? 0 : reqId);
      if (!"trade".equals(params.getValue("channel")) || !session.subscribe(id, symbol)) {
        session.send(
            ack.put("error", "Currency pair not supported " + symbol)
                .put("success", false)
                .put("symbol", symbol)
                .put("time_in", timeIn)
                .put("time_out", Instant.now().toString())
                .encode());
        continue;
      }
      session.send(
          ack.put(
                  "result",
                  new JsonObject()
                      .put("channel", "trade")
                      .put("snapshot", snapshot)
                      .put("symbol", symbol))
              .put("success", true)
              .put("time_in", timeIn)
              .put("time_out", Instant.now().toString())
              .encode());
      if (snapshot) {
        List<FakeMarkets.Trade> recent = session.recent(id, SNAPSHOT_TRADES);
        if (!recent.isEmpty()) session.send(frame("snapshot", recent, symbol));
      }
      if (first) session.every(1_000, () -> "{\"channel\":\"heartbeat\"}");
      first = false;
    }
  }

  @Override
  public String trade(FakeMarkets.Trade t, String as) {
    return frame("update", List.of(t), as);
  }

  private static String frame(String type, List<FakeMarkets.Trade> trades, String as) {
    JsonArray data = new JsonArray();
    for (FakeMarkets.Trade t : trades)
      data.add(
          new JsonObject()
              .put("symbol", as)
              .put("side", t.takerBuy() ? "buy" : "sell")
              .put("price", t.price())
              .put("qty", t.size())
              .put("ord_type", "market")
              .put("trade_id", t.seq())
              .put("timestamp", Instant.ofEpochMilli(t.timeMs()).toString()));
    return new JsonObject().put("channel", "trade").put("type", type).put("data", data).encode();
  }

  /** The REST id of a v2 symbol ({@code BTC/USD}), a v1 one ({@code XBT/USD}) or a REST id. */
  private String marketId(String symbol) {
    if (view.markets().containsKey(symbol)) return symbol;
    for (Map.Entry<String, FakeMarkets.Listing> e : view.instruments().entrySet()) {
      FakeMarkets.Listing l = e.getValue();
      String v2 = l.base() + "/" + l.quote();
      String v1 = alt(l.base()) + "/" + alt(l.quote());
      if (symbol.equals(v2) || symbol.equals(v1)) return e.getKey();
    }
    return null;
  }

  private static String alt(String asset) {
    return switch (asset) {
      case "BTC" -> "XBT";
      case "DOGE" -> "XDG";
      default -> asset;
    };
  }
}
