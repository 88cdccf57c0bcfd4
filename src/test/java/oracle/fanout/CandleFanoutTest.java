package oracle.fanout;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import oracle.common.Addresses;
import oracle.config.ConfigReader;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live candles leave the oracle for other processes, and nothing comes in: a subscriber in a second
 * JVM on the clustered event bus, and a client of the TCP event-bus bridge.
 */
class CandleFanoutTest {
  private static final String SYMBOL = "BTC/USDT";
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static FanoutSettings settings(JsonObject json) {
    return FanoutSettings.from(new ConfigReader(json));
  }

  private void publishCandle(double close) {
    vertx
        .eventBus()
        .publish(
            Addresses.candle(SYMBOL),
            new JsonObject().put("symbol", SYMBOL).put("time", 1_700_000_040L).put("close", close));
  }

  @Test
  void aSubscriberInAnotherJvmReceivesTheLeadersCandlesAndCannotReachTheOracle() throws Exception {
    int oraclePort = freePort();
    int subscriberPort = freePort();
    String members = "127.0.0.1:" + oraclePort + ",127.0.0.1:" + subscriberPort;
    FanoutSettings fanout =
        settings(
            new JsonObject()
                .put(
                    "cluster",
                    new JsonObject()
                        .put("enabled", "true")
                        .put("port", oraclePort)
                        .put("members", members)));
    Vertx cluster = await(ClusterBus.join(fanout));
    Process subscriber =
        new ProcessBuilder(
                System.getProperty("java.home") + "/bin/java",
                "-cp",
                System.getProperty("java.class.path"),
                CandleSubscriber.class.getName(),
                "127.0.0.1",
                String.valueOf(subscriberPort),
                members,
                SYMBOL)
            .redirectErrorStream(true)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) lines.add(line);
              } catch (IOException ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      FanoutVerticle verticle = new FanoutVerticle(List.of(SYMBOL), fanout, cluster);
      await(vertx.deployVerticle(verticle));
      Poll.until(() -> lines.contains("READY"), Duration.ofSeconds(60));

      publishCandle(1.0);
      assertThat(verticle.forwarded()).as("a follower forwards nothing").isZero();

      vertx.eventBus().publish(Addresses.LEADER_ELECTED, new JsonObject().put("fencingToken", 7L));
      // The subscription reaches the oracle's member through the cluster's map: publish until seen.
      Poll.until(
          () -> {
            publishCandle(100.5);
            return lines.stream().anyMatch(l -> l.startsWith("CANDLE ") && l.contains("100.5"));
          },
          Duration.ofSeconds(30));
      String candle = lines.stream().filter(l -> l.startsWith("CANDLE ")).findFirst().orElseThrow();
      assertThat(new JsonObject(candle.substring(7)).getString("symbol")).isEqualTo(SYMBOL);
      Poll.until(
          () -> lines.stream().anyMatch(l -> l.startsWith("INBOUND ")), Duration.ofSeconds(30));
      assertThat(lines.stream().filter(l -> l.startsWith("INBOUND ")).findFirst().orElseThrow())
          .as("no oracle address is reachable through the cluster")
          .doesNotContain("answered");

      vertx.eventBus().publish(Addresses.LEADER_REVOKED, new JsonObject());
      Thread.sleep(200);
      long before = verticle.forwarded();
      publishCandle(2.0);
      Thread.sleep(200);
      assertThat(verticle.forwarded())
          .as("a stepped-down instance stops forwarding")
          .isEqualTo(before);
    } finally {
      subscriber.destroyForcibly();
      await(cluster.close());
    }
  }

  /** Frames of the TCP bridge: a 4-byte length, then JSON. */
  private static Buffer frame(JsonObject json) {
    Buffer body = json.toBuffer();
    return Buffer.buffer().appendInt(body.length()).appendBuffer(body);
  }

  private static void collect(NetSocket socket, List<JsonObject> into) {
    Buffer[] pending = {Buffer.buffer()};
    socket.handler(
        data -> {
          pending[0].appendBuffer(data);
          while (pending[0].length() >= 4 && pending[0].length() >= 4 + pending[0].getInt(0)) {
            int len = pending[0].getInt(0);
            into.add(new JsonObject(pending[0].getBuffer(4, 4 + len)));
            pending[0] = pending[0].getBuffer(4 + len, pending[0].length());
          }
        });
  }

  @Test
  void tcpBridgeClientsGetCandlesOnlyWithinTheirBounds() throws Exception {
    int port = freePort();
    FanoutSettings fanout =
        settings(
            new JsonObject()
                .put(
                    "tcpBridge",
                    new JsonObject()
                        .put("port", port)
                        .put("maxPerClient", 2)
                        .put("maxSubscriptions", 1)));
    await(vertx.deployVerticle(new FanoutVerticle(List.of(SYMBOL), fanout, null)));
    NetSocket client = await(vertx.createNetClient().connect(port, "127.0.0.1"));
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    collect(client, frames);
    client.write(
        frame(new JsonObject().put("type", "register").put("address", Addresses.candle(SYMBOL))));
    Poll.until(
        () -> {
          publishCandle(42.0);
          return frames.stream().anyMatch(f -> "message".equals(f.getString("type")));
        },
        Duration.ofSeconds(10));
    JsonObject message =
        frames.stream()
            .filter(f -> "message".equals(f.getString("type")))
            .findFirst()
            .orElseThrow();
    assertThat(message.getJsonObject("body").getDouble("close")).isEqualTo(42.0);

    client.write(
        frame(
            new JsonObject()
                .put("type", "send")
                .put("address", Addresses.LEADER_STATUS)
                .put("body", new JsonObject())));
    client.write(
        frame(
            new JsonObject().put("type", "register").put("address", Addresses.candle("ETH/USDT"))));
    Poll.until(
        () -> frames.stream().filter(f -> "err".equals(f.getString("type"))).count() >= 2,
        Duration.ofSeconds(10));
    assertThat(
            frames.stream()
                .filter(f -> "err".equals(f.getString("type")))
                .map(f -> f.getString("message")))
        .as("nothing goes in; one subscription per connection here")
        .containsExactlyInAnyOrder("access_denied", "blocked by bridgeEvent handler");

    NetSocket second = await(vertx.createNetClient().connect(port, "127.0.0.1"));
    NetSocket third = await(vertx.createNetClient().connect(port, "127.0.0.1"));
    boolean[] closed = new boolean[2];
    second.closeHandler(v -> closed[0] = true);
    third.closeHandler(v -> closed[1] = true);
    JsonObject subscribe =
        new JsonObject().put("type", "register").put("address", Addresses.candle(SYMBOL));
    second.write(frame(subscribe));
    Thread.sleep(200);
    third.write(frame(subscribe)); // a third connection from one address: over maxPerClient 2
    Poll.until(() -> closed[1], Duration.ofSeconds(10));
    assertThat(closed[0]).as("the second connection of one client is within its bound").isFalse();
  }
}
