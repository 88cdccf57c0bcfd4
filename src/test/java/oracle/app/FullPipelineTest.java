package oracle.app;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.config.ConfigLoader;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.exchange.Kline;
import oracle.hotstore.CandleKeys;
import oracle.simulator.FakeExchangeServer;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole oracle in one process against fake exchanges, real Redis (database 6) and PostgreSQL
 * (database oracle_app): prices → Redis candles → flush → database → API, and backfill of a gap
 * through the polling verticle's adapters, breakers and rate limits.
 */
class FullPipelineTest {
  private static final String TOKEN = "pipeline-admin-token-0123456789";
  private static final String BTC = "BTC/USDT";
  private static final long TICK_MS = 1_000;
  private static final List<String> CEX = List.of("binance", "coinbase", "kraken", "okx", "bybit");

  private Vertx vertx;
  private FakeExchangeServer fake;
  private OracleDeployment deployment;
  private WebClient client;
  private Redis redis;
  private Pool pg;
  private int port;
  private ConfigLoader<AppSettings> loader;
  private Path configFile;

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_APP);
    String pgUrl = TestEnv.pgUrl("oracle_app");
    pg = PgFactory.pool(vertx, pgUrl, 2);
    await(pg.query("DROP SCHEMA public CASCADE").execute());
    await(pg.query("CREATE SCHEMA public").execute());
    fake = await(FakeExchangeServer.start(vertx));
    for (String e : CEX) fake.price(e, BTC, 100).liquidity(e, BTC, 1_000_000);
    redis = Redis.createClient(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_APP));
    client = WebClient.create(vertx);
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    JsonObject sources = fake.sourcesConfig();
    for (String name : sources.fieldNames()) {
      sources
          .getJsonObject(name)
          .put("rateLimit", new JsonObject().put("requestsPerSecond", 1_000).put("burst", 1_000))
          .put("breaker", new JsonObject().put("maxFailures", 1_000));
    }
    JsonObject config =
        TestEnv.baseConfig(TestEnv.REDIS_DB_APP, "oracle_app")
            .put("instanceId", "pipeline")
            .put("http", new JsonObject().put("port", port))
            .put(
                "leader",
                new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 500).put("retryMs", 100))
            .put("admin", new JsonObject().put("token", TOKEN))
            .put("symbols", new JsonArray().add(BTC))
            .put("exchanges", new JsonArray(CEX))
            .put("sources", sources)
            .put("ingestion", new JsonObject().put("intervalMs", TICK_MS))
            .put("flush", new JsonObject().put("intervalMs", 500))
            .put("backfill", new JsonObject().put("intervalMs", 86_400_000))
            .put("storage", new JsonObject().put("flavor", "plain"));
    configFile = dir.resolve("config.json");
    writeConfig(config);
    loader =
        AppSettings.loader(vertx, java.util.Map.of("ORACLE_CONFIG", configFile.toString()), 100);
    deployment = new OracleDeployment(vertx, await(loader.load()));
    await(deployment.start());
  }

  private void writeConfig(JsonObject json) throws java.io.IOException {
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, json.encodePrettily());
    Files.move(
        tmp, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @AfterEach
  void tearDown() {
    loader.close();
    await(deployment.stop());
    await(pg.close());
    await(vertx.close());
  }

  @Test
  void pricesBecomeCandlesInRedisThenRowsInTheDatabaseThenApiAnswers() throws Exception {
    long minute = RedisKeys.minuteOf(System.currentTimeMillis());
    String key = CandleKeys.candle(BTC, minute);
    Response candle =
        waitFor(
            () -> {
              Response r = await(redis.send(Request.cmd(Command.HGETALL).arg(key)));
              return r != null && r.size() > 0 ? r : null;
            });
    assertThat(Double.parseDouble(candle.get("close").toString())).isEqualTo(100.0);

    Row row =
        waitFor(
            () -> {
              var rows =
                  await(
                      pg.preparedQuery(
                              "SELECT close, sources FROM ohlcv_1m WHERE symbol = $1 AND time = to_timestamp($2)")
                          .execute(Tuple.of(BTC, minute)));
              return rows.size() == 1 ? rows.iterator().next() : null;
            });
    assertThat(row.getNumeric("close").doubleValue()).isEqualTo(100.0);
    assertThat(row.getArrayOfStrings("sources"))
        .isNotEmpty()
        .isSubsetOf(CEX); // the exchanges that made the price

    HttpResponse<Buffer> api =
        await(
            client
                .get(port, "127.0.0.1", "/api/v1/market/ohlcv")
                .addQueryParam("symbol", BTC)
                .addQueryParam("resolution", "1m")
                .send());
    assertThat(api.statusCode()).isEqualTo(200);
    JsonArray candles = api.bodyAsJsonObject().getJsonArray("candles");
    assertThat(candles.getJsonObject(candles.size() - 1).getLong("time"))
        .isGreaterThanOrEqualTo(minute);
    assertThat(candles.getJsonObject(candles.size() - 1).getDouble("close")).isEqualTo(100.0);

    JsonObject health =
        await(client.get(port, "127.0.0.1", "/api/v1/health").send()).bodyAsJsonObject();
    assertThat(health.getBoolean("leader")).isTrue();
    assertThat(health.getJsonObject("exchanges").fieldNames())
        .containsExactlyInAnyOrderElementsOf(CEX);
    assertThat(health.getValue("flushLagSeconds")).isNotNull();
  }

  @Test
  void backfillFillsAGapFromExchangeKlines() throws Exception {
    // Older than the automatic pass's 24 h window, so only the admin job can fill it.
    long gapStart = RedisKeys.minuteOf(System.currentTimeMillis()) - 30 * 3_600;
    List<Kline> binance = new ArrayList<>();
    List<Kline> okx = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long t = gapStart + i * 60L;
      binance.add(new Kline("binance", BTC, t, 90, 92, 89, 91, 1));
      okx.add(
          new Kline("okx", BTC, t, 90, 96, 89, 91.5, 3)); // within the quorum's 1 % of binance's
    }
    fake.klines("binance", BTC, binance).klines("okx", BTC, okx);
    waitFor(
        () ->
            await(client.get(port, "127.0.0.1", "/api/v1/health").send())
                    .bodyAsJsonObject()
                    .getBoolean("leader")
                ? true
                : null);

    HttpResponse<Buffer> started =
        await(
            client
                .post(port, "127.0.0.1", "/admin/backfill")
                .addQueryParam("symbol", BTC)
                .addQueryParam("from", Long.toString(gapStart))
                .addQueryParam("to", Long.toString(gapStart + 9 * 60))
                .bearerTokenAuthentication(TOKEN)
                .send());
    assertThat(started.statusCode()).isEqualTo(202);
    String id = started.bodyAsJsonObject().getString("id");

    JsonObject job =
        waitFor(
            () -> {
              JsonObject j =
                  await(
                          client
                              .get(port, "127.0.0.1", "/admin/backfill/" + id)
                              .bearerTokenAuthentication(TOKEN)
                              .send())
                      .bodyAsJsonObject();
              return "done".equals(j.getString("state")) ? j : null;
            });
    assertThat(job.getInteger("missingMinutes")).isEqualTo(10);
    assertThat(job.getInteger("filledMinutes")).isEqualTo(10);

    var rows =
        await(
            pg.preparedQuery(
                    "SELECT time, close, volume FROM ohlcv_1m WHERE symbol = $1 AND time >= to_timestamp($2) AND time <= to_timestamp($3) ORDER BY time")
                .execute(Tuple.of(BTC, gapStart, gapStart + 9 * 60)));
    assertThat(rows.size()).isEqualTo(10);
    // weights: quote volume, 91 against 274.5; OKX's 75 % is capped at ingestion.maxWeightShare
    // (0.5), so each weighs half
    double expectedClose = (91.0 + 91.5) / 2;
    for (Row r : rows) {
      assertThat(r.getNumeric("close").doubleValue()).isCloseTo(expectedClose, within(1e-6));
      assertThat(r.getNumeric("volume").doubleValue()).isEqualTo(4.0);
    }
    assertThat(rows.iterator().next().getOffsetDateTime("time").toEpochSecond())
        .isEqualTo(gapStart);
  }

  @Test
  void aSymbolAddedToTheConfigurationFileGetsCandlesWithinTwoTicksWithoutRestart()
      throws Exception {
    for (String e : CEX) fake.price(e, "SOL/USDT", 150).liquidity(e, "SOL/USDT", 1_000);
    waitFor(
        () ->
            await(client.get(port, "127.0.0.1", "/api/v1/health").send())
                    .bodyAsJsonObject()
                    .getBoolean("leader")
                ? true
                : null);
    String leaderDeployment = deployment.registry().deploymentId(OracleDeployment.LEADER);
    java.util.concurrent.atomic.AtomicLong appliedAt = new java.util.concurrent.atomic.AtomicLong();
    loader.onChange(
        next ->
            deployment.applyConfig(next).onSuccess(v -> appliedAt.set(System.currentTimeMillis())),
        err -> {});

    JsonObject changed = new JsonObject(Files.readString(configFile));
    changed.put("symbols", new JsonArray().add(BTC).add("SOL/USDT"));
    writeConfig(changed);

    waitFor(() -> appliedAt.get() > 0 ? true : null);
    long firstCandleAt =
        waitFor(
            () -> {
              Response r =
                  await(
                      redis.send(Request.cmd(Command.KEYS).arg(CandleKeys.PREFIX + "SOL/USDT:*")));
              return r.size() > 0 ? System.currentTimeMillis() : null;
            });
    assertThat(firstCandleAt - appliedAt.get())
        .as("first SOL candle after the redeploy")
        .isLessThan(2 * TICK_MS);
    assertThat(deployment.registry().deploymentId(OracleDeployment.LEADER))
        .as("leadership untouched")
        .isEqualTo(leaderDeployment);
    // The running symbol kept its candle through the redeploy.
    String btcKey = CandleKeys.candle(BTC, RedisKeys.minuteOf(System.currentTimeMillis()));
    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg(btcKey))).toInteger()).isEqualTo(1);
  }

  /**
   * Waits up to 20 s; a probe that throws (e.g. the flush has not created the schema yet) means
   * "not yet".
   */
  private static <T> T waitFor(Supplier<T> probe) {
    return Poll.value(
        () -> {
          try {
            return probe.get();
          } catch (RuntimeException notYet) {
            return null;
          }
        },
        Duration.ofSeconds(20));
  }
}
