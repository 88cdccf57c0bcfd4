package oracle.http;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import oracle.common.RedisKeys;
import oracle.flush.Flusher;
import oracle.hotstore.CandleKeys;
import oracle.storage.CandleRepository;
import oracle.storage.StorageFlavor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 item 3: after Redis lost part of a minute (a restart at its second 33), the flush merges
 * the rebuilt hot candle into the stored row (the true open survives); from then on the API answers
 * the stored, merged minute, not the degraded hash Redis keeps for its TTL. Real Redis (DB 4) and
 * PostgreSQL (oracle_api), the real flush and the real HTTP API.
 */
class FlushedMinuteAnswerTest {
  private static final String SYMBOL = "BTC/USDT";
  private static Vertx vertx;
  private static Pool pg;
  private static Redis redis;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    pg = ApiTestEnv.pg(vertx);
    ApiTestEnv.createSchema(pg);
    ApiTestEnv.clear(vertx, pg);
    redis = ApiTestEnv.redis(vertx);
    client = WebClient.create(vertx);
    port =
        ApiTestEnv.deploy(vertx, ApiTestEnv.config().put("http", new JsonObject().put("port", 0)))
            .actualPort();
  }

  @AfterAll
  static void stop() {
    ApiTestEnv.clear(vertx, pg);
    await(vertx.close());
  }

  /** As update_candle.lua leaves a minute: prices, ticks, updated_at, and the key dirty. */
  private static void hot(
      long minute, double open, double high, double low, double close, long firstMs) {
    String key = CandleKeys.candle(SYMBOL, minute);
    await(redis.send(Request.cmd(Command.DEL).arg(key)));
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(key)
                .arg("open")
                .arg(Double.toString(open))
                .arg("high")
                .arg(Double.toString(high))
                .arg("low")
                .arg(Double.toString(low))
                .arg("close")
                .arg(Double.toString(close))
                .arg("volume")
                .arg("2")
                .arg("sources")
                .arg("binance")
                .arg("first_tick_at")
                .arg(Long.toString(firstMs))
                .arg("last_tick_at")
                .arg(Long.toString(minute * 1000 + 58_000))
                .arg("updated_at")
                .arg(Long.toString(System.currentTimeMillis()))));
    await(redis.send(Request.cmd(Command.SADD).arg(CandleKeys.DIRTY).arg(key)));
  }

  private static JsonObject answered(long minute) {
    return answered("1m", minute);
  }

  private static JsonObject answered(String resolution, long from) {
    var response =
        await(
            client
                .get(port, "localhost", "/api/v1/market/ohlcv")
                .addQueryParam("symbol", SYMBOL)
                .addQueryParam("resolution", resolution)
                .addQueryParam("from", Long.toString(from))
                .addQueryParam("to", Long.toString(from))
                .send());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("candles").getJsonObject(0);
  }

  @Test
  void aFlushedMinuteIsAnsweredAsStoredAndMergedNotAsTheDegradedHotCandle() {
    long minute = RedisKeys.minuteOf(System.currentTimeMillis()) - 180; // closed, in the hot tail
    Flusher flusher =
        new Flusher(
            redis, new CandleRepository(pg, StorageFlavor.PLAIN), System::currentTimeMillis, 3600);
    long token = System.currentTimeMillis();
    // The whole minute, flushed: the true open 100 from the first second.
    hot(minute, 100, 110, 95, 104, minute * 1000 + 1_000);
    await(flusher.flushOnce(token));
    // Redis restarts at second 33: the minute is rebuilt from the ticks after it (open 105).
    hot(minute, 105, 106, 101, 104, minute * 1000 + 33_000);
    assertThat(answered(minute).getDouble("open"))
        .as("not flushed yet: the hot one")
        .isEqualTo(105);
    await(flusher.flushOnce(token));

    Row stored =
        await(
                pg.preparedQuery(
                        "SELECT open, high, low, close FROM ohlcv_1m WHERE symbol = $1 AND time = to_timestamp($2)")
                    .execute(io.vertx.sqlclient.Tuple.of(SYMBOL, minute)))
            .iterator()
            .next();
    assertThat(stored.getDouble("open")).as("the merge kept the true open").isEqualTo(100);
    assertThat(stored.getDouble("high")).isEqualTo(110);
    assertThat(stored.getDouble("low")).isEqualTo(95);
    JsonObject candle = answered(minute);
    assertThat(candle.getDouble("open")).as("the API answers the stored open").isEqualTo(100);
    assertThat(candle.getDouble("high")).isEqualTo(110);
    assertThat(candle.getDouble("low")).isEqualTo(95);
    assertThat(candle.getDouble("close")).isEqualTo(104);
    // The open buckets folded from the minutes take the stored one too.
    JsonObject day = answered("1d", Math.floorDiv(minute, 86_400) * 86_400);
    assertThat(day.getDouble("open")).as("the 1d bucket's open").isEqualTo(100);
    assertThat(day.getDouble("low")).isEqualTo(95);
  }
}
