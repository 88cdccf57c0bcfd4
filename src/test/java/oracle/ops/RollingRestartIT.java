package oracle.ops;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.simulator.FakeExchangeServer;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of three real oracle processes (the packaged jar), one at a time with SIGTERM,
 * against fake exchanges, real Redis (database 7) and PostgreSQL (database oracle_rolling). Checks
 * from the processes' own JSON logs that leadership terms never overlap and tokens only grow, that
 * a leader exists at all times but for the hand-overs, and from the database that no minute is
 * lost. Runs in Maven's integration-test phase, after the jar is built.
 */
class RollingRestartIT {
  private static final int REDIS_DB = TestEnv.REDIS_DB_ROLLING;
  private static final List<String> SYMBOLS = List.of("BTC/USDT", "ETH/USDT", "SOL/USDT");
  private static final List<String> SOURCES = List.of("binance", "okx", "bybit");
  private static final Path WORK = Path.of("target/rolling-restart");

  private Vertx vertx;
  private FakeExchangeServer fake;
  private Pool pg;
  private final List<OracleProcess> nodes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    assertThat(OracleProcess.JAR)
        .as("the packaged jar (integration tests run after `package`)")
        .exists();
    Files.createDirectories(WORK);
    vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, REDIS_DB);
    pg = PgFactory.pool(vertx, TestEnv.pgUrl("oracle_rolling"), 2);
    await(pg.query("DROP SCHEMA public CASCADE").execute());
    await(pg.query("CREATE SCHEMA public").execute());
    fake = await(FakeExchangeServer.start(vertx));
    for (String s : SYMBOLS) {
      for (String e : SOURCES) fake.price(e, s, 100).liquidity(e, s, 1_000_000);
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    for (OracleProcess n : nodes) {
      if (n.isAlive()) n.stop();
    }
    await(pg.close());
    await(vertx.close());
  }

  @Test
  void rollingRestartKeepsOneLeaderAndLosesNoMinute() throws Exception {
    JsonObject sources = fake.sourcesConfig();
    JsonObject config =
        new JsonObject()
            .put("redis", new JsonObject().put("url", TestEnv.redisUrl(REDIS_DB)))
            .put(
                "postgres",
                new JsonObject().put("url", TestEnv.pgUrl("oracle_rolling")).put("poolSize", 2))
            .put(
                "leader",
                new JsonObject().put("ttlMs", 6_000).put("heartbeatMs", 2_000).put("retryMs", 200))
            .put("symbols", new JsonArray(SYMBOLS))
            .put("exchanges", new JsonArray(SOURCES))
            .put("sources", sources)
            .put("flush", new JsonObject().put("intervalMs", 5_000))
            .put("backfill", new JsonObject().put("intervalMs", 86_400_000))
            .put("storage", new JsonObject().put("flavor", "plain"));
    Path configFile = WORK.resolve("config.json");
    Files.writeString(configFile, config.encodePrettily());

    for (int i = 1; i <= 3; i++) nodes.add(new OracleProcess("node" + i, freePort(), WORK));
    for (OracleProcess n : nodes) n.start(configFile);
    for (OracleProcess n : nodes) Poll.until(() -> n.health() != null, Duration.ofSeconds(60));
    Poll.until(() -> nodes.stream().anyMatch(n -> leader(n.health())), Duration.ofSeconds(30));
    long firstFullMinute = RedisKeys.minuteOf(System.currentTimeMillis()) + 60;

    // Roll: each node in turn, leader or not, SIGTERM then start again; the cluster keeps serving.
    for (OracleProcess n : nodes) {
      Thread.sleep(8_000);
      n.stop();
      n.start(configFile);
      Poll.until(() -> n.health() != null, Duration.ofSeconds(60));
    }
    // Let the last full minute close and be flushed.
    long lastFullMinute = RedisKeys.minuteOf(System.currentTimeMillis()) - 60;
    while (lastFullMinute < firstFullMinute + 60) {
      Thread.sleep(5_000);
      lastFullMinute = RedisKeys.minuteOf(System.currentTimeMillis()) - 60;
    }
    long checkTo = lastFullMinute;
    Poll.until(() -> countMinutes(SYMBOLS.get(0), checkTo, checkTo) == 1, Duration.ofSeconds(30));

    // Leadership, from the processes' own logs (one clock: this machine's).
    List<LogScan.Term> terms = LogScan.terms(WORK);
    System.out.printf("rolling restart: %d terms %s%n", terms.size(), terms);
    assertThat(terms).hasSizeGreaterThanOrEqualTo(2);
    long maxGapMs = 0;
    for (int i = 1; i < terms.size(); i++) {
      LogScan.Term prev = terms.get(i - 1);
      LogScan.Term next = terms.get(i);
      assertThat(next.token()).as("tokens strictly increase").isGreaterThan(prev.token());
      assertThat(prev.to())
          .as("%s ended before %s began", prev, next)
          .isLessThanOrEqualTo(next.from());
      maxGapMs = Math.max(maxGapMs, next.from() - prev.to());
    }
    assertThat(terms.get(terms.size() - 1).to())
        .as("a leader at the end")
        .isEqualTo(Long.MAX_VALUE);
    System.out.printf("rolling restart: longest time without a leader %d ms%n", maxGapMs);
    assertThat(maxGapMs).as("hand-overs are prompt (graceful release)").isLessThan(5_000);

    // No minute lost: every full minute of the run has its candle in the
    // database, for every symbol.
    long expected = (checkTo - firstFullMinute) / 60 + 1;
    for (String s : SYMBOLS) {
      assertThat(countMinutes(s, firstFullMinute, checkTo))
          .as("minutes of %s", s)
          .isEqualTo(expected);
    }
    System.out.printf(
        "rolling restart: %d full minutes checked per symbol, none missing%n", expected);
  }

  private long countMinutes(String symbol, long from, long to) {
    try {
      return await(
              pg.preparedQuery(
                      "SELECT count(*) FROM ohlcv_1m WHERE symbol = $1 AND time BETWEEN to_timestamp($2) AND to_timestamp($3)")
                  .execute(Tuple.of(symbol, from, to)))
          .iterator()
          .next()
          .getLong(0);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static boolean leader(JsonObject health) {
    return health != null && health.getBoolean("leader", false);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
