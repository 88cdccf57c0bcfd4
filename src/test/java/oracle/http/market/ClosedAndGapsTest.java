package oracle.http.market;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import oracle.common.RedisKeys;
import oracle.http.ApiTestEnv;
import oracle.http.H1Env;
import oracle.storage.Resolution;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OHLCV answers mark the candle still forming ({@code "closed": false}) and list the minutes the
 * oracle has no candle for as {@code gaps}, while a quiet minute (a zero-volume candle) is an
 * ordinary candle. PostgreSQL h1_http, Redis DB 11.
 */
class ClosedAndGapsTest {
  /** 2024-03-01T00:00:00Z: old history, never in Redis. */
  static final long T0 = 1_709_251_200L;

  static Vertx vertx;
  static Pool pg;
  static Redis redis;
  static WebClient client;
  static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    pg = H1Env.pg(vertx);
    H1Env.createSchema(pg);
    for (Resolution r : Resolution.values()) await(pg.query("TRUNCATE " + r.table()).execute());
    TestEnv.flushRedis(vertx, H1Env.REDIS_DB_2);
    redis = Redis.createClient(vertx, TestEnv.redisUrl(H1Env.REDIS_DB_2));
    port = ApiTestEnv.deploy(vertx, H1Env.config(H1Env.REDIS_DB_2)).actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private JsonObject get(String uri) {
    var r = await(client.get(port, "127.0.0.1", uri).send());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  void missedMinutesAreGapsAndQuietMinutesAreCandles() {
    List<Bar> stored = new ArrayList<>();
    stored.add(new Bar(T0, 10, 11, 9, 10.5, 2));
    stored.add(new Bar(T0 + 60, 10.5, 11, 10, 10.2, 1));
    // T0+120 and T0+180: the oracle was down, no candle.
    stored.add(
        new Bar(T0 + 240, 10.2, 10.2, 10.2, 10.2, 0)); // a quiet minute: no trade, but a candle
    stored.add(new Bar(T0 + 300, 10.2, 10.4, 10.1, 10.3, 3));
    ApiTestEnv.insert(pg, Resolution.M1, "ETH/USDT", stored);

    JsonObject body =
        get("/api/v1/market/ohlcv?symbol=ETH/USDT&resolution=1m&from=" + T0 + "&to=" + (T0 + 420));
    System.out.println(
        "gaps: " + body.getJsonArray("gaps") + " candles: " + body.getJsonArray("candles").size());
    assertThat(body.getJsonArray("candles")).hasSize(4);
    assertThat(body.getJsonArray("gaps"))
        .isEqualTo(
            new JsonArray()
                .add(new JsonObject().put("from", T0 + 120).put("to", T0 + 180))
                .add(new JsonObject().put("from", T0 + 360).put("to", T0 + 420)));
    JsonObject quiet = body.getJsonArray("candles").getJsonObject(2);
    assertThat(quiet.getLong("time")).isEqualTo(T0 + 240);
    assertThat(quiet.getDouble("volume")).isZero();
    assertThat(body.getBoolean("partial")).isFalse();
    for (Object c : body.getJsonArray("candles"))
      assertThat(((JsonObject) c).getBoolean("closed")).isTrue();

    // A second read is served from the closed-history cache's ready-made bytes: same answer.
    assertThat(
            get(
                "/api/v1/market/ohlcv?symbol=ETH/USDT&resolution=1m&from="
                    + T0
                    + "&to="
                    + (T0 + 420)))
        .isEqualTo(body);
  }

  @Test
  void onlyTheFormingCandleIsOpen() {
    long now = RedisKeys.minuteOf(System.currentTimeMillis());
    List<Bar> stored = new ArrayList<>();
    for (long t = now - 600; t < now - 60; t += 60) stored.add(new Bar(t, 1, 2, 0.5, 1.5, 1));
    ApiTestEnv.insert(pg, Resolution.M1, "SOL/USDT", stored);
    ApiTestEnv.putHot(redis, "SOL/USDT", new Bar(now - 60, 1.5, 1.6, 1.4, 1.55, 1));
    ApiTestEnv.putHot(redis, "SOL/USDT", new Bar(now, 1.55, 1.7, 1.5, 1.65, 0.5));

    JsonObject body = get("/api/v1/market/ohlcv?symbol=SOL/USDT&resolution=1m&from=" + (now - 600));
    JsonArray candles = body.getJsonArray("candles");
    assertThat(candles).hasSize(11);
    for (int i = 0; i < candles.size() - 1; i++)
      assertThat(candles.getJsonObject(i).getBoolean("closed")).isTrue();
    JsonObject forming = candles.getJsonObject(candles.size() - 1);
    assertThat(forming.getLong("time")).isEqualTo(now);
    assertThat(forming.getBoolean("closed")).isFalse();
    assertThat(body.getJsonArray("gaps")).isEmpty(); // the forming minute is never a gap

    JsonArray hours =
        get("/api/v1/market/ohlcv?symbol=SOL/USDT&resolution=1h&from=" + (now - 600))
            .getJsonArray("candles");
    JsonObject hour = hours.getJsonObject(hours.size() - 1);
    assertThat(hour.getLong("time")).isEqualTo(Resolution.H1.bucketStart(now));
    assertThat(hour.getBoolean("closed")).isFalse();
  }
}
