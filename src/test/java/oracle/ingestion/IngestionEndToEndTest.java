package oracle.ingestion;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import oracle.aggregation.IngestionCodecs;
import oracle.common.Addresses;
import oracle.common.Candle;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.exchange.UniswapPool;
import oracle.hotstore.CandleHash;
import oracle.hotstore.CandleKeys;
import oracle.simulator.FakeExchangeServer;
import oracle.simulator.Fault;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole ingestion path with real Redis (DB 2): leader election → polling of every source (fake
 * servers speaking the real formats) → aggregation → Lua candle updates → event bus and pub/sub
 * relay.
 */
class IngestionEndToEndTest {
  private static final String BTC = "BTC/USDT";

  /** Configured but listed nowhere: every tick has empty input for it. */
  private static final String UNLISTED = "XYZ/USDT";

  private static final double KRW_PER_USDT = 1_400;
  private static final List<String> CEX = List.of("binance", "coinbase", "kraken", "okx", "bybit");

  private Vertx vertx;
  private FakeExchangeServer fake;
  private Redis redis;
  private final List<Vertx> others = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_INGESTION);
    fake = await(FakeExchangeServer.start(vertx));
    redis = Redis.createClient(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_INGESTION));
    setBtc(100);
    for (String e : CEX) fake.price(e, "ETH/USDT", 3_000);
    fake.price("upbit", "ETH/USDT", 3_000 * KRW_PER_USDT).price("upbit", "USDT/KRW", KRW_PER_USDT);
    fake.uniswapPool(
        "ETH/USDT",
        new UniswapPool("0x4e68ccd3e89f51c3074ca5072bbac773960dfa36", 18, 6, true, "USDT"),
        3_000);
  }

  @AfterEach
  void stop() {
    others.forEach(v -> await(v.close()));
    await(vertx.close());
  }

  private void setBtc(double price) {
    for (String e : CEX) fake.price(e, BTC, price);
    fake.price("upbit", BTC, price * KRW_PER_USDT);
  }

  private JsonObject config(String instanceId) {
    return config(instanceId, 1_000);
  }

  /**
   * @param maxFailures breaker threshold; high except where a test wants breakers to open (the
   *     machine is shared)
   */
  private JsonObject config(String instanceId, int maxFailures) {
    JsonObject sources = fake.sourcesConfig();
    for (String name : sources.fieldNames()) {
      sources
          .getJsonObject(name)
          .put("timeoutMs", 1_000)
          .put("rateLimit", new JsonObject().put("requestsPerSecond", 1_000).put("burst", 1_000))
          .put(
              "breaker",
              new JsonObject().put("maxFailures", maxFailures).put("resetTimeoutMs", 60_000));
    }
    return TestEnv.baseConfig(TestEnv.REDIS_DB_INGESTION, null)
        .put("postgres", new JsonObject().put("url", TestEnv.migratedPgUrl("oracle_ingestion")))
        .put("instanceId", instanceId)
        .put(
            "leader",
            new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 300).put("retryMs", 100))
        .put("symbols", new JsonArray().add(BTC).add("ETH/USDT").add(UNLISTED))
        .put(
            "exchanges",
            new JsonArray()
                .add("binance")
                .add("coinbase")
                .add("kraken")
                .add("okx")
                .add("bybit")
                .add("upbit")
                .add("uniswap"))
        .put(
            "ingestion",
            new JsonObject()
                .put("intervalMs", 100)
                .put("stalenessMs", 5_000)
                .put("volumeRefreshMs", 0))
        .put("sources", sources);
  }

  private void deployLeaderInstance(Vertx v, String instanceId) {
    deployLeaderInstance(v, config(instanceId));
  }

  private String leaderDeployment;
  private String pollingDeployment;

  /** The metrics of the leader instance's verticles. */
  private MeterRegistry meters;

  private void deployLeaderInstance(Vertx v, JsonObject config) {
    DeploymentOptions opts = new DeploymentOptions().setConfig(config);
    Verticles wired = Verticles.of(config);
    IngestionCodecs.register(v); // as the deployment root does
    meters = wired.metrics().registry();
    leaderDeployment = await(v.deployVerticle(wired::leader, opts));
    await(v.deployVerticle(wired::aggregation, opts));
    pollingDeployment = await(v.deployVerticle(wired::polling, opts));
  }

  /** Completes with the first message on {@code address} that matches. */
  private static CompletableFuture<JsonObject> next(
      Vertx v, String address, Predicate<JsonObject> match) {
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    MessageConsumer<JsonObject> c = v.eventBus().consumer(address);
    c.handler(
        m -> {
          if (!f.isDone() && match.test(m.body())) f.complete(m.body());
        });
    return f.whenComplete((x, e) -> c.unregister());
  }

  private static JsonObject get(CompletableFuture<JsonObject> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static Predicate<JsonObject> priceNear(double p) {
    return j -> Math.abs(j.getDouble("price") - p) < 1e-6;
  }

  private Map<String, String> hash(String key) {
    Response r = await(redis.send(Request.cmd(Command.HGETALL).arg(key)));
    Map<String, String> out = new HashMap<>();
    for (String k : r.getKeys()) out.put(k, r.get(k).toString());
    return out;
  }

  private void awaitCandle(String key, Predicate<Map<String, String>> match)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      Map<String, String> h = hash(key);
      if (!h.isEmpty() && match.test(h)) return;
      Thread.sleep(50);
    }
    throw new AssertionError("candle " + key + " never matched; last " + hash(key));
  }

  /** Keeps the scripted minute clear of a minute boundary. */
  private static void waitForFreshMinute() throws InterruptedException {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 35_000) Thread.sleep(60_000 - intoMinute + 200);
  }

  @Test
  void aScriptedMinuteLeavesExactlyTheExpectedCandleInRedis() throws Exception {
    waitForFreshMinute();
    fake.minuteVolume("binance", BTC, 2.0).minuteVolume("okx", BTC, 3.0);
    deployLeaderInstance(vertx, "ingest-a");
    JsonObject first = get(next(vertx, Addresses.price(BTC), priceNear(100)));
    for (double p : new double[] {105, 95, 102}) {
      CompletableFuture<JsonObject> seen = next(vertx, Addresses.price(BTC), priceNear(p));
      setBtc(p);
      get(seen);
    }
    long minute = RedisKeys.minuteOf(first.getLong("timestamp"));
    String key = CandleKeys.candle(BTC, minute);
    awaitCandle(key, h -> Double.parseDouble(h.get("volume")) == 5.0);
    Candle c = CandleHash.candle(BTC, minute, hash(key));
    assertThat(c.open()).isCloseTo(100, within(1e-9));
    assertThat(c.high()).isCloseTo(105, within(1e-9));
    assertThat(c.low()).isCloseTo(95, within(1e-9));
    assertThat(c.close()).isCloseTo(102, within(1e-9));
    assertThat(c.volume()).isEqualTo(5.0);
    assertThat(c.updatedAt()).isGreaterThan(first.getLong("timestamp") - 1);
    assertThat(hash(key)).doesNotContainKey("flushed_at");
    assertThat(await(redis.send(Request.cmd(Command.TTL).arg(key))).toLong())
        .isEqualTo(-1L); // expiry belongs to the flush

    // The volume is the sources' latest report, written as a value: many more ticks do
    // not add it up.
    fake.minuteVolume("binance", BTC, 7.0);
    awaitCandle(key, h -> Double.parseDouble(h.get("volume")) == 10.0);
    Thread.sleep(500);
    assertThat(Double.parseDouble(hash(key).get("volume"))).isEqualTo(10.0);

    // Every source agrees within a few ticks (one tick may lack a source: a rate-limited poll while
    // backfill's kline requests take their share of a per-symbol venue's budget).
    JsonObject latest = null;
    for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; ) {
      latest =
          new JsonObject(
              await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.price(BTC)))).toString());
      if (latest.getJsonArray("sourcesUsed").size() == 6) break;
      Thread.sleep(200);
    }
    assertThat(latest.getDouble("price")).isCloseTo(102, within(1e-9));
    assertThat(latest.getJsonArray("sourcesUsed"))
        .as("dropped: %s", latest.getJsonArray("sourcesDropped"))
        .hasSize(6); // five USDT markets + Upbit converted from KRW
    assertThat(latest.getString("method")).isEqualTo("vwap");
  }

  @Test
  void oneExchangeAtTenTimesThePriceDoesNotMoveIt() throws Exception {
    fake.fault("binance", Fault.absurdPrice(10));
    deployLeaderInstance(vertx, "ingest-a");
    JsonObject p =
        get(
            next(
                vertx,
                Addresses.price(BTC),
                j ->
                    j.getJsonArray("sourcesDropped").stream()
                        .map(JsonObject.class::cast)
                        .anyMatch(
                            d ->
                                d.getString("exchange").equals("binance")
                                    && d.getString("reason").equals("outlier"))));
    assertThat(p.getDouble("price")).isCloseTo(100, within(1e-9));
    assertThat(
            p.getJsonArray("sourcesUsed").stream()
                .map(JsonObject.class::cast)
                .map(u -> u.getString("exchange")))
        .containsExactlyInAnyOrder("coinbase", "kraken", "okx", "bybit", "upbit");

    assertThat(
            meters
                .get("oracle.sources.dropped")
                .tag("exchange", "binance")
                .tag("reason", "outlier")
                .counter()
                .count())
        .isPositive();
    assertThat(meters.get("oracle.price.updates").counter().count()).isPositive();
    assertThat(meters.get("oracle.ingestion.duration").timer().count()).isPositive();
    // Empty input: no update, counted.
    assertThat(meters.get("oracle.aggregation.empty").counter().count()).isPositive();
    assertThat(
            await(redis.send(Request.cmd(Command.KEYS).arg(CandleKeys.PREFIX + UNLISTED + ":*")))
                .size())
        .isZero();
    assertThat(
            await(redis.send(Request.cmd(Command.EXISTS).arg(RedisKeys.price(UNLISTED))))
                .toInteger())
        .isZero();
  }

  @Test
  void aDeadExchangeOpensItsBreakerAndThePriceKeepsUpdatingFromTheOthers() throws Exception {
    fake.fault("okx", Fault.status(500))
        .fault("kraken", Fault.hang())
        .fault("bybit", Fault.malformed());
    deployLeaderInstance(vertx, config("ingest-a", 3));
    long deadline = System.currentTimeMillis() + 20_000;
    JsonObject status;
    do {
      Thread.sleep(100);
      status =
          await(vertx.eventBus().<JsonObject>request(Addresses.POLLING_STATUS, null))
              .body()
              .getJsonObject("exchanges");
    } while ((!status.getString("okx").equals("OPEN")
            || !status.getString("kraken").equals("OPEN")
            || !status.getString("bybit").equals("OPEN"))
        && System.currentTimeMillis() < deadline);
    assertThat(status.getString("okx")).isEqualTo("OPEN");
    assertThat(status.getString("kraken")).isEqualTo("OPEN");
    assertThat(status.getString("bybit")).isEqualTo("OPEN");
    assertThat(status.getString("binance")).isEqualTo("CLOSED");
    assertThat(meters.get("oracle.exchange.health").tag("exchange", "okx").gauge().value())
        .isZero();
    assertThat(meters.get("oracle.exchange.health").tag("exchange", "binance").gauge().value())
        .isEqualTo(1.0);

    CompletableFuture<JsonObject> moved = next(vertx, Addresses.price(BTC), priceNear(110));
    setBtc(110);
    JsonObject p = get(moved);
    assertThat(
            p.getJsonArray("sourcesDropped").stream()
                .map(JsonObject.class::cast)
                .filter(d -> d.getString("reason").equals("breaker_open"))
                .map(d -> d.getString("exchange")))
        .containsExactlyInAnyOrder("okx", "kraken", "bybit");
  }

  @Test
  void candlesReachAnotherInstanceThroughThePubSubRelay() throws Exception {
    Vertx follower = Vertx.vertx();
    others.add(follower);
    IngestionCodecs.register(follower);
    // The follower runs only what every instance runs for candles: the
    // aggregation verticle (not leader).
    await(
        follower.deployVerticle(
            Verticles.of(config("ingest-b"))::aggregation,
            new DeploymentOptions().setConfig(config("ingest-b"))));
    CompletableFuture<JsonObject> relayed =
        next(follower, Addresses.candle(BTC), j -> Math.abs(j.getDouble("close") - 100) < 1e-6);
    deployLeaderInstance(vertx, "ingest-a");
    JsonObject candle = get(relayed);
    assertThat(candle.getString("symbol")).isEqualTo(BTC);
    assertThat(candle.getLong("time") % 60).isZero();
    Candle inRedis =
        CandleHash.candle(
            BTC, candle.getLong("time"), hash(CandleKeys.candle(BTC, candle.getLong("time"))));
    assertThat(inRedis.open()).isEqualTo(candle.getDouble("open"));
  }

  @Test
  void aRedeployedPollerResumesAndLosingLeadershipStopsIngestion() throws Exception {
    deployLeaderInstance(vertx, "ingest-a");
    get(next(vertx, Addresses.price(BTC), priceNear(100)));

    // An operator redeploys polling while this instance leads: it learns the state and resumes.
    await(vertx.undeploy(pollingDeployment));
    await(
        vertx.deployVerticle(
            Verticles.of(config("ingest-a"))::polling,
            new DeploymentOptions().setConfig(config("ingest-a"))));
    CompletableFuture<JsonObject> resumed = next(vertx, Addresses.price(BTC), priceNear(101));
    setBtc(101);
    get(resumed);

    // Leadership goes (the leader verticle stops and releases the lease): no more updates.
    await(vertx.undeploy(leaderDeployment));
    Thread.sleep(300); // a tick already collecting may still land
    AtomicLong after = new AtomicLong();
    vertx.eventBus().<JsonObject>consumer(Addresses.price(BTC), m -> after.incrementAndGet());
    setBtc(150);
    Thread.sleep(1_000);
    assertThat(after.get()).isZero();
    JsonObject status =
        await(vertx.eventBus().<JsonObject>request(Addresses.POLLING_STATUS, null)).body();
    assertThat(status.getBoolean("polling")).isFalse();
    assertThat(status.getJsonObject("exchanges").fieldNames()).contains("binance", "uniswap");
  }
}
