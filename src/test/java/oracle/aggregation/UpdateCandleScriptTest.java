package oracle.aggregation;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oracle.common.LuaScript;
import oracle.common.RedisKeys;
import oracle.hotstore.CandleKeys;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** lua/update_candle.lua against real Redis (DB 2). */
class UpdateCandleScriptTest {
  private static final String KEY = CandleKeys.candle("BTC/USDT", 1_764_068_400L);
  private static final String FENCE = RedisKeys.LEADER_FENCING;
  private static Vertx vertx;
  private static Redis redis;
  private static final LuaScript SCRIPT = LuaScript.load("update_candle");

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_INGESTION));
  }

  @AfterAll
  static void close() {
    await(vertx.close());
  }

  @BeforeEach
  void clean() {
    await(redis.send(Request.cmd(Command.DEL).arg(KEY).arg(FENCE)));
  }

  private Response update(String price, String volume, long at, String token) {
    return await(
        SCRIPT.eval(redis, List.of(KEY, FENCE), List.of(price, volume, Long.toString(at), token)));
  }

  private Map<String, String> candle() {
    Response r = await(redis.send(Request.cmd(Command.HGETALL).arg(KEY)));
    Map<String, String> out = new HashMap<>();
    for (String k : r.getKeys()) out.put(k, r.get(k).toString());
    return out;
  }

  private Response updateWithGrace(String key, String price, long at, long graceMs) {
    return await(
        SCRIPT.eval(
            redis,
            List.of(key, FENCE),
            List.of(
                price,
                "1",
                Long.toString(at),
                "",
                "",
                "binance",
                "grace",
                Long.toString(graceMs))));
  }

  @Test
  void aTickForAMinuteClosedLongerAgoThanTheGraceIsRefusedAndCreatesNothing() {
    long now = System.currentTimeMillis();
    long closedLongAgo = RedisKeys.minuteOf(now) - 120; // closed at least 60 s ago
    String key = CandleKeys.candle("LATE/USDT", closedLongAgo);
    await(redis.send(Request.cmd(Command.DEL).arg(key)));
    Response refused = updateWithGrace(key, "100", now, 3_000);
    assertThat(refused.toLong()).isZero();
    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong())
        .as("no one-tick candle for an expired key")
        .isZero();

    // A flushed minute that closed within the grace still takes its last tick (and is un-marked).
    long justClosed = RedisKeys.minuteOf(now) - 60;
    String recent = CandleKeys.candle("LATE/USDT", justClosed);
    await(redis.send(Request.cmd(Command.DEL).arg(recent)));
    updateWithGrace(recent, "100", justClosed * 1000 + 59_000, 120_000);
    await(
        redis.send(
            Request.cmd(Command.HSET).arg(recent).arg("flushed_at").arg(Long.toString(now))));
    Response accepted = updateWithGrace(recent, "101", now, 120_000);
    assertThat(accepted.get(3).toString()).isEqualTo("101");
    assertThat(
            await(redis.send(Request.cmd(Command.HEXISTS).arg(recent).arg("flushed_at"))).toLong())
        .isZero();
    // The same tick with a grace that has passed leaves the stored candle as it was.
    assertThat(updateWithGrace(recent, "500", now, 0).toLong()).isZero();
    assertThat(await(redis.send(Request.cmd(Command.HGET).arg(recent).arg("close"))).toString())
        .isEqualTo("101");
    await(redis.send(Request.cmd(Command.DEL).arg(recent)));
  }

  @Test
  void theCandleKeepsItsFirstAndLastTickTimes() {
    update("100", "1", 1_000, "");
    update("101", "1", 2_000, "");
    update("99", "1", 3_000, "");
    assertThat(candle())
        .containsEntry("first_tick_at", "1000")
        .containsEntry("last_tick_at", "3000");
  }

  @Test
  void newCandleThenHighLowCloseAndVolumeAsAValue() {
    update("100.5", "2", 1_000, "");
    assertThat(candle())
        .containsEntry("open", "100.5")
        .containsEntry("high", "100.5")
        .containsEntry("low", "100.5")
        .containsEntry("close", "100.5")
        .containsEntry("volume", "2")
        .containsEntry("updated_at", "1000");
    update("101", "3", 2_000, "");
    update("99.25", "", 3_000, ""); // unknown volume keeps the stored one
    Response last = update("100", "3.5", 4_000, "");
    assertThat(candle())
        .containsEntry("open", "100.5")
        .containsEntry("high", "101")
        .containsEntry("low", "99.25")
        .containsEntry("close", "100")
        .containsEntry("volume", "3.5")
        .containsEntry("updated_at", "4000")
        .doesNotContainKey("flushed_at");
    List<String> returned = new ArrayList<>();
    last.forEach(r -> returned.add(r.toString()));
    assertThat(returned)
        .as("no kept price JSON, no trade count, no origin")
        .containsExactly("100.5", "101", "99.25", "100", "3.5", "4000", "", "", "");
    assertThat(await(redis.send(Request.cmd(Command.TTL).arg(KEY))).toLong()).isEqualTo(-1L);
  }

  @Test
  void sourcesCollectEveryExchangeThatContributedDuringTheMinute() {
    await(
        SCRIPT.eval(redis, List.of(KEY, FENCE), List.of("100", "", "1000", "", "", "binance,okx")));
    assertThat(candle()).containsEntry("sources", "binance,okx");
    await(
        SCRIPT.eval(redis, List.of(KEY, FENCE), List.of("101", "", "2000", "", "", "okx,kraken")));
    await(SCRIPT.eval(redis, List.of(KEY, FENCE), List.of("102", "", "3000", "", "", "")));
    update("103", "", 4_000, ""); // no ARGV[6] at all (older callers)
    assertThat(candle())
        .containsEntry("sources", "binance,okx,kraken")
        .containsEntry("close", "103");
  }

  @Test
  void aLateUpdateToAFlushedCandleUnmarksItAndDropsItsExpiry() {
    update("10", "1", 1_000, "");
    await(redis.send(Request.cmd(Command.HSET).arg(KEY).arg("flushed_at").arg("5000")));
    await(redis.send(Request.cmd(Command.EXPIRE).arg(KEY).arg(3600)));
    update("11", "1", 4_000, "");
    assertThat(candle()).doesNotContainKey("flushed_at").containsEntry("high", "11");
    assertThat(await(redis.send(Request.cmd(Command.TTL).arg(KEY))).toLong()).isEqualTo(-1L);
  }

  @Test
  void aDeposedLeadersTokenIsRefusedForCandleAndPrice() {
    String priceKey = RedisKeys.price("BTC/USDT");
    await(redis.send(Request.cmd(Command.DEL).arg(priceKey)));
    await(redis.send(Request.cmd(Command.SET).arg(FENCE).arg("7")));
    List<String> keys = List.of(KEY, FENCE, priceKey);
    assertThat(await(SCRIPT.eval(redis, keys, List.of("10", "1", "1000", "6", "{\"price\":10}"))))
        .isNull();
    assertThat(candle()).isEmpty();
    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg(priceKey))).toInteger()).isZero();
    assertThat(await(SCRIPT.eval(redis, keys, List.of("10", "1", "1000", "7", "{\"price\":10}"))))
        .isNotNull();
    assertThat(candle()).containsEntry("close", "10");
    assertThat(await(redis.send(Request.cmd(Command.GET).arg(priceKey))).toString())
        .isEqualTo("{\"price\":10}");
  }

  @Test
  void reloadsTheScriptAfterRedisForgetsIt() {
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    List<Request> batch =
        List.of(
            SCRIPT.request(List.of(KEY, FENCE), List.of("5", "1", "1", "")),
            Request.cmd(Command.SET).arg("oracle:price:BTC/USDT").arg("{}"));
    List<Response> out = await(SCRIPT.evalBatch(redis, batch));
    assertThat(out).hasSize(2);
    assertThat(candle()).containsEntry("open", "5");
  }
}
