package oracle.http.stream;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import oracle.common.Addresses;
import oracle.common.Candle;
import oracle.http.ApiTestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live candles over SSE and over the SockJS event-bus bridge, end to end. */
class CandleStreamTest {
  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    ApiTestEnv.createSchema(ApiTestEnv.pg(vertx));
    port = ApiTestEnv.deploy(vertx, ApiTestEnv.config()).actualPort();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  static Candle candle(String symbol) {
    long minute = System.currentTimeMillis() / 60_000 * 60;
    return new Candle(
        symbol,
        minute,
        100.5,
        101.25,
        99.75,
        100.0,
        3.5,
        System.currentTimeMillis(),
        0,
        42L,
        "repaired");
  }

  @Test
  void sseDeliversACandlePublishedOnTheEventBusAndUnsubscribesOnClose() throws Exception {
    HttpClient http = vertx.createHttpClient();
    StringBuilder received = new StringBuilder();
    Promise<Void> subscribed = Promise.promise();
    Candle candle = candle("ETH/USDT");
    String json = candle.toJson().encode();
    assertThat(json).contains("\"trades\":42,\"origin\":\"repaired\"");
    // The event is the candle's JSON with "closed" added: false, as its minute is still open.
    String expected =
        "event: candle\ndata: " + json.substring(0, json.length() - 1) + ",\"closed\":false}\n\n";
    Promise<Void> delivered = Promise.promise();
    HttpClientResponse response =
        await(
            http.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setPort(port)
                        .setHost("127.0.0.1")
                        .setURI("/api/v1/market/stream?symbol=ETH/USDT"))
                .compose(req -> req.send())
                .map(
                    resp -> {
                      // Installed on the event loop as the response arrives, so no chunk goes by
                      // unseen.
                      resp.handler(
                          chunk -> {
                            received.append(chunk.toString());
                            if (received.indexOf(": subscribed ETH/USDT\n\n") >= 0)
                              subscribed.tryComplete();
                            if (received.indexOf(expected) >= 0) delivered.tryComplete();
                          });
                      return resp;
                    }));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
    await(subscribed.future());
    // Another symbol's update must not leak into this stream.
    vertx.eventBus().publish(Addresses.candle("BTC/USDT"), candle("BTC/USDT").toJson());
    vertx.eventBus().publish(Addresses.candle("ETH/USDT"), candle.toJson());
    await(delivered.future());
    assertThat(received.toString()).doesNotContain("BTC/USDT\"");
    assertThat(ApiTestEnv.metrics().sseStreams().get()).isGreaterThanOrEqualTo(1);

    await(http.close());
    long deadline = System.currentTimeMillis() + 5_000;
    while (ApiTestEnv.metrics().sseStreams().get() > 0 && System.currentTimeMillis() < deadline)
      TimeUnit.MILLISECONDS.sleep(20);
    assertThat(ApiTestEnv.metrics().sseStreams().get()).isZero();
  }

  /**
   * A SockJS client over the WebSocket transport ({@code /eventbus/<server>/<session>/websocket}):
   * frames are "o" (open), "h" (heartbeat), {@code a[...]} (messages); the client sends JSON arrays
   * of strings.
   */
  @Test
  void theEventBusBridgeSendsCandlesOutAndLetsNothingIn() {
    WebSocketClient wsClient = vertx.createWebSocketClient();
    WebSocket ws =
        await(
            wsClient.connect(
                port, "127.0.0.1", "/eventbus/000/" + System.nanoTime() + "/websocket"));
    Promise<JsonObject> candleFrame = Promise.promise();
    Promise<JsonObject> deniedRegister = Promise.promise();
    Promise<JsonObject> deniedSend = Promise.promise();
    ws.textMessageHandler(
        text -> {
          if (!text.startsWith("a")) return;
          for (Object m : new io.vertx.core.json.JsonArray(text.substring(1))) {
            JsonObject frame = new JsonObject((String) m);
            if ("rec".equals(frame.getString("type"))) candleFrame.tryComplete(frame);
            if ("err".equals(frame.getString("type")) && !deniedRegister.tryComplete(frame))
              deniedSend.tryComplete(frame);
          }
        });

    send(ws, new JsonObject().put("type", "register").put("address", "oracle.leader.elected"));
    assertThat(await(deniedRegister.future()).getString("body")).isEqualTo("access_denied");
    send(
        ws,
        new JsonObject()
            .put("type", "publish")
            .put("address", Addresses.candle("BTC/USDT"))
            .put("body", new JsonObject()));
    assertThat(await(deniedSend.future()).getString("body")).isEqualTo("access_denied");

    send(ws, new JsonObject().put("type", "register").put("address", Addresses.candle("BTC/USDT")));
    Candle candle = candle("BTC/USDT");
    // The bridge registers asynchronously: publish until the subscriber sees one.
    long timer =
        vertx.setPeriodic(
            50, id -> vertx.eventBus().publish(Addresses.candle("BTC/USDT"), candle.toJson()));
    JsonObject frame = await(candleFrame.future());
    vertx.cancelTimer(timer);
    assertThat(frame.getString("address")).isEqualTo("oracle.candle.1m.BTC/USDT");
    assertThat(frame.getJsonObject("body")).isEqualTo(candle.toJson());
    await(ws.close());
  }

  private static void send(WebSocket ws, JsonObject message) {
    ws.writeTextMessage(new io.vertx.core.json.JsonArray().add(message.encode()).encode());
  }
}
