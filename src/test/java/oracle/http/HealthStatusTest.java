package oracle.http;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import oracle.common.Addresses;
import oracle.common.RedisKeys;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Health says {@code degraded} (200, with reasons) when the oracle publishes nothing fresh or has
 * fewer than 2 healthy sources, judged from the shared price keys so a follower says the same; live
 * and ready answer for orchestrators; 503 only when reads cannot be served. Redis DB 10.
 */
class HealthStatusTest {
  static final int DB = 10;
  static Vertx vertx;
  static WebClient client;
  static Redis redis;
  static int port;
  final List<MessageConsumer<?>> fakes = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    client = WebClient.create(vertx);
    redis = Redis.createClient(vertx, TestEnv.redisUrl(DB));
    port = ApiTestEnv.deploy(vertx, config(TestEnv.baseConfig(DB, "h1_http"))).actualPort();
  }

  static JsonObject config(JsonObject base) {
    return base.put("symbols", new JsonArray(ApiTestEnv.SYMBOLS))
        .put("exchanges", new JsonArray().add("binance").add("kraken").add("okx"))
        .put("ingestion", new JsonObject().put("stalenessMs", 10_000));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @BeforeEach
  void clean() throws InterruptedException {
    TestEnv.flushRedis(vertx, DB);
    Thread.sleep(HealthHandler.CACHE_MS + 50); // past the probe cache of an earlier test
  }

  @AfterEach
  void unregister() {
    fakes.forEach(c -> await(c.unregister()));
    fakes.clear();
  }

  /** Stands in for the leader and polling verticles' status replies. */
  private void role(boolean leader, String... breakers) {
    JsonObject exchanges = new JsonObject();
    String[] names = {"binance", "kraken", "okx"};
    for (int i = 0; i < breakers.length; i++) exchanges.put(names[i], breakers[i]);
    fakes.add(
        vertx
            .eventBus()
            .localConsumer(
                Addresses.LEADER_STATUS,
                m ->
                    m.reply(
                        new JsonObject()
                            .put("leader", leader)
                            .put("fencingToken", leader ? 7 : null))));
    fakes.add(
        vertx
            .eventBus()
            .localConsumer(
                Addresses.POLLING_STATUS,
                m -> m.reply(new JsonObject().put("exchanges", exchanges))));
  }

  private void price(String symbol, long ageMs, String... sources) {
    JsonArray used = new JsonArray();
    for (String s : sources) used.add(new JsonObject().put("exchange", s).put("price", 100.0));
    JsonObject json =
        new JsonObject()
            .put("symbol", symbol)
            .put("price", 100.0)
            .put("timestamp", System.currentTimeMillis() - ageMs)
            .put("sourcesUsed", used)
            .put("sourcesDropped", new JsonArray());
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.price(symbol)).arg(json.encode())));
  }

  private HttpResponse<Buffer> get(String path) {
    return await(client.get(port, "127.0.0.1", path).send());
  }

  @Test
  void streamsSayHowEachSourceIsRead() {
    JsonObject streams =
        new JsonObject()
            .put("binance", "connected")
            .put("kraken", "reconnecting")
            .put("okx", "polling")
            .put("uniswap", "off");
    fakes.add(
        vertx
            .eventBus()
            .localConsumer(
                Addresses.LEADER_STATUS,
                m -> m.reply(new JsonObject().put("leader", true).put("fencingToken", 7))));
    fakes.add(
        vertx
            .eventBus()
            .localConsumer(
                Addresses.POLLING_STATUS,
                m ->
                    m.reply(
                        new JsonObject()
                            .put("exchanges", new JsonObject().put("binance", "CLOSED"))
                            .put("streams", streams))));
    JsonObject body = get("/api/v1/health").bodyAsJsonObject();
    System.out.println("streams: " + body.getJsonObject("streams"));
    assertThat(body.getJsonObject("streams")).isEqualTo(streams);
  }

  @Test
  void withoutPollingStatusStreamsIsEmpty() {
    role(false);
    assertThat(get("/api/v1/health").bodyAsJsonObject().getJsonObject("streams")).isEmpty();
  }

  @Test
  void everyBreakerOpenAndNoPriceIsDegradedButStillServing() {
    role(true, "OPEN", "OPEN", "OPEN");
    HttpResponse<Buffer> r = get("/api/v1/health");
    JsonObject body = r.bodyAsJsonObject();
    System.out.println(
        "offline leader: "
            + r.statusCode()
            + " "
            + body.getString("status")
            + " "
            + body.getJsonArray("reasons"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body.getString("status")).isEqualTo("degraded");
    assertThat(body.getJsonArray("reasons").getList())
        .containsExactlyInAnyOrder(
            "fewer than 2 healthy sources (0)", "no price updated within 10000 ms");
    assertThat(get("/api/v1/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/health/live").bodyAsJsonObject().getString("status")).isEqualTo("ok");
  }

  @Test
  void leaderWithTwoClosedBreakersAndFreshPricesIsOk() {
    role(true, "CLOSED", "CLOSED", "OPEN");
    price("BTC/USDT", 500, "binance", "kraken");
    JsonObject body = get("/api/v1/health").bodyAsJsonObject();
    assertThat(body.getString("status")).as(body.encode()).isEqualTo("ok");
    assertThat(body.getInteger("healthySources")).isEqualTo(2);
    assertThat(body.getLong("lastPriceAgeMs")).isBetween(500L, 5_000L);
    assertThat(body.containsKey("reasons")).isFalse();
  }

  @Test
  void aFollowerJudgesFromTheSharedPricesNotItsIdleBreakers() throws InterruptedException {
    // A follower's breakers never run, so they all read CLOSED: only the shared prices tell.
    role(false, "CLOSED", "CLOSED", "CLOSED");
    price("BTC/USDT", 60_000, "binance", "kraken");
    JsonObject stale = get("/api/v1/health").bodyAsJsonObject();
    assertThat(stale.getString("status")).isEqualTo("degraded");
    assertThat(stale.getJsonArray("reasons").getList())
        .containsExactlyInAnyOrder(
            "fewer than 2 healthy sources (0)", "no price updated within 10000 ms");

    Thread.sleep(HealthHandler.CACHE_MS + 50);
    price("ETH/USDT", 200, "binance", "okx");
    JsonObject fresh = get("/api/v1/health").bodyAsJsonObject();
    assertThat(fresh.getString("status")).as(fresh.encode()).isEqualTo("ok");
    assertThat(fresh.getInteger("healthySources")).isEqualTo(2);
  }

  @Test
  void probesAreSharedForASecond() throws InterruptedException {
    role(true, "CLOSED", "CLOSED", "CLOSED");
    price("BTC/USDT", 100, "binance", "kraken");
    assertThat(get("/api/v1/health").bodyAsJsonObject().getString("status")).isEqualTo("ok");
    TestEnv.flushRedis(vertx, DB);
    // Within the second the cached probes answer; no new SELECT 1 or MGET ran.
    assertThat(get("/api/v1/health").bodyAsJsonObject().getString("status")).isEqualTo("ok");
    Thread.sleep(HealthHandler.CACHE_MS + 50);
    assertThat(get("/api/v1/health").bodyAsJsonObject().getString("status")).isEqualTo("degraded");
  }

  @Test
  void unreachableDatabaseIsNotReadyAndHealthAnswers503() {
    Vertx other = ApiTestEnv.vertx();
    try {
      JsonObject base =
          TestEnv.baseConfig(DB, "h1_http")
              .put(
                  "postgres",
                  new JsonObject().put("url", "postgresql://postgres@127.0.0.1:1/none"));
      int p = ApiTestEnv.deploy(other, config(base)).actualPort();
      WebClient c = WebClient.create(other);
      HttpResponse<Buffer> health = await(c.get(p, "127.0.0.1", "/api/v1/health").send());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.bodyAsJsonObject().getJsonArray("reasons").getList())
          .contains("postgres unreachable");
      HttpResponse<Buffer> ready = await(c.get(p, "127.0.0.1", "/api/v1/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("unavailable");
      assertThat(await(c.get(p, "127.0.0.1", "/api/v1/health/live").send()).statusCode())
          .isEqualTo(200);
    } finally {
      await(other.close());
    }
  }

  private long mgetCalls() {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("cmdstat_mget:calls=(\\d+)").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private void summary(long ageMs, String... sources) {
    long now = System.currentTimeMillis();
    JsonObject json =
        new JsonObject()
            .put("tickMs", now - ageMs)
            .put("newestPriceMs", now - ageMs)
            .put("sourcesUsed", new JsonArray(List.of(sources)));
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.PRICES_SUMMARY).arg(json.encode())));
  }

  /**
   * Issue 21 item 10: at 10,000 symbols health read and parsed every price once a second per
   * instance (an MGET of 10,000 keys); now the leader's one summary key answers it, and no
   * per-symbol key is read while it exists.
   */
  @Test
  void healthAtTenThousandSymbolsReadsOneKeyNotEveryPrice() throws InterruptedException {
    List<String> symbols = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) symbols.add("S" + i + "/USDT");
    JsonObject config =
        config(TestEnv.baseConfig(DB, "h1_http")).put("symbols", new JsonArray(symbols));
    int wide = ApiTestEnv.deploy(vertx, config).actualPort();
    role(false);
    Request mset = Request.cmd(Command.MSET);
    for (String s : symbols)
      mset.arg(RedisKeys.price(s))
          .arg(
              new JsonObject()
                  .put("symbol", s)
                  .put("price", 1.0)
                  .put("timestamp", System.currentTimeMillis())
                  .put("sourcesUsed", new JsonArray().add(new JsonObject().put("exchange", "okx")))
                  .encode());
    await(redis.send(mset));

    long before = mgetCalls();
    JsonObject legacy =
        await(client.get(wide, "127.0.0.1", "/api/v1/health").send()).bodyAsJsonObject();
    long withoutSummary = mgetCalls() - before;
    assertThat(withoutSummary).as("no summary yet: every price, as before").isEqualTo(1);
    assertThat(legacy.getInteger("healthySources")).isEqualTo(1);

    summary(500, "binance", "kraken", "okx");
    before = mgetCalls();
    JsonObject answer = null;
    for (int i = 0; i < 3; i++) {
      Thread.sleep(HealthHandler.CACHE_MS + 50);
      answer = await(client.get(wide, "127.0.0.1", "/api/v1/health").send()).bodyAsJsonObject();
    }
    System.out.println(
        "health at 10,000 symbols: MGET calls per probe without the summary "
            + withoutSummary
            + ", with it "
            + (mgetCalls() - before)
            + " over 3 probes");
    assertThat(mgetCalls() - before).isZero();
    assertThat(answer.getString("status")).isEqualTo("ok");
    assertThat(answer.getInteger("healthySources")).isEqualTo(3);
    assertThat(answer.getLong("lastPriceAgeMs")).isBetween(400L, 5_000L);
  }

  @Test
  void aStaleSummaryIsNoFreshPrice() {
    role(false);
    summary(60_000, "binance", "kraken");
    JsonObject body = get("/api/v1/health").bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("degraded");
    assertThat(body.getInteger("healthySources")).isZero();
    assertThat(body.getJsonArray("reasons").encode()).contains("no price updated within");
  }
}
