package oracle.relay;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import oracle.common.Addresses;
import oracle.common.RedisKeys;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The candle relay against its own {@code redis-server} (port 16950: pub/sub channels are shared by
 * all databases, so never the shared server), which the test starts late, kills and restarts.
 */
class CandleRelayTest {
  private static final int PORT = 16950;
  private static final String URL = "redis://127.0.0.1:" + PORT;

  private Vertx vertx;
  private Process server;
  private CandleRelay relay;
  private final List<JsonObject> relayed = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.candle("BTC/USDT"), m -> relayed.add(m.body()));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (relay != null) await(relay.stop());
    stopServer();
    await(vertx.close());
  }

  private void startServer() throws IOException {
    server =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Poll.until(
        () -> {
          try (Socket s = new Socket("127.0.0.1", PORT)) {
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(5));
  }

  private void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor();
      server = null;
    }
  }

  private long subscribers(Redis client) {
    return await(
            client.send(Request.cmd(Command.PUBSUB).arg("NUMSUB").arg(RedisKeys.CANDLE_CHANNEL)))
        .get(1)
        .toLong();
  }

  /** Publishes once the relay's subscription is live. */
  private void publish(String payload) {
    Redis pub = Redis.createClient(vertx, URL);
    try {
      Poll.until(() -> subscribers(pub) > 0, Duration.ofSeconds(5));
      await(pub.send(Request.cmd(Command.PUBLISH).arg(RedisKeys.CANDLE_CHANNEL).arg(payload)));
    } finally {
      pub.close();
    }
  }

  private static String message(String origin, double close) {
    return new JsonObject()
        .put("origin", origin)
        .put(
            "candles",
            new JsonArray().add(new JsonObject().put("symbol", "BTC/USDT").put("close", close)))
        .encode();
  }

  @Test
  void relaysOtherInstancesCandlesSkipsItsOwnAndMalformedOnesAndFollowsRedisRestarts()
      throws Exception {
    relay = new CandleRelay(vertx, URL, "me");
    await(relay.start()); // Redis down: starts anyway, retrying every second
    startServer();

    publish(message("me", 1)); // its own tick: already published locally
    publish("{not json"); // ignored, the subscription survives
    publish(message("leader", 2));
    Poll.until(() -> relayed.size() == 1, Duration.ofSeconds(5));
    assertThat(relayed.get(0).getDouble("close")).isEqualTo(2.0);

    stopServer(); // the connection drops: it re-subscribes once Redis is back
    startServer();
    publish(message("leader", 3));
    Poll.until(() -> relayed.size() == 2, Duration.ofSeconds(5));
    assertThat(relayed.get(1).getDouble("close")).isEqualTo(3.0);

    await(relay.stop());
    relay = null;
    Thread.sleep(200);
    Redis pub = Redis.createClient(vertx, URL);
    try {
      assertThat(subscribers(pub)).as("stopped: unsubscribed, no reconnect").isZero();
    } finally {
      pub.close();
    }
  }
}
