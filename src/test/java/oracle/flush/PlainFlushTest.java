package oracle.flush;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import oracle.common.Addresses;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.hotstore.CandleKeys;
import oracle.storage.StorageBackend;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.Test;

/** The flush contract on plain PostgreSQL. */
class PlainFlushTest extends FlushContractTest {
  @Override
  StorageBackend backend() {
    return StorageBackend.PLAIN;
  }

  @Test
  void aFencingCounterThatRedisLostIsRaisedAboveTheDatabaseAndFlushingResumes() {
    // The database has seen a later term than Redis remembers: Redis
    // restarted empty (clean() emptied
    // it), so its counter starts over at 1, far below.
    long stored = token() + 1_000;
    await(repo.upsert(List.of(), stored));
    String key = CandleKeys.candle("BTC/USDT", nowMinute - 60);
    seed("BTC/USDT", nowMinute - 60, 100, System.currentTimeMillis());
    JsonObject config =
        TestEnv.baseConfig(TestEnv.REDIS_DB_STORAGE, null)
            .put("instanceId", "floor-test")
            .put("postgres", new JsonObject().put("url", backend().url()).put("poolSize", 4))
            .put(
                "leader",
                new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 500).put("retryMs", 100))
            .put("flush", new JsonObject().put("intervalMs", 100).put("maxBackoffMs", 200));
    String leader =
        await(
            vertx.deployVerticle(
                Verticles.of(config)::leader, new DeploymentOptions().setConfig(config)));
    String flush =
        await(
            vertx.deployVerticle(
                Verticles.of(config)::flush, new DeploymentOptions().setConfig(config)));
    try {
      Poll.until(() -> field(key, "flushed_at") != null, Duration.ofSeconds(20));
      long token =
          await(vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, null))
              .body()
              .getLong("fencingToken");
      assertThat(token).isGreaterThan(stored);
      assertThat(
              await(
                      redis.send(
                          io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.GET)
                              .arg(RedisKeys.LEADER_FENCING)))
                  .toLong())
          .isGreaterThanOrEqualTo(token);
      assertThat(await(repo.storedFencingToken())).isGreaterThan(stored).isLessThanOrEqualTo(token);
      assertThat(dbRows()).isEqualTo(1);
    } finally {
      await(vertx.undeploy(flush));
      await(vertx.undeploy(leader));
      TOKENS.set(Math.max(TOKENS.get(), await(repo.storedFencingToken())));
    }
  }

  /**
   * Verticle scheduling, the same on both paths: checked once, on the one that takes many
   * connections.
   */
  @Test
  void theVerticleRunsTheNextPassAtOnceWhileABacklogRemains() {
    JsonObject config = TestEnv.baseConfig(TestEnv.REDIS_DB_STORAGE, null);
    config
        .put("postgres", new JsonObject().put("url", backend().url()).put("poolSize", 4))
        .put("flush", new JsonObject().put("intervalMs", 600_000).put("maxRowsPerPass", 10));
    long now = System.currentTimeMillis();
    for (int i = 2; i <= 36; i++) seed("ETH/USDT", RedisKeys.minuteOf(now) - i * 60L, 10 + i, now);
    String id =
        await(
            vertx.deployVerticle(
                Verticles.of(config)::flush, new DeploymentOptions().setConfig(config)));
    try {
      vertx
          .eventBus()
          .publish(
              Addresses.LEADER_ELECTED,
              new JsonObject().put("instanceId", "test").put("fencingToken", token()));
      // Four passes of at most 10; the interval (10 minutes) is never waited for. (the status
      // counts a pass once its marking is done too, a moment after the rows are committed)
      JsonObject status =
          Poll.value(
              () -> {
                JsonObject s =
                    await(vertx.eventBus().<JsonObject>request(Addresses.FLUSH_STATUS, null))
                        .body();
                return s.getLong("rowsFlushed") >= 35 ? s : null;
              },
              Duration.ofSeconds(20));
      assertThat(dbRows()).isEqualTo(35);
      assertThat(status.getLong("rowsFlushed")).isEqualTo(35);
      assertThat(status.getString("lastError")).isNull();
      assertThat(status.getBoolean("backlog")).isFalse();
    } finally {
      await(vertx.undeploy(id));
    }
  }

  private JsonObject verticleConfig(JsonObject flush) {
    return TestEnv.baseConfig(TestEnv.REDIS_DB_STORAGE, null)
        .put(
            "postgres",
            new JsonObject()
                .put("url", backend().url())
                .put("poolSize", 4)
                .put("lockTimeoutMs", 30_000))
        .put("flush", flush);
  }

  private void elect(long token) {
    vertx
        .eventBus()
        .publish(
            Addresses.LEADER_ELECTED,
            new JsonObject().put("instanceId", "test").put("fencingToken", token));
  }

  @Test
  void leadershipLostAndRegainedWhileAPassRunsLeavesTheFlushRunning() throws InterruptedException {
    String id =
        await(
            vertx.deployVerticle(
                Verticles.of(
                        verticleConfig(new JsonObject().put("intervalMs", 500).put("graceMs", 0)))
                    ::flush,
                new DeploymentOptions()
                    .setConfig(
                        verticleConfig(
                            new JsonObject().put("intervalMs", 500).put("graceMs", 0)))));
    io.vertx.sqlclient.SqlConnection blocker = await(pool.getConnection());
    try {
      // The first pass blocks on the fence row, held by another session.
      await(blocker.query("BEGIN").execute());
      await(
          blocker
              .query("SELECT token FROM oracle_fencing WHERE name = 'writer' FOR UPDATE")
              .execute());
      long now = System.currentTimeMillis();
      seed("BTC/USDT", RedisKeys.minuteOf(now) - 60, 100, now);
      long token = token();
      elect(token);
      Poll.until(
          () ->
              await(
                          pool.query(
                                  "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                              .execute())
                      .iterator()
                      .next()
                      .getLong(0)
                  > 0,
          Duration.ofSeconds(10));
      // A renewal answered late: revoked, then elected again while that pass still waits.
      vertx
          .eventBus()
          .publish(
              Addresses.LEADER_REVOKED,
              new JsonObject().put("instanceId", "test").put("fencingToken", token));
      long next = token();
      elect(next);
      Thread.sleep(300);
      await(blocker.query("COMMIT").execute());

      // The flush keeps running under the new term: a later candle is written
      // within a few intervals.
      String later = CandleKeys.candle("ETH/USDT", RedisKeys.minuteOf(now) - 120);
      seed("ETH/USDT", RedisKeys.minuteOf(now) - 120, 50, System.currentTimeMillis());
      Poll.until(() -> field(later, "flushed_at") != null, Duration.ofSeconds(10));
      assertThat(dbRows()).isEqualTo(2);
    } finally {
      blocker.close();
      await(vertx.undeploy(id));
    }
  }

  @Test
  void aGracefulStopRunsAFinalPassThatWritesTheOpenMinute() {
    String id =
        await(
            vertx.deployVerticle(
                Verticles.of(
                        verticleConfig(
                            new JsonObject().put("intervalMs", 600_000).put("graceMs", 0)))
                    ::flush,
                new DeploymentOptions()
                    .setConfig(
                        verticleConfig(
                            new JsonObject().put("intervalMs", 600_000).put("graceMs", 0)))));
    elect(token());
    Poll.until(
        () ->
            await(vertx.eventBus().<JsonObject>request(Addresses.FLUSH_STATUS, null))
                    .body()
                    .getLong("lastFlushAt")
                != null,
        Duration.ofSeconds(10));
    long now = System.currentTimeMillis();
    seed(
        "BTC/USDT",
        RedisKeys.minuteOf(now),
        123,
        now); // the open minute, after the last regular pass
    assertThat(dbRows()).isZero();
    await(vertx.undeploy(id));
    assertThat(dbRows()).as("written by the final pass").isEqualTo(1);
  }

  @Test
  void aWriterFrozenInsideATransactionLosesItsLockSoTheNextLeaderWrites() {
    // The old leader froze (SIGSTOP) between BEGIN and COMMIT, holding the fence row: its
    // session is bounded like every oracle session, so the server ends it and the new
    // leader's write goes through.
    io.vertx.sqlclient.Pool frozenPool =
        oracle.common.PgFactory.pool(
            vertx,
            backend().url(),
            1,
            new oracle.common.PgFactory.SessionLimits(60_000, 5_000, 1_000));
    io.vertx.sqlclient.SqlConnection frozen = await(frozenPool.getConnection());
    try {
      await(frozen.query("BEGIN").execute());
      await(
          frozen
              .query("SELECT token FROM oracle_fencing WHERE name = 'writer' FOR UPDATE")
              .execute());
      long started = System.nanoTime();
      io.vertx.sqlclient.Pool leaderPool = oracle.common.PgFactory.pool(vertx, backend().url(), 2);
      try {
        await(
            new oracle.storage.CandleRepository(leaderPool, backend().flavor())
                .upsert(
                    List.of(
                        new oracle.storage.CandleRow(
                            "BTC/USDT",
                            RedisKeys.minuteOf(System.currentTimeMillis()) - 60,
                            1,
                            2,
                            0.5,
                            1.5,
                            1,
                            null,
                            List.of())),
                    token()));
      } finally {
        await(leaderPool.close());
      }
      long waitedMs = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("frozen writer: the new leader's write waited %d ms%n", waitedMs);
      assertThat(waitedMs).isLessThan(5_000);
      assertThat(dbRows()).isEqualTo(1);
    } finally {
      frozen.close();
      await(frozenPool.close());
    }
  }

  @Test
  void aPassRunsTheGraceAfterEveryMinuteClosesAndTheLagCountsFromTheClose() {
    long minute = 1_764_068_400_000L;
    assertThat(FlushVerticle.untilNextPass(minute + 10_000, 60_000, 3_000)).isEqualTo(53_000);
    assertThat(FlushVerticle.untilNextPass(minute + 1_000, 60_000, 3_000))
        .as("within the grace of a close")
        .isEqualTo(2_000);
    assertThat(FlushVerticle.untilNextPass(minute + 3_000, 60_000, 3_000))
        .as("just ran: the next close")
        .isEqualTo(60_000);
    assertThat(FlushVerticle.untilNextPass(minute + 10_000, 5_000, 3_000))
        .as("a shorter interval wins")
        .isEqualTo(5_000);

    String id =
        await(
            vertx.deployVerticle(
                Verticles.of(
                        verticleConfig(
                            new JsonObject().put("intervalMs", 600_000).put("graceMs", 0)))
                    ::flush,
                new DeploymentOptions()
                    .setConfig(
                        verticleConfig(
                            new JsonObject().put("intervalMs", 600_000).put("graceMs", 0)))));
    try {
      elect(token());
      JsonObject status =
          Poll.value(
              () -> {
                JsonObject st =
                    await(vertx.eventBus().<JsonObject>request(Addresses.FLUSH_STATUS, null))
                        .body();
                return st.getLong("lastFlushAt") != null ? st : null;
              },
              Duration.ofSeconds(10));
      assertThat(status.getLong("lagSeconds")).as("every closed minute is stored").isZero();
    } finally {
      await(vertx.undeploy(id));
    }
  }
}
