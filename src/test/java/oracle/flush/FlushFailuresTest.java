package oracle.flush;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.hotstore.CandleKeys;
import oracle.storage.CandleRepository;
import oracle.storage.StorageFlavor;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flush verticle's error paths against a real Redis (database 11; only candle keys are touched)
 * and PostgreSQL (database h5_flush, plain path): a stale token reported to the leader with a
 * bounded backoff, the pass deadline, and the final pass of a graceful stop when it is disabled or
 * fails.
 */
class FlushFailuresTest {
  private static final int REDIS_DB = 11;

  private Vertx vertx;
  private OracleMetrics metrics;
  private Redis redis;
  private Pool pg;
  private String pgUrl;
  private String deployment;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.redisUrl(REDIS_DB));
    deleteCandleKeys();
    pgUrl = TestEnv.migratedPgUrl("h5_flush");
    pg = PgFactory.pool(vertx, pgUrl, 2);
    await(pg.query("DELETE FROM ohlcv_1m").execute());
    await(
        pg.query("UPDATE oracle_fencing SET token = 0, holder = NULL WHERE name = 'writer'")
            .execute());
  }

  @AfterEach
  void tearDown() {
    if (deployment != null) await(vertx.undeploy(deployment));
    deleteCandleKeys();
    await(pg.close());
    await(vertx.close());
  }

  private void deleteCandleKeys() {
    Response keys = await(redis.send(Request.cmd(Command.KEYS).arg(CandleKeys.PREFIX + "*")));
    for (Response k : keys) await(redis.send(Request.cmd(Command.DEL).arg(k.toString())));
  }

  private void deploy(JsonObject flush) {
    JsonObject config =
        new JsonObject()
            .put("instanceId", "h5-flush")
            .put("redis", new JsonObject().put("url", TestEnv.redisUrl(REDIS_DB)))
            .put(
                "postgres",
                new JsonObject().put("url", pgUrl).put("poolSize", 4).put("lockTimeoutMs", 30_000))
            .put("storage", new JsonObject().put("flavor", "plain"))
            .put(
                "flush",
                flush.put("intervalMs", flush.getLong("intervalMs", 600_000L)).put("graceMs", 0));
    Verticles wired = Verticles.of(config);
    metrics = wired.metrics();
    deployment =
        await(vertx.deployVerticle(wired::flush, new DeploymentOptions().setConfig(config)));
  }

  private void elect(long token) {
    vertx
        .eventBus()
        .publish(
            Addresses.LEADER_ELECTED,
            new JsonObject().put("instanceId", "h5-flush").put("fencingToken", token));
  }

  private JsonObject status() {
    return await(vertx.eventBus().<JsonObject>request(Addresses.FLUSH_STATUS, null)).body();
  }

  private String seed(long minute) {
    return seed("BTC/USDT", minute);
  }

  private String seed(String symbol, long minute) {
    String key = CandleKeys.candle(symbol, minute);
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(key)
                .arg("open")
                .arg("99")
                .arg("high")
                .arg("101")
                .arg("low")
                .arg("98")
                .arg("close")
                .arg("100")
                .arg("volume")
                .arg("2.5")
                .arg("updated_at")
                .arg(Long.toString(System.currentTimeMillis()))
                .arg("sources")
                .arg("binance")));
    // As update_candle.lua does with every change: the candle is dirty until the flush marks it.
    await(redis.send(Request.cmd(Command.SADD).arg(CandleKeys.DIRTY).arg(key)));
    return key;
  }

  private String field(String key, String field) {
    Response r = await(redis.send(Request.cmd(Command.HGET).arg(key).arg(field)));
    return r == null ? null : r.toString();
  }

  private long dbRows() {
    return await(pg.query("SELECT count(*) FROM ohlcv_1m").execute()).iterator().next().getLong(0);
  }

  private void setDatabaseToken(long token) {
    await(
        pg.query("UPDATE oracle_fencing SET token = " + token + " WHERE name = 'writer'")
            .execute());
  }

  private long closedMinute() {
    return RedisKeys.minuteOf(System.currentTimeMillis()) - 60;
  }

  @Test
  void aStaleTokenIsRefusedRetriedWithinTheBackoffCapAndReportedToTheLeader()
      throws InterruptedException {
    deploy(new JsonObject().put("maxBackoffMs", 200));
    JsonObject follower = status();
    assertThat(follower.getBoolean("leader")).isFalse();
    assertThat(follower.getLong("lagSeconds")).as("a follower has no lag").isZero();
    assertThat(follower.getValue("lastFlushAt")).isNull();
    setDatabaseToken(900); // a newer term has written with token 900
    String key = seed(closedMinute());
    elect(899);

    // No leader verticle answers here: the refusal is recorded and retried, nothing is written.
    Poll.until(() -> status().getString("lastError") != null, Duration.ofSeconds(5));
    assertThat(status().getString("lastError")).containsIgnoringCase("fenc");

    List<Long> floors = Collections.synchronizedList(new ArrayList<>());
    MessageConsumer<JsonObject> leader =
        vertx
            .eventBus()
            .consumer(
                Addresses.LEADER_FENCING_FLOOR,
                m -> {
                  floors.add(m.body().getLong("floor"));
                  m.reply(
                      new JsonObject()
                          .put(
                              "steppedDown",
                              floors.size() == 1)); // stepped down once; then already a follower
                });
    long started = System.currentTimeMillis();
    Poll.until(() -> floors.size() >= 3, Duration.ofSeconds(10));
    long took = System.currentTimeMillis() - started;
    // Uncapped, the waits after failures 2, 3, 4 would be 2 s, 4 s, 8 s.
    assertThat(took)
        .as("retries every maxBackoffMs (200 ms) once the backoff reaches it")
        .isLessThan(5_000);
    assertThat(floors).allMatch(f -> f == 900L);
    assertThat(dbRows()).isZero();
    assertThat(field(key, "flushed_at")).isNull();

    vertx
        .eventBus()
        .publish(
            Addresses.LEADER_REVOKED,
            new JsonObject().put("instanceId", "h5-flush").put("fencingToken", 899));
    Thread.sleep(1_000); // a pass already running ends first
    int afterRevoke = floors.size();
    Thread.sleep(600);
    assertThat(floors).as("no pass while not leading").hasSize(afterRevoke);
    await(leader.unregister());

    elect(901);
    Poll.until(() -> field(key, "flushed_at") != null, Duration.ofSeconds(5));
    assertThat(dbRows()).isEqualTo(1);
    // The candle is marked inside the pass; the pass records its success right after.
    Poll.until(() -> status().getString("lastError") == null, Duration.ofSeconds(5));
  }

  @Test
  void aPassPastItsDeadlineFailsAndTheNextPassWritesOnceTheDatabaseAnswers() {
    deploy(new JsonObject().put("passTimeoutMs", 1_000).put("maxBackoffMs", 200));
    SqlConnection blocker = await(pg.getConnection());
    try {
      await(blocker.query("BEGIN").execute());
      await(
          blocker
              .query("SELECT token FROM oracle_fencing WHERE name = 'writer' FOR UPDATE")
              .execute());
      String key = seed(closedMinute());
      long started = System.currentTimeMillis();
      elect(1);
      String error = Poll.value(() -> status().getString("lastError"), Duration.ofSeconds(5));
      long failedAfter = System.currentTimeMillis() - started;
      System.out.printf("pass deadline: failed after %d ms with \"%s\"%n", failedAfter, error);
      assertThat(failedAfter).isBetween(900L, 4_000L);
      assertThat(dbRows()).isZero();
      assertThat(field(key, "flushed_at")).isNull();

      await(blocker.query("COMMIT").execute());
      Poll.until(
          () -> field(key, "flushed_at") != null && status().getString("lastError") == null,
          Duration.ofSeconds(10));
      assertThat(dbRows()).isEqualTo(1);
    } finally {
      blocker.close();
    }
  }

  @Test
  void withTheFinalPassDisabledAStopLeavesTheOpenMinuteInRedis() {
    deploy(new JsonObject().put("finalPassMs", 0));
    elect(1);
    Poll.until(() -> status().getLong("lastFlushAt") != null, Duration.ofSeconds(10));
    String open = seed(RedisKeys.minuteOf(System.currentTimeMillis()));
    await(vertx.undeploy(deployment));
    deployment = null;
    assertThat(dbRows()).isZero();
    assertThat(field(open, "close")).isEqualTo("100");
    assertThat(field(open, "flushed_at")).isNull();
  }

  @Test
  void aFinalPassRefusedByTheFenceLeavesTheCandlesInRedisForTheNextLeader() {
    deploy(new JsonObject());
    elect(1);
    Poll.until(() -> status().getLong("lastFlushAt") != null, Duration.ofSeconds(10));
    assertThat(status().getBoolean("leader")).isTrue();
    setDatabaseToken(50); // a newer term exists: this instance's last pass is refused
    String open = seed(RedisKeys.minuteOf(System.currentTimeMillis()));
    String closed = seed(closedMinute());
    long started = System.currentTimeMillis();
    await(vertx.undeploy(deployment));
    deployment = null;
    assertThat(System.currentTimeMillis() - started)
        .as("the stop completes; the failure is only logged")
        .isLessThan(5_000);
    assertThat(dbRows()).isZero();
    assertThat(field(open, "flushed_at")).isNull();
    assertThat(field(closed, "flushed_at")).isNull();
    Gauge lag = metrics.registry().find("oracle.flush.lag.seconds").gauge();
    assertThat(lag.value()).as("no flush verticle deployed: no lag reported").isZero();
  }

  @Test
  void aPassThatReadsExactlyTheCapLeavesNoBacklogAndFlushedKeysDoNotCountTowardsIt() {
    Flusher flusher =
        new Flusher(
            redis,
            new CandleRepository(pg, StorageFlavor.PLAIN),
            System::currentTimeMillis,
            3_600,
            3);
    long minute = closedMinute();
    for (String s : List.of("A/USDT", "B/USDT", "C/USDT")) seed(s, minute);
    FlushResult first = await(flusher.flushOnce(1));
    assertThat(first.rowsWritten()).isEqualTo(3);
    assertThat(first.backlog()).as("exactly the cap: nothing left, no extra pass").isFalse();

    // Six keys now, three of them flushed (kept for their TTL): the three new ones fit the cap.
    for (String s : List.of("D/USDT", "E/USDT", "F/USDT")) seed(s, minute - 60);
    FlushResult second = await(flusher.flushOnce(2));
    assertThat(second.rowsWritten()).isEqualTo(3);
    assertThat(second.rowsMarked()).isEqualTo(3);
    assertThat(second.backlog()).isFalse();
    assertThat(dbRows()).isEqualTo(6);
  }

  @Test
  void aPassThatEndsAfterLeadershipWasLostSchedulesNoOther() throws InterruptedException {
    deploy(new JsonObject().put("intervalMs", 100));
    SqlConnection blocker = await(pg.getConnection());
    try {
      await(blocker.query("BEGIN").execute());
      await(
          blocker
              .query("SELECT token FROM oracle_fencing WHERE name = 'writer' FOR UPDATE")
              .execute());
      String first = seed(closedMinute());
      elect(1);
      Poll.until(
          () ->
              await(
                          pg.query(
                                  "SELECT count(*) FROM pg_stat_activity WHERE datname = 'h5_flush' AND wait_event_type = 'Lock'")
                              .execute())
                      .iterator()
                      .next()
                      .getLong(0)
                  > 0,
          Duration.ofSeconds(5));
      vertx
          .eventBus()
          .publish(
              Addresses.LEADER_REVOKED,
              new JsonObject().put("instanceId", "h5-flush").put("fencingToken", 1));
      Poll.until(() -> !status().getBoolean("leader"), Duration.ofSeconds(2));
      await(blocker.query("COMMIT").execute());
      Poll.until(
          () -> field(first, "flushed_at") != null,
          Duration.ofSeconds(5)); // the running pass completes
    } finally {
      blocker.close();
    }
    String later = seed(closedMinute() - 60);
    Thread.sleep(1_000); // ten intervals
    assertThat(field(later, "flushed_at")).as("no pass scheduled while following").isNull();
    assertThat(dbRows()).isEqualTo(1);
  }
}
