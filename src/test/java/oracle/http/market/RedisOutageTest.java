package oracle.http.market;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.io.File;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oracle.common.RedisKeys;
import oracle.http.ApiTestEnv;
import oracle.http.H1Env;
import oracle.storage.Resolution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With Redis down, the API still serves the history the database has, marked partial; 503 stays for
 * a database that does not answer. Redis here is a redis-server of this test's own (port 16501),
 * killed mid-test; PostgreSQL h1_http.
 */
class RedisOutageTest {
  static Vertx vertx;
  static Pool pg;
  static Process redisServer;
  static WebClient client;
  static int port;
  static long now;

  @BeforeAll
  static void start() throws Exception {
    redisServer =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(H1Env.OWN_REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectOutput(new File("target/h1-redis-outage.log"))
            .redirectErrorStream(true)
            .start();
    waitForPort(H1Env.OWN_REDIS_PORT);
    vertx = ApiTestEnv.vertx();
    pg = H1Env.pg(vertx);
    H1Env.createSchema(pg);
    now = RedisKeys.minuteOf(System.currentTimeMillis());
    // The last day of minutes in the database, up to two minutes ago (the flush's usual lag).
    List<Bar> day = new ArrayList<>();
    for (long t = now - 86_400; t <= now - 120; t += 60)
      day.add(new Bar(t, 100, 101, 99, 100.5, 1));
    await(
        pg.preparedQuery("DELETE FROM ohlcv_1m WHERE symbol = $1")
            .execute(io.vertx.sqlclient.Tuple.of("BTC/USDT")));
    ApiTestEnv.insert(pg, Resolution.M1, "BTC/USDT", day);
    // Their hourly rollups, as the flush keeps them on the plain PostgreSQL path.
    List<Bar> hours = new ArrayList<>();
    for (long h = Resolution.H1.bucketStart(now - 86_400); h <= now; h += 3_600)
      hours.add(new Bar(h, 100, 101, 99, 100.5, 60));
    await(
        pg.preparedQuery("DELETE FROM ohlcv_1h WHERE symbol = $1")
            .execute(io.vertx.sqlclient.Tuple.of("BTC/USDT")));
    ApiTestEnv.insert(pg, Resolution.H1, "BTC/USDT", hours);
    JsonObject config =
        H1Env.config(0)
            .put(
                "redis",
                new JsonObject().put("url", "redis://127.0.0.1:" + H1Env.OWN_REDIS_PORT + "/0"));
    port = ApiTestEnv.deploy(vertx, config).actualPort();
    client = WebClient.create(vertx);
    ApiTestEnv.putHot(
        Redis.createClient(vertx, "redis://127.0.0.1:" + H1Env.OWN_REDIS_PORT + "/0"),
        "BTC/USDT",
        new Bar(now, 100.5, 102, 100, 101, 0.5));
  }

  @AfterAll
  static void stop() {
    if (redisServer != null) redisServer.destroyForcibly();
    if (vertx != null) await(vertx.close());
  }

  static void waitForPort(int p) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", p)) {
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("redis-server did not start on " + p);
  }

  private HttpResponse<Buffer> get(String uri) {
    return await(client.get(port, "127.0.0.1", uri).send());
  }

  @Test
  void historyIsServedFromTheDatabaseMarkedPartial() throws Exception {
    String hourly = "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1h&from=" + (now - 86_400);
    String lastHour = "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=" + (now - 3_600);
    String udf =
        "/api/v1/udf/history?symbol=BTC/USDT&resolution=60&from="
            + (now - 86_400)
            + "&to="
            + (now + 60);

    JsonObject before = get(lastHour).bodyAsJsonObject();
    assertThat(before.getBoolean("partial")).isFalse();
    assertThat(
            before
                .getJsonArray("candles")
                .getJsonObject(before.getJsonArray("candles").size() - 1)
                .getLong("time"))
        .isEqualTo(now);

    redisServer.destroyForcibly();
    assertThat(redisServer.waitFor(10, TimeUnit.SECONDS)).isTrue();

    HttpResponse<Buffer> h = get(hourly);
    HttpResponse<Buffer> m = get(lastHour);
    HttpResponse<Buffer> u = get(udf);
    System.out.println(
        "redis down: 1h "
            + h.statusCode()
            + " "
            + h.bodyAsJsonObject().getJsonArray("candles").size()
            + " candles, 1m "
            + m.statusCode()
            + " "
            + m.bodyAsJsonObject().getJsonArray("candles").size()
            + " candles, udf "
            + u.statusCode());
    for (HttpResponse<Buffer> r : List.of(h, m, u)) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getBoolean("partial")).isTrue();
      assertThat(r.bodyAsJsonObject().getString("partialReason")).isEqualTo("redis_unavailable");
    }
    assertThat(h.bodyAsJsonObject().getJsonArray("candles").size()).isBetween(24, 25);
    // The database's minutes of the last hour, without the live one Redis held.
    assertThat(m.bodyAsJsonObject().getJsonArray("candles")).hasSize(59);
    assertThat(u.bodyAsJsonObject().getString("s")).isEqualTo("ok");
    assertThat(u.bodyAsJsonObject().getJsonArray("t").size()).isBetween(24, 25);
  }

  @Test
  void anUnreachableDatabaseIsStill503() {
    Vertx other = ApiTestEnv.vertx();
    try {
      JsonObject config =
          H1Env.config(0)
              .put(
                  "redis",
                  new JsonObject().put("url", "redis://127.0.0.1:" + H1Env.OWN_REDIS_PORT + "/0"))
              .put(
                  "postgres",
                  new JsonObject().put("url", "postgresql://postgres@127.0.0.1:1/none"));
      int p = ApiTestEnv.deploy(other, config).actualPort();
      HttpResponse<Buffer> r =
          await(
              WebClient.create(other)
                  .get(p, "127.0.0.1", "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m")
                  .send());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
    } finally {
      await(other.close());
    }
  }
}
