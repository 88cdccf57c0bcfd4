package oracle.streaming;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny local WebSocket server speaking two venues' trade streams, enough for the feed's tests:
 * Binance combined streams on {@code /stream} ({@code SUBSCRIBE} acked with {@code {result,id}},
 * trades as {@code {"stream","data":{"e":"trade",...}}}) and Coinbase Exchange on {@code /} ({@code
 * subscribe} acked with {@code subscriptions}, {@code match} and {@code heartbeat}). It can keep
 * every connection busy (heartbeats every 100 ms), go silent, and drop connections.
 */
final class TinyVenueServer {
  private final Vertx vertx;
  private HttpServer server;
  private final Map<String, List<ServerWebSocket>> open = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> subscribes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> heartbeats = new ConcurrentHashMap<>();
  private long timer = -1;

  TinyVenueServer(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<TinyVenueServer> start() {
    server = vertx.createHttpServer();
    server.webSocketHandler(this::accept);
    timer = vertx.setPeriodic(100, id -> beat());
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  Future<Void> close() {
    vertx.cancelTimer(timer);
    return server.close();
  }

  int port() {
    return server.actualPort();
  }

  String url(String venue) {
    return "ws://127.0.0.1:" + server.actualPort() + (venue.equals("binance") ? "/stream" : "/");
  }

  private static String venueOf(String path) {
    return path.startsWith("/stream") ? "binance" : "coinbase";
  }

  private void accept(ServerWebSocket ws) {
    String venue = venueOf(ws.path());
    List<ServerWebSocket> list = open.computeIfAbsent(venue, k -> new CopyOnWriteArrayList<>());
    list.add(ws);
    ws.closeHandler(v -> list.remove(ws));
    ws.textMessageHandler(
        text -> {
          JsonObject m = new JsonObject(text);
          if (venue.equals("binance") && "SUBSCRIBE".equals(m.getString("method"))) {
            subscribes.computeIfAbsent(venue, k -> new AtomicInteger()).incrementAndGet();
            ws.writeTextMessage(
                new JsonObject().putNull("result").put("id", m.getValue("id")).encode());
          } else if (venue.equals("coinbase") && "subscribe".equals(m.getString("type"))) {
            subscribes.computeIfAbsent(venue, k -> new AtomicInteger()).incrementAndGet();
            ws.writeTextMessage(
                new JsonObject()
                    .put("type", "subscriptions")
                    .put("channels", m.getJsonArray("channels"))
                    .encode());
          }
        });
  }

  int subscribes(String venue) {
    AtomicInteger n = subscribes.get(venue);
    return n == null ? 0 : n.get();
  }

  int connections(String venue) {
    return open.getOrDefault(venue, List.of()).size();
  }

  /** Keeps {@code venue}'s connections busy with heartbeats (true) or not (false). */
  void heartbeats(String venue, boolean on) {
    heartbeats.put(venue, on);
  }

  void dropConnections(String venue) {
    for (ServerWebSocket ws : open.getOrDefault(venue, List.of())) ws.close();
  }

  private void beat() {
    heartbeats.forEach(
        (venue, on) -> {
          if (!on) return;
          String msg =
              venue.equals("binance")
                  // Binance has no heartbeat channel; an ack is a message the client reads as alive
                  ? new JsonObject().putNull("result").put("id", 0).encode()
                  : new JsonObject()
                      .put("type", "heartbeat")
                      .put("sequence", 1)
                      .put("last_trade_id", 0)
                      .put("product_id", "BTC-USDT")
                      .put("time", Instant.now().toString())
                      .encode();
          send(venue, msg);
        });
  }

  void binanceTrade(String market, double price, double size, long timeMs, long id) {
    JsonObject data =
        new JsonObject()
            .put("e", "trade")
            .put("E", timeMs)
            .put("s", market)
            .put("t", id)
            .put("p", Double.toString(price))
            .put("q", Double.toString(size))
            .put("T", timeMs)
            .put("m", false)
            .put("M", true);
    send(
        "binance",
        new JsonObject().put("stream", market.toLowerCase() + "@trade").put("data", data).encode());
  }

  void coinbaseMatch(
      String product, double price, double size, long timeMs, long id, boolean last) {
    send(
        "coinbase",
        new JsonObject()
            .put("type", last ? "last_match" : "match")
            .put("trade_id", id)
            .put("maker_order_id", "m" + id)
            .put("taker_order_id", "t" + id)
            .put("side", "sell")
            .put("size", Double.toString(size))
            .put("price", Double.toString(price))
            .put("product_id", product)
            .put("sequence", id * 7)
            .put("time", Instant.ofEpochMilli(timeMs).toString())
            .encode());
  }

  private void send(String venue, String msg) {
    for (ServerWebSocket ws : open.getOrDefault(venue, List.of()))
      if (!ws.isClosed()) ws.writeTextMessage(msg);
  }
}
