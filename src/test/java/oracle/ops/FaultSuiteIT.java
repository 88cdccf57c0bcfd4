package oracle.ops;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.simulator.FakeExchangeServer;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The coordination fault suite: two real oracle processes (the packaged jar) against a Redis server
 * this test starts on its own port (so it can kill and restart it), PostgreSQL (database
 * oracle_faults) and fake exchanges whose prices move. Scenarios run in order on one cluster: Redis
 * restarted empty, the leader frozen (SIGSTOP) and resumed, the leader killed (SIGKILL). Each
 * prints what it measured; the last checks the whole run: tokens of successive terms strictly
 * increase and no token was issued twice, no write carried a token older than the newest term, no
 * stored minute lost information, and every closed minute is in {@code ohlcv_1m} once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
  private static final int REDIS_PORT = 16_401;
  private static final List<String> SYMBOLS = List.of("BTC/USDT", "ETH/USDT");
  private static final List<String> SOURCES = List.of("binance", "okx", "bybit");
  private static final Path WORK = Path.of("target/fault-suite");
  private static final long TTL_MS = 4_000;
  private static final long FLUSH_INTERVAL_MS = 2_000;

  private Vertx vertx;
  private FakeExchangeServer fake;
  private Pool pg;
  private Process redis;
  private Path configFile;
  private long firstFullMinute;
  private final List<OracleProcess> nodes = new ArrayList<>();

  /** Stored rows as seen before each fault: none may lose information afterwards. */
  private final Map<String, Row> snapshots = new HashMap<>();

  @BeforeAll
  void startCluster() throws Exception {
    assertThat(OracleProcess.JAR)
        .as("the packaged jar (integration tests run after `package`)")
        .exists();
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    vertx = Vertx.vertx();
    startRedis();
    pg = PgFactory.pool(vertx, TestEnv.pgUrl("oracle_faults"), 2);
    await(pg.query("DROP SCHEMA public CASCADE").execute());
    await(pg.query("CREATE SCHEMA public").execute());
    fake = await(FakeExchangeServer.start(vertx));
    Random random = new Random(7);
    Map<String, Double> prices = new HashMap<>(Map.of("BTC/USDT", 60_000.0, "ETH/USDT", 3_000.0));
    // Prices move (a random walk), so a candle that lost part of its minute would show it.
    vertx.setPeriodic(
        0,
        200,
        id ->
            prices.replaceAll(
                (s, p) -> {
                  double next = p * (1 + random.nextGaussian() * 0.0005);
                  for (String e : SOURCES) fake.price(e, s, next).liquidity(e, s, 1_000_000);
                  return next;
                }));
    JsonObject config =
        new JsonObject()
            .put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + REDIS_PORT + "/0"))
            .put(
                "postgres",
                new JsonObject()
                    .put("url", TestEnv.pgUrl("oracle_faults"))
                    .put("poolSize", 2)
                    .put("idleInTransactionTimeoutMs", 2_000)
                    .put("lockTimeoutMs", 1_000))
            .put(
                "leader",
                new JsonObject().put("ttlMs", TTL_MS).put("heartbeatMs", 1_000).put("retryMs", 200))
            .put("symbols", new JsonArray(SYMBOLS))
            .put("exchanges", new JsonArray(SOURCES))
            .put("sources", fake.sourcesConfig())
            .put("ingestion", new JsonObject().put("intervalMs", 500))
            .put(
                "flush",
                new JsonObject()
                    .put("intervalMs", FLUSH_INTERVAL_MS)
                    .put("graceMs", 1_000)
                    .put("maxBackoffMs", 1_000))
            .put("backfill", new JsonObject().put("intervalMs", 86_400_000))
            .put("storage", new JsonObject().put("flavor", "plain"));
    configFile = WORK.resolve("config.json");
    Files.writeString(configFile, config.encodePrettily());
    nodes.add(new OracleProcess("fault-a", freePort(), WORK));
    nodes.add(new OracleProcess("fault-b", freePort(), WORK));
    for (OracleProcess n : nodes) n.start(configFile);
    for (OracleProcess n : nodes) Poll.until(() -> n.health() != null, Duration.ofSeconds(60));
    Poll.until(() -> nodes.stream().anyMatch(OracleProcess::leads), Duration.ofSeconds(30));
    firstFullMinute = RedisKeys.minuteOf(System.currentTimeMillis()) + 60;
    Poll.until(() -> storedRows() > 0, Duration.ofSeconds(30));
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (OracleProcess n : nodes) {
      if (n.isAlive()) n.stop();
    }
    if (redis != null) redis.destroyForcibly().waitFor();
    if (pg != null) await(pg.close());
    if (vertx != null) await(vertx.close());
  }

  @Test
  @Order(1)
  void redisRestartedEmptyNeverReissuesATokenNorDegradesAStoredMinute() throws Exception {
    for (int round = 1; round <= 3; round++) {
      Thread.sleep(8_000); // partial candles of the open minute are flushed before Redis goes
      snapshot();
      long before = maxToken();
      redis.destroyForcibly().waitFor(); // no persistence: lease, counter and candles are gone
      Thread.sleep(1_000);
      startRedis();
      long restartedAt = System.currentTimeMillis();
      Poll.until(
          () -> maxToken() > before && nodes.stream().anyMatch(OracleProcess::leads),
          Duration.ofSeconds(30));
      Thread.sleep(2 * FLUSH_INTERVAL_MS); // flushes of the rebuilt candles
      List<LogScan.Term> terms = LogScan.terms(WORK);
      System.out.printf(
          "fault suite / redis restart %d: new term %.1f s after the restart; tokens %s%n",
          round,
          (terms.get(terms.size() - 1).from() - restartedAt) / 1000.0,
          LogScan.tokens(terms));
      assertTermsAreOrdered(terms);
      assertNoStoredMinuteDegraded("redis restart " + round);
    }
  }

  @Test
  @Order(2)
  void aFrozenLeaderIsFencedAndTheNewLeaderWritesWithinOneFlushInterval() throws Exception {
    snapshot();
    OracleProcess leader = leader();
    long stoppedAt = System.currentTimeMillis();
    leader.signal("STOP");
    OracleProcess other = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    Poll.until(other::leads, Duration.ofSeconds(30));
    LogScan.Term term =
        LogScan.terms(WORK).stream()
            .filter(t -> t.node().equals(other.id))
            .reduce((a, b) -> b)
            .orElseThrow();
    long firstWrite =
        Poll.value(
            () -> LogScan.firstFlushAfter(WORK, other.id, term.from()), Duration.ofSeconds(30));
    System.out.printf(
        "fault suite / SIGSTOP: failover %.1f s, new leader's first flush %.1f s after its election (token %d)%n",
        (term.from() - stoppedAt) / 1000.0, (firstWrite - term.from()) / 1000.0, term.token());
    assertThat(firstWrite - term.from())
        .as("first write within one flush interval of the election")
        .isLessThanOrEqualTo(FLUSH_INTERVAL_MS + 1_500);
    leader.signal("CONT");
    Poll.until(() -> !leader.leads() || !other.leads(), Duration.ofSeconds(15));
    Thread.sleep(3 * FLUSH_INTERVAL_MS);
    assertThat(nodes.stream().filter(OracleProcess::leads).count())
        .as("one leader after the resume")
        .isEqualTo(1);
    assertTermsAreOrdered(LogScan.terms(WORK));
    assertNoStoredMinuteDegraded("SIGSTOP");
  }

  @Test
  @Order(3)
  void aKilledLeaderIsReplacedAndItsMinutesAreKept() throws Exception {
    snapshot();
    OracleProcess leader = leader();
    long killedAt = System.currentTimeMillis();
    leader.kill();
    OracleProcess other = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    Poll.until(other::leads, Duration.ofSeconds(30));
    LogScan.Term term =
        LogScan.terms(WORK).stream()
            .filter(t -> t.node().equals(other.id))
            .reduce((a, b) -> b)
            .orElseThrow();
    System.out.printf(
        "fault suite / SIGKILL: failover %.1f s (TTL %d s), token %d%n",
        (term.from() - killedAt) / 1000.0, TTL_MS / 1000, term.token());
    leader.start(configFile);
    Poll.until(() -> leader.health() != null, Duration.ofSeconds(60));
    assertTermsAreOrdered(LogScan.terms(WORK));
    assertNoStoredMinuteDegraded("SIGKILL");
  }

  @Test
  @Order(4)
  void theWholeRunKeptEveryMinuteOnceAndEveryWriteUnderTheNewestTerm() throws Exception {
    long lastFullMinute = RedisKeys.minuteOf(System.currentTimeMillis()) - 60;
    while (lastFullMinute
        < firstFullMinute + 60) { // at least two full minutes, the faults among them
      Thread.sleep(2_000);
      lastFullMinute = RedisKeys.minuteOf(System.currentTimeMillis()) - 60;
    }
    long checkTo = lastFullMinute;
    Poll.until(() -> countMinutes(SYMBOLS.get(0), checkTo, checkTo) == 1, Duration.ofSeconds(30));
    List<LogScan.Term> terms = LogScan.terms(WORK);
    assertTermsAreOrdered(terms);
    // The database's fence is the newest term's: no older term can write any more.
    Row fence =
        await(pg.query("SELECT token, holder FROM oracle_fencing WHERE name = 'writer'").execute())
            .iterator()
            .next();
    LogScan.Term newest = terms.get(terms.size() - 1);
    assertThat(fence.getLong("token")).isEqualTo(newest.token());
    assertThat(fence.getString("holder")).isEqualTo(newest.node());
    long refused = LogScan.count(WORK, "flush rejected");
    long expected = (checkTo - firstFullMinute) / 60 + 1;
    for (String s : SYMBOLS) {
      assertThat(countMinutes(s, firstFullMinute, checkTo))
          .as("minutes of %s", s)
          .isEqualTo(expected);
    }
    assertNoStoredMinuteDegraded("the whole run");
    System.out.printf(
        "fault suite: %d terms, tokens %s; %d flushes of a deposed term refused by the fence; %d full minutes "
            + "checked per symbol, 0 lost, 0 duplicated; %d stored rows compared, 0 degraded%n",
        terms.size(), LogScan.tokens(terms), refused, expected, snapshots.size());
  }

  // ---- checks ----------------------------------------------------------------------------------

  private static void assertTermsAreOrdered(List<LogScan.Term> terms) {
    assertThat(terms).isNotEmpty();
    assertThat(terms.stream().map(LogScan.Term::token).distinct().count())
        .as("no token issued twice: %s", terms)
        .isEqualTo(terms.size());
    for (int i = 1; i < terms.size(); i++) {
      assertThat(terms.get(i).token())
          .as("tokens of successive terms strictly increase: %s", terms)
          .isGreaterThan(terms.get(i - 1).token());
    }
  }

  /**
   * Every row seen before a fault still holds at least what it held: same or earlier open, wider
   * range, later close.
   */
  private void assertNoStoredMinuteDegraded(String scenario) {
    int compared = 0;
    for (Row now : rows()) {
      Row was = snapshots.get(now.getString("symbol") + "@" + now.getLong("t"));
      if (was == null) continue;
      compared++;
      String what = scenario + ": " + now.getString("symbol") + " @ " + now.getLong("t");
      assertThat(now.getBigDecimal("high"))
          .as(what + " high")
          .isGreaterThanOrEqualTo(was.getBigDecimal("high"));
      assertThat(now.getBigDecimal("low"))
          .as(what + " low")
          .isLessThanOrEqualTo(was.getBigDecimal("low"));
      assertThat(now.getBigDecimal("volume"))
          .as(what + " volume")
          .isGreaterThanOrEqualTo(was.getBigDecimal("volume"));
      assertThat(now.getLong("ft")).as(what + " first tick").isLessThanOrEqualTo(was.getLong("ft"));
      assertThat(now.getLong("lt"))
          .as(what + " last tick")
          .isGreaterThanOrEqualTo(was.getLong("lt"));
      if (now.getLong("ft").equals(was.getLong("ft"))) {
        assertThat(now.getBigDecimal("open"))
            .as(what + " open")
            .isEqualByComparingTo(was.getBigDecimal("open"));
      }
    }
    System.out.printf(
        "fault suite / %s: %d stored minutes compared with their earlier state, 0 degraded%n",
        scenario, compared);
  }

  private void snapshot() {
    for (Row r : rows()) snapshots.put(r.getString("symbol") + "@" + r.getLong("t"), r);
  }

  private List<Row> rows() {
    List<Row> out = new ArrayList<>();
    await(
            pg.query(
                    "SELECT symbol, extract(epoch FROM time)::bigint AS t, open, high, low, close, volume, "
                        + "(extract(epoch FROM first_tick_at) * 1000)::bigint AS ft, (extract(epoch FROM last_tick_at) * 1000)::bigint AS lt "
                        + "FROM ohlcv_1m WHERE first_tick_at IS NOT NULL")
                .execute())
        .forEach(out::add);
    return out;
  }

  private long storedRows() {
    try {
      return await(pg.query("SELECT count(*) FROM ohlcv_1m").execute())
          .iterator()
          .next()
          .getLong(0);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private long maxToken() {
    try {
      return LogScan.terms(WORK).stream().mapToLong(LogScan.Term::token).max().orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }

  private OracleProcess leader() {
    return Poll.value(
        () -> nodes.stream().filter(OracleProcess::leads).findFirst().orElse(null),
        Duration.ofSeconds(30));
  }

  private long countMinutes(String symbol, long from, long to) {
    return await(
            pg.preparedQuery(
                    "SELECT count(*) FROM ohlcv_1m WHERE symbol = $1 AND time BETWEEN to_timestamp($2) AND to_timestamp($3)")
                .execute(Tuple.of(symbol, from, to)))
        .iterator()
        .next()
        .getLong(0);
  }

  private void startRedis() throws Exception {
    redis =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                WORK.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("redis.log").toFile()))
            .start();
    Poll.until(
        () -> {
          try (java.net.Socket s = new java.net.Socket("127.0.0.1", REDIS_PORT)) {
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(10));
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
