package oracle.aggregation;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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

/** lua/update_candle.lua's per-source volume and withhold mode against real Redis (DB 12). */
class CandleVolumeAndWithholdScriptTest {
  static final int DB = 12;
  private static final String KEY = CandleKeys.candle("BTC/USDT", 1_764_068_400L);
  private static final String PRICE = RedisKeys.price("BTC/USDT");
  private static final String FENCE = RedisKeys.LEADER_FENCING;
  private static final LuaScript SCRIPT = LuaScript.load("update_candle");
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.redisUrl(DB));
  }

  @AfterAll
  static void close() {
    await(vertx.close());
  }

  @BeforeEach
  void clean() {
    await(redis.send(Request.cmd(Command.DEL).arg(KEY).arg(FENCE).arg(PRICE)));
  }

  private Response tick(String price, long at, String json, String sources, String... pairs) {
    List<String> args = new ArrayList<>(List.of(price, "", Long.toString(at), "", json, sources));
    args.addAll(List.of(pairs));
    return await(SCRIPT.eval(redis, List.of(KEY, FENCE, PRICE), args));
  }

  private Map<String, String> candle() {
    Response r = await(redis.send(Request.cmd(Command.HGETALL).arg(KEY)));
    Map<String, String> out = new HashMap<>();
    for (String k : r.getKeys()) out.put(k, r.get(k).toString());
    return out;
  }

  @Test
  void volumeIsTheSumOfEverySourcesMinuteVolumeAndNeverDecreases() {
    tick(
        "100",
        1_000,
        "{}",
        "a,b,c,d,e",
        "vol:a",
        "10",
        "vol:b",
        "5",
        "vol:c",
        "4",
        "vol:d",
        "2",
        "vol:e",
        "1.5");
    assertThat(candle()).containsEntry("volume", "22.5").containsEntry("vol:e", "1.5");
    // e drops out (the 22.5 → 21.0); a reports a lower figure from a lagging replica
    tick("100.1", 2_000, "{}", "a,b,c,d", "vol:a", "9", "vol:b", "5.5", "vol:c", "4", "vol:d", "2");
    assertThat(candle())
        .containsEntry("volume", "23")
        .containsEntry("vol:a", "10")
        .containsEntry("vol:e", "1.5");
    Response last = tick("100.2", 3_000, "{}", "b", "vol:b", "6.1");
    assertThat(last.get(4).toString()).isEqualTo("23.6");
    assertThat(candle()).containsEntry("sources", "a,b,c,d,e").containsEntry("close", "100.2");
  }

  @Test
  void optionPairsMayComeInAnyOrderAndUnknownOnesAreIgnored() {
    tick("100", 1_000, "{}", "a", "future", "x", "vol:a", "0.1");
    tick("100", 2_000, "{}", "b", "vol:b", "0.2", "future", "y");
    assertThat(candle()).containsEntry("volume", "0.3"); // %.15g: no 0.30000000000000004
  }

  @Test
  void withholdLeavesTheCandleAndMarksTheLastAgreedPriceStale() {
    String agreed =
        new JsonObject()
            .put("price", 60_000.5)
            .put("timestamp", 1_000)
            .put("confidence", 1.5)
            .put("sourcesUsed", new io.vertx.core.json.JsonArray())
            .put("status", "ok")
            .put("stale", false)
            .encode();
    tick("60000.5", 1_000, agreed, "binance,okx", "vol:binance", "1");
    Map<String, String> before = candle();
    Response r =
        tick(
            "",
            2_000,
            "\"status\":\"diverged\",\"stale\":true,\"statusAt\":2000,\"statusSources\":[{\"exchange\":\"okx\"}]",
            "",
            "mode",
            "withhold");
    assertThat(candle()).isEqualTo(before);
    JsonObject stored =
        new JsonObject(await(redis.send(Request.cmd(Command.GET).arg(PRICE))).toString());
    assertThat(stored.getDouble("price")).isEqualTo(60_000.5);
    assertThat(stored.getLong("timestamp")).isEqualTo(1_000L);
    assertThat(stored.getString("status")).isEqualTo("diverged");
    assertThat(stored.getBoolean("stale")).isTrue();
    assertThat(stored.getJsonArray("statusSources").getJsonObject(0).getString("exchange"))
        .isEqualTo("okx");
    assertThat(r.get(3).toString()).isEqualTo("60000.5");
    assertThat(new JsonObject(r.get(6).toString())).isEqualTo(stored);
    // a second withheld tick replaces the status, not the price
    tick(
        "",
        3_000,
        "\"status\":\"no_quorum\",\"stale\":true,\"statusAt\":3000,\"statusSources\":[]",
        "",
        "mode",
        "withhold");
    JsonObject again =
        new JsonObject(await(redis.send(Request.cmd(Command.GET).arg(PRICE))).toString());
    assertThat(again.getString("status")).isEqualTo("no_quorum");
    assertThat(again.getDouble("price")).isEqualTo(60_000.5);
    assertThat(again.fieldNames()).containsOnlyOnce("status");
  }

  @Test
  void withholdWithoutAnyAgreedPriceWritesNothing() {
    Response r = tick("", 2_000, "\"status\":\"no_quorum\",\"stale\":true", "", "mode", "withhold");
    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg(PRICE).arg(KEY))).toLong())
        .isZero();
    assertThat(r.get(0).toString()).isEmpty();
  }
}
