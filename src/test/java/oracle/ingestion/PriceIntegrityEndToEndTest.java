package oracle.ingestion;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import oracle.aggregation.IngestionCodecs;
import oracle.common.Addresses;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.exchange.UniswapPool;
import oracle.hotstore.CandleKeys;
import oracle.simulator.FakeExchangeServer;
import oracle.simulator.Fault;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 end to end, through the fake exchange servers (real wire formats) and real Redis (DB
 * 13): leader → polling → aggregation → update_candle.lua → Redis, the event bus and {@code GET
 * /price}. Ports 16600-16606 (fakes) and 16650 (API).
 */
class PriceIntegrityEndToEndTest {
  static final int REDIS_DB = 13;
  private static final int FAKE_PORT = 16600;
  private static final int HTTP_PORT = 16650;
  private static final String BTC = "BTC/USDT";
  private static final String ETH = "ETH/USDT";
  private static final String SOL = "SOL/USDT";
  private static final UniswapPool ETH_POOL =
      new UniswapPool("0x4e68ccd3e89f51c3074ca5072bbac773960dfa36", 18, 6, true, "USDT");

  private Vertx vertx;
  private FakeExchangeServer fake;
  private Redis redis;
  private final List<JsonObject> candleEvents = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, REDIS_DB);
    fake = await(FakeExchangeServer.start(vertx, FAKE_PORT));
    redis = Redis.createClient(vertx, TestEnv.redisUrl(REDIS_DB));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private JsonObject config() {
    JsonObject sources = fake.sourcesConfig();
    for (String name : sources.fieldNames()) {
      sources
          .getJsonObject(name)
          .put("timeoutMs", 1_000)
          .put("rateLimit", new JsonObject().put("requestsPerSecond", 1_000).put("burst", 1_000))
          .put("breaker", new JsonObject().put("maxFailures", 1_000).put("resetTimeoutMs", 60_000));
    }
    return TestEnv.baseConfig(REDIS_DB, null)
        .put(
            "postgres",
            new JsonObject().put("url", TestEnv.migratedPgUrl("oracle_price_integrity")))
        .put("instanceId", "h2-integrity")
        .put("http", new JsonObject().put("port", HTTP_PORT))
        .put(
            "leader",
            new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 300).put("retryMs", 100))
        .put("symbols", new JsonArray().add(BTC).add(ETH).add(SOL))
        .put("exchanges", new JsonArray().add("binance").add("kraken").add("bybit").add("uniswap"))
        .put(
            "ingestion",
            new JsonObject()
                .put("intervalMs", 100)
                .put("stalenessMs", 1_500)
                .put("volumeRefreshMs", 0)
                .put(
                    "perSymbol",
                    new JsonObject()
                        .put(ETH, new JsonObject().put("minSources", 1))
                        .put(SOL, new JsonObject().put("minSources", 1))))
        .put("rateLimit", new JsonObject().put("requests", 1_000_000))
        .put("sources", sources);
  }

  private void deploy() {
    JsonObject config = config();
    DeploymentOptions opts = new DeploymentOptions().setConfig(config);
    Verticles wired = Verticles.of(config);
    IngestionCodecs.register(vertx); // as the deployment root does
    vertx.eventBus().<JsonObject>consumer(Addresses.candle(BTC), m -> candleEvents.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.candle(ETH), m -> candleEvents.add(m.body()));
    await(vertx.deployVerticle(wired::leader, opts));
    await(vertx.deployVerticle(wired::aggregation, opts));
    await(vertx.deployVerticle(wired::polling, opts));
    await(vertx.deployVerticle(wired::http, opts));
  }

  private JsonObject stored(String symbol) {
    Response r = await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.price(symbol))));
    return r == null ? null : new JsonObject(r.toString());
  }

  private JsonObject awaitPrice(String symbol, Predicate<JsonObject> match)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    JsonObject last = null;
    while (System.currentTimeMillis() < deadline) {
      last = stored(symbol);
      if (last != null && match.test(last)) return last;
      Thread.sleep(50);
    }
    throw new AssertionError(symbol + " price never matched; last " + last);
  }

  private Map<String, String> candle(String symbol, long minute) {
    Response r =
        await(redis.send(Request.cmd(Command.HGETALL).arg(CandleKeys.candle(symbol, minute))));
    Map<String, String> out = new HashMap<>();
    for (String k : r.getKeys()) out.put(k, r.get(k).toString());
    return out;
  }

  private static JsonObject httpPrice(String symbol) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + HTTP_PORT
                                + "/api/v1/market/price?symbol="
                                + symbol.replace("/", "%2F")))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static Predicate<JsonObject> status(String s) {
    return j -> s.equals(j.getString("status"));
  }

  private static boolean names(JsonObject price, String array, String exchange, String reason) {
    return price.getJsonArray(array, new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .anyMatch(
            x ->
                exchange.equals(x.getString("exchange"))
                    && (reason == null || reason.equals(x.getString("reason"))));
  }

  /**
   * Keeps the scripted steps inside one minute, so "the candle did not move" is about one candle.
   */
  private static void waitForFreshMinute() throws InterruptedException {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 30_000) Thread.sleep(60_000 - intoMinute + 200);
  }

  @Test
  void twoSourcesThatDivergeAreWithheldAndTheLastAgreedPriceStaysMarkedStale() throws Exception {
    waitForFreshMinute();
    fake.price("binance", BTC, 60_685.22)
        .price("kraken", BTC, 60_685.22)
        .price("binance", SOL, 142.37);
    deploy();
    JsonObject agreed = awaitPrice(BTC, status("ok"));
    assertThat(agreed.getDouble("price")).isEqualTo(60_685.22); // exactly as quoted (item 7)
    assertThat(agreed.getDouble("confidence")).isNotNull();
    assertThat(awaitPrice(SOL, status("ok")).getDouble("price"))
        .isEqualTo(142.37); // one source, opted in
    assertThat(stored(SOL).getInteger("minSources")).isEqualTo(1);
    long minute = RedisKeys.minuteOf(agreed.getLong("timestamp"));

    fake.price(
        "kraken", BTC, 121_370.44); // a glitching source: before, 65,454 or 90,000 was published
    JsonObject withheld = awaitPrice(BTC, status("diverged"));
    assertThat(withheld.getDouble("price")).isEqualTo(60_685.22);
    assertThat(withheld.getBoolean("stale")).isTrue();
    assertThat(names(withheld, "statusSources", "binance", "diverged")).isTrue();
    assertThat(names(withheld, "statusSources", "kraken", "diverged")).isTrue();
    Thread.sleep(500); // more ticks without quorum
    assertThat(candle(BTC, minute))
        .containsEntry("high", "60685.22")
        .containsEntry("close", "60685.22");
    JsonObject api = httpPrice(BTC);
    assertThat(api.getString("status")).isEqualTo("diverged");
    assertThat(api.getBoolean("stale")).isTrue();
    assertThat(api.getDouble("price")).isEqualTo(60_685.22);
    assertThat(candleEvents)
        .anySatisfy(
            c -> {
              assertThat(c.getString("symbol")).isEqualTo(BTC);
              assertThat(c.getString("status")).isEqualTo("diverged");
              assertThat(c.getBoolean("stale")).isTrue();
              assertThat(c.getDouble("close")).isEqualTo(60_685.22);
              assertThat(names(c, "statusSources", "kraken", "diverged")).isTrue();
            });

    // binance goes down: what is left (kraken alone) is no quorum, and says why
    fake.fault("binance", Fault.status(500));
    JsonObject alone = awaitPrice(BTC, status("no_quorum"));
    assertThat(alone.getDouble("price")).isEqualTo(60_685.22);
    assertThat(names(alone, "statusSources", "binance", "stale")).isTrue();
    assertThat(names(alone, "statusSources", "kraken", null)).isTrue();
    assertThat(httpPrice(BTC).getString("status")).isEqualTo("no_quorum");

    fake.price("kraken", BTC, 60_690).clearFaults("binance");
    JsonObject back = awaitPrice(BTC, status("ok"));
    assertThat(back.getDouble("price")).isCloseTo((60_685.22 + 60_690) / 2, within(1.0));
    assertThat(back.getBoolean("stale")).isFalse();
    assertThat(httpPrice(BTC).getBoolean("stale")).isFalse();
  }

  @Test
  void aPoolWhoseSpotIsMovedWhileItsObservationsAreNotDoesNotMoveThePrice() throws Exception {
    waitForFreshMinute();
    fake.uniswapPool(ETH, ETH_POOL, 3_000); // the pool is ETH's only live source (minSources 1)
    deploy();
    JsonObject twap = awaitPrice(ETH, status("ok"));
    assertThat(twap.getDouble("price")).isCloseTo(3_000, within(0.03));
    JsonObject used = twap.getJsonArray("sourcesUsed").getJsonObject(0);
    assertThat(used.getString("exchange")).isEqualTo("uniswap");
    assertThat(used.getDouble("weight"))
        .isCloseTo(6_000_000, within(100.0)); // 1,000 ETH + 3,000,000 USDT
    long minute = RedisKeys.minuteOf(twap.getLong("timestamp"));

    fake.uniswapSpot(ETH, 3_900); // +30 % for a block (a flash loan); observe still says 3,000
    JsonObject guarded = awaitPrice(ETH, status("no_quorum"));
    assertThat(names(guarded, "statusSources", "uniswap", "manipulated")).isTrue();
    assertThat(guarded.getDouble("price")).isCloseTo(3_000, within(0.03));
    Thread.sleep(500);
    assertThat(Double.parseDouble(candle(ETH, minute).get("high"))).isLessThan(3_000.1);
    assertThat(httpPrice(ETH).getBoolean("stale")).isTrue();

    fake.uniswapSpot(ETH, 3_010); // back within 2 % of the TWAP
    awaitPrice(ETH, status("ok"));

    fake.fault(
        "uniswap", Fault.stale(60_000)); // a stuck RPC node: its latest block is a minute old
    JsonObject stuck = awaitPrice(ETH, status("no_quorum"));
    assertThat(names(stuck, "statusSources", "uniswap", "stale")).isTrue();
  }

  @Test
  void aFeedFrozenWhileTheMarketMovesIsDroppedAsFrozen() throws Exception {
    fake.price("binance", BTC, 100).price("bybit", BTC, 100).price("kraken", BTC, 100);
    deploy();
    awaitPrice(
        BTC, j -> "ok".equals(j.getString("status")) && j.getJsonArray("sourcesUsed").size() == 3);
    Thread.sleep(
        2_000); // longer than stalenessMs unchanged, but the market did not move: not frozen
    assertThat(stored(BTC).getJsonArray("sourcesUsed")).hasSize(3);

    fake.price("binance", BTC, 100.3)
        .price("bybit", BTC, 100.1); // the market moves 0.2 %; kraken's answer does not
    JsonObject p = awaitPrice(BTC, j -> names(j, "sourcesDropped", "kraken", "frozen"));
    assertThat(p.getString("status")).isEqualTo("ok");
    assertThat(p.getJsonArray("sourcesUsed")).hasSize(2);
    assertThat(p.getDouble("price")).isCloseTo(100.2, within(1e-9));

    fake.price("kraken", BTC, 100.15); // it moves again: back in
    awaitPrice(BTC, j -> j.getJsonArray("sourcesUsed").size() == 3);
  }
}
