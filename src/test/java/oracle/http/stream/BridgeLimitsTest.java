package oracle.http.stream;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oracle.common.Addresses;
import oracle.http.ApiTestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event-bus bridge's bounds: sockets per client and in all, subscriptions per socket, and a
 * client that never reads is dropped instead of buffered for.
 */
class BridgeLimitsTest {
  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    ApiTestEnv.createSchema(ApiTestEnv.pg(vertx));
    JsonObject config = ApiTestEnv.config();
    config.put(
        "http",
        new JsonObject()
            .put("port", 0)
            .put(
                "bridge",
                new JsonObject()
                    .put("maxPerClient", 2)
                    .put("maxTotal", 3)
                    .put("maxSubscriptions", 2)));
    // The loopback peer is a trusted proxy: X-Forwarded-For names each test client.
    config.getJsonObject("rateLimit").put("trustedProxies", new JsonArray().add("127.0.0.1"));
    port = ApiTestEnv.deploy(vertx, config).actualPort();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  record Client(WebSocket ws, Promise<Void> closed, List<JsonObject> frames) {}

  static Client open(String ip) {
    WebSocketClient wsClient = vertx.createWebSocketClient();
    WebSocket ws =
        await(
            wsClient.connect(
                new WebSocketConnectOptions()
                    .setPort(port)
                    .setHost("127.0.0.1")
                    .setURI("/eventbus/000/" + System.nanoTime() + "/websocket")
                    .addHeader("X-Forwarded-For", ip)));
    Promise<Void> closed = Promise.promise();
    List<JsonObject> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      ws.closeHandler(v -> closed.tryComplete());
    } catch (IllegalStateException alreadyClosed) { // refused at once
      closed.tryComplete();
      return new Client(ws, closed, frames);
    }
    ws.textMessageHandler(
        text -> {
          if (text.startsWith("c")) closed.tryComplete();
          if (!text.startsWith("a")) return;
          for (Object m : new JsonArray(text.substring(1))) frames.add(new JsonObject((String) m));
        });
    return new Client(ws, closed, frames);
  }

  static boolean closedWithin(Client c, long ms) throws InterruptedException {
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      if (c.closed.future().isComplete()) return true;
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return false;
  }

  @Test
  void socketsAreCappedPerClientAndInAllAndSubscriptionsPerSocket() throws Exception {
    Client a1 = open("198.51.100.1");
    Client a2 = open("198.51.100.1");
    Client a3 = open("198.51.100.1");
    assertThat(closedWithin(a3, 3_000)).as("third socket of one client").isTrue();
    Client b1 = open("198.51.100.2");
    Client b2 = open("198.51.100.2");
    assertThat(closedWithin(b2, 3_000)).as("fourth socket in all").isTrue();
    assertThat(closedWithin(a1, 300) || closedWithin(a2, 300) || closedWithin(b1, 300)).isFalse();

    for (String symbol : List.of("BTC/USDT", "ETH/USDT", "SOL/USDT"))
      send(
          a1.ws, new JsonObject().put("type", "register").put("address", Addresses.candle(symbol)));
    long end = System.currentTimeMillis() + 3_000;
    while (a1.frames.isEmpty() && System.currentTimeMillis() < end) TimeUnit.MILLISECONDS.sleep(20);
    assertThat(a1.frames).anyMatch(f -> "err".equals(f.getString("type")));

    // A closed socket frees its slots.
    await(a2.ws.close());
    TimeUnit.MILLISECONDS.sleep(300);
    Client a4 = open("198.51.100.1");
    assertThat(closedWithin(a4, 500)).isFalse();
    for (Client c : List.of(a1, a4, b1)) await(c.ws.close());
    TimeUnit.MILLISECONDS.sleep(300);
  }

  @Test
  void aClientThatNeverReadsIsDropped() throws Exception {
    Counter dropped = ApiTestEnv.metrics().registry().counter("oracle.api.bridge.dropped");
    double before = dropped.count();
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(4096);
      s.connect(new InetSocketAddress("127.0.0.1", port));
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /eventbus/000/slow/websocket HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\nX-Forwarded-For: 198.51.100.9\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) head.append((char) in.read());
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      byte[] payload =
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("type", "register")
                      .put("address", Addresses.candle("BTC/USDT"))
                      .encode())
              .encode()
              .getBytes(StandardCharsets.UTF_8);
      // A masked text frame (mask 0: the payload goes as is).
      out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
      out.write(payload);
      out.flush();
      // Never read again; publish big candles until the server gives up on the socket.
      JsonObject big = new JsonObject().put("pad", "x".repeat(60_000));
      long end = System.currentTimeMillis() + 20_000;
      while (dropped.count() == before && System.currentTimeMillis() < end) {
        for (int i = 0; i < 20; i++) vertx.eventBus().publish(Addresses.candle("BTC/USDT"), big);
        TimeUnit.MILLISECONDS.sleep(10);
      }
      assertThat(dropped.count()).isGreaterThan(before);
    }
  }

  private static void send(WebSocket ws, JsonObject message) {
    ws.writeTextMessage(new JsonArray().add(message.encode()).encode());
  }
}
