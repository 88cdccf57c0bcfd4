package oracle.leader;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import oracle.common.Addresses;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.support.Poll;
import oracle.support.TcpProxy;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's failure paths against a real Redis (database 11, only the two leader keys are
 * touched) and PostgreSQL (database h5_leader): a writer reporting a newer term, a database that
 * issues no token or cannot be reached, and a lease lost while the token was being issued.
 */
class LeaderFailuresTest {
  private static final int REDIS_DB = 11;

  /** Nothing listens here (the h5 port range): PostgreSQL unreachable. */
  private static final String DEAD_PG = "postgresql://postgres@127.0.0.1:16901/h5_leader";

  private Vertx vertx;
  private Redis redis;
  private Pool pg;
  private String pgUrl;
  private final List<Node> nodes = new ArrayList<>();

  /**
   * One instance: its own Vert.x (own event bus, as a separate process) and the signals it
   * published.
   */
  private final class Node {
    /** One event loop, so a task run on it stalls the leader verticle too. */
    final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

    final List<JsonObject> elected = Collections.synchronizedList(new ArrayList<>());
    final List<JsonObject> revoked = Collections.synchronizedList(new ArrayList<>());
    final JsonObject config;

    Node(String id, String pgUrl, long ttlMs, long heartbeatMs, long retryMs) {
      config =
          new JsonObject()
              .put("instanceId", id)
              .put("redis", new JsonObject().put("url", TestEnv.redisUrl(REDIS_DB)))
              .put("postgres", new JsonObject().put("url", pgUrl))
              .put(
                  "leader",
                  new JsonObject()
                      .put("ttlMs", ttlMs)
                      .put("heartbeatMs", heartbeatMs)
                      .put("retryMs", retryMs));
      vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_ELECTED, m -> elected.add(m.body()));
      vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_REVOKED, m -> revoked.add(m.body()));
      nodes.add(this);
    }

    Node deploy() {
      await(
          vertx.deployVerticle(
              Verticles.of(config).leader(), new DeploymentOptions().setConfig(config)));
      return this;
    }

    JsonObject status() {
      return await(vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, null)).body();
    }

    JsonObject reportFloor(long floor) {
      return await(
              vertx
                  .eventBus()
                  .<JsonObject>request(
                      Addresses.LEADER_FENCING_FLOOR, new JsonObject().put("floor", floor)))
          .body();
    }

    /**
     * Blocks the instance's event loop (a long GC pause, a stuck handler), without waiting for it.
     */
    void stall(long ms) {
      vertx
          .getOrCreateContext()
          .runOnContext(
              v -> {
                try {
                  Thread.sleep(ms);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
    }

    long awaitElected(int count) {
      return Poll.value(
          () -> elected.size() >= count ? elected.get(count - 1).getLong("fencingToken") : null,
          Duration.ofSeconds(5));
    }
  }

  /** Waits until an instance's token request is queued on the fence row lock held by a test. */
  private void awaitTokenRequestQueued(String holder) {
    Poll.until(
        () ->
            holder.equals(leaseHolder())
                && await(
                            pg.query(
                                    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'h5_leader' AND wait_event_type = 'Lock'")
                                .execute())
                        .iterator()
                        .next()
                        .getLong(0)
                    > 0,
        Duration.ofSeconds(3));
  }

  private long databaseToken() {
    return await(pg.query("SELECT token FROM oracle_fencing WHERE name = 'writer'").execute())
        .iterator()
        .next()
        .getLong(0);
  }

  private String databaseHolder() {
    return await(pg.query("SELECT holder FROM oracle_fencing WHERE name = 'writer'").execute())
        .iterator()
        .next()
        .getString(0);
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.redisUrl(REDIS_DB));
    deleteLeaderKeys();
    pgUrl = TestEnv.migratedPgUrl("h5_leader");
    pg = PgFactory.pool(vertx, pgUrl, 2);
    await(
        pg.query(
                "INSERT INTO oracle_fencing (name, token) VALUES ('writer', 0) "
                    + "ON CONFLICT (name) DO UPDATE SET token = 0, holder = NULL, lease_epoch = 0")
            .execute());
  }

  @AfterEach
  void tearDown() {
    for (Node n : nodes) await(n.vertx.close());
    deleteLeaderKeys();
    await(pg.close());
    await(vertx.close());
  }

  private void deleteLeaderKeys() {
    redis(Command.DEL, RedisKeys.LEADER_ELECTION, RedisKeys.LEADER_FENCING, RedisKeys.LEADER_EPOCH);
  }

  private Response redis(Command cmd, String... args) {
    Request req = Request.cmd(cmd);
    for (String a : args) req.arg(a);
    return await(redis.send(req));
  }

  private String leaseHolder() {
    Response r = redis(Command.GET, RedisKeys.LEADER_ELECTION);
    return r == null ? null : r.toString();
  }

  private void setDatabaseToken(long token) {
    await(
        pg.query("UPDATE oracle_fencing SET token = " + token + " WHERE name = 'writer'")
            .execute());
  }

  @Test
  void aWriterThatSawANewerTermMakesTheLeaderStepDownAndTheNextTermIsAboveIt() {
    Node a = new Node("a", pgUrl, 1_500, 300, 100).deploy();
    long first = a.awaitElected(1);

    JsonObject same = a.reportFloor(first);
    assertThat(same.getBoolean("steppedDown")).as("our own token is no newer term").isFalse();
    assertThat(same.getLong("fencingToken")).isEqualTo(first);
    assertThat(a.status().getBoolean("leader")).isTrue();

    setDatabaseToken(first + 10); // another term wrote with a token issued after ours
    JsonObject newer = a.reportFloor(first + 10);
    assertThat(newer.getBoolean("steppedDown")).isTrue();
    assertThat(newer.getValue("fencingToken")).as("no token while not leading").isNull();
    assertThat(a.revoked).hasSize(1);
    assertThat(a.revoked.get(0).getString("reason"))
        .contains("newer term")
        .contains(Long.toString(first + 10));
    assertThat(a.revoked.get(0).getLong("fencingToken")).isEqualTo(first);

    // It may lead again, but only with a new term whose token is above the newer one.
    long second = a.awaitElected(2);
    assertThat(second).isEqualTo(first + 11);
    assertThat(redis(Command.GET, RedisKeys.LEADER_FENCING).toLong()).isEqualTo(second);
  }

  @Test
  void aDatabaseThatIssuesNoTokenMakesTheInstanceLetTheLeaseGoUntilItDoes()
      throws InterruptedException {
    await(
        pg.query("DELETE FROM oracle_fencing WHERE name = 'writer'")
            .execute()); // schema not migrated yet, say
    Node a = new Node("a", pgUrl, 1_500, 300, 100).deploy();
    Thread.sleep(600); // several elections: each one took the lease and got no token

    assertThat(a.elected).as("no term without a token").isEmpty();
    assertThat(a.status().getBoolean("leader")).isFalse();
    assertThat(a.status().getValue("fencingToken")).isNull();
    JsonObject floor = a.reportFloor(5);
    assertThat(floor.getBoolean("steppedDown"))
        .as("a follower has nothing to step down from")
        .isFalse();
    assertThat(floor.getValue("fencingToken")).isNull();
    Poll.until(
        () -> leaseHolder() == null,
        Duration.ofSeconds(2)); // let go each time, not held to its TTL
    assertThat(redis(Command.EXISTS, RedisKeys.LEADER_FENCING).toLong())
        .as("nothing installed")
        .isZero();

    await(pg.query("INSERT INTO oracle_fencing (name, token) VALUES ('writer', 0)").execute());
    assertThat(a.awaitElected(1)).isEqualTo(1L);
    assertThat(a.status().getBoolean("leader")).isTrue();
  }

  @Test
  void anInstanceThatCannotReachPostgresqlLetsTheLeaseGoSoAnotherLeadsLongBeforeItsTtl()
      throws InterruptedException {
    long ttl = 10_000;
    Node cut = new Node("cut-off", DEAD_PG, ttl, 1_000, 3_000).deploy();
    Thread.sleep(500); // its first election took the lease and failed by now (connection refused)
    assertThat(leaseHolder()).as("let go, not held for its 10 s TTL").isNull();
    Node b = new Node("b", pgUrl, ttl, 1_000, 100);
    long started = System.currentTimeMillis();
    b.deploy();

    long token = b.awaitElected(1);
    long waited = System.currentTimeMillis() - started;
    System.out.printf(
        "PostgreSQL unreachable: the other instance led after %d ms (lease TTL %d ms)%n",
        waited, ttl);
    assertThat(waited).as("the lease was released, not left to expire").isLessThan(ttl / 2);
    assertThat(token).isEqualTo(1L);
    assertThat(cut.elected).isEmpty();
    assertThat(cut.status().getBoolean("leader")).isFalse();
    assertThat(leaseHolder()).isEqualTo("b");
  }

  @Test
  void aLeaseLostWhileTheDatabaseIssuedTheTokenIsNeverLedWithThatToken()
      throws InterruptedException {
    SqlConnection blocker = await(pg.getConnection());
    try {
      // Token issuing waits on the fence row; meanwhile the lease passes to another instance.
      await(blocker.query("BEGIN").execute());
      await(
          blocker
              .query("SELECT token FROM oracle_fencing WHERE name = 'writer' FOR UPDATE")
              .execute());
      Node a = new Node("a", pgUrl, 1_500, 300, 100).deploy();
      Poll.until(
          () ->
              "a".equals(leaseHolder())
                  && await(
                              pg.query(
                                      "SELECT count(*) FROM pg_stat_activity WHERE datname = 'h5_leader' AND wait_event_type = 'Lock'")
                                  .execute())
                          .iterator()
                          .next()
                          .getLong(0)
                      > 0,
          Duration.ofSeconds(3));
      redis(Command.SET, RedisKeys.LEADER_ELECTION, "intruder", "PX", "3000");
      await(blocker.query("COMMIT").execute());

      Poll.until(
          () ->
              "a"
                  .equals(
                      await(
                              pg.query("SELECT holder FROM oracle_fencing WHERE name = 'writer'")
                                  .execute())
                          .iterator()
                          .next()
                          .getString(0)),
          Duration.ofSeconds(3));
      Thread.sleep(500);
      assertThat(a.elected).as("token 1 was issued but the lease was no longer ours").isEmpty();
      assertThat(a.status().getBoolean("leader")).isFalse();
      assertThat(redis(Command.EXISTS, RedisKeys.LEADER_FENCING).toLong())
          .as("token 1 never installed")
          .isZero();
      assertThat(leaseHolder()).isEqualTo("intruder");

      redis(Command.DEL, RedisKeys.LEADER_ELECTION); // the intruder is gone
      assertThat(a.awaitElected(1)).as("a new term, above the token never used").isEqualTo(2L);
    } finally {
      blocker.close();
    }
  }

  @Test
  void aLeaderWhoseEventLoopStalledPastItsLeaseStepsDownAndLeadsAgainOnlyWithANewTerm() {
    Node a = new Node("a", pgUrl, 1_500, 300, 100).deploy();
    long first = a.awaitElected(1);
    a.stall(1_700); // longer than the lease: another instance may lead by now

    Poll.until(() -> !a.revoked.isEmpty(), Duration.ofSeconds(5));
    assertThat(a.revoked.get(0).getString("reason"))
        .as("its watchdog, not a renewal answered after the stall")
        .containsAnyOf("not renewed in time", "came back too late");
    long second = a.awaitElected(2);
    assertThat(second).isGreaterThan(first);
    assertThat(a.revoked).hasSize(1);
  }

  @Test
  void aTermWhoseTokenArrivedTooCloseToTheLeaseEndIsNeverLed() {
    SqlConnection blocker = await(pg.getConnection());
    try {
      await(blocker.query("BEGIN").execute());
      await(
          blocker
              .query("SELECT token FROM oracle_fencing WHERE name = 'writer' FOR UPDATE")
              .execute());
      Node a = new Node("a", pgUrl, 2_000, 600, 100).deploy();
      awaitTokenRequestQueued("a");
      long leaseLeft = redis(Command.PTTL, RedisKeys.LEADER_ELECTION).toLong();
      // The token is issued at once but answered only ~100 ms before the lease ends (the loop is
      // stalled): inside the lease, but within the safety margin (ttl/10) where the lease cannot
      // be trusted.
      a.stall(leaseLeft - 100);
      await(blocker.query("COMMIT").execute());

      long next = a.awaitElected(1);
      assertThat(next).as("a fresh lease and term; token 1 was never led with").isEqualTo(2L);
      assertThat(a.revoked).as("no term began, so none ended").isEmpty();
      assertThat(a.status().getBoolean("leader")).isTrue();
      assertThat(a.status().getLong("fencingToken")).isEqualTo(2L);
    } finally {
      blocker.close();
    }
  }

  @Test
  void aFollowerToldOfANewerTokenEndsEveryLocalTerm() {
    await(pg.query("DELETE FROM oracle_fencing WHERE name = 'writer'").execute()); // never leads
    Node a = new Node("a", pgUrl, 1_500, 300, 100).deploy();
    List<Term> ended = Collections.synchronizedList(new ArrayList<>());
    LeaderGate gate = await(LeaderGate.attach(a.vertx, t -> {}, ended::add));
    // A term the verticle does not know of (a lost or misordered signal): a writer runs under it.
    a.vertx.eventBus().publish(Addresses.LEADER_ELECTED, new JsonObject().put("fencingToken", 3L));
    Poll.until(() -> gate.term().isCurrent(), Duration.ofSeconds(2));

    JsonObject answer = a.reportFloor(4);
    assertThat(answer.getBoolean("steppedDown")).as("it was not leading").isFalse();
    Poll.until(() -> !gate.term().isCurrent(), Duration.ofSeconds(2));
    assertThat(ended).extracting(Term::token).containsExactly(3L);
    assertThat(a.revoked).hasSize(1);
    assertThat(a.revoked.get(0).getString("reason")).contains("not leading").contains("4");
    assertThat(a.status().getBoolean("leader")).isFalse();
  }

  @Test
  void aRedisThatForgotTheEpochCounterIsCaughtUpFromTheDatabase() {
    // The database served grant 100; Redis's counter starts again from nothing (data loss).
    await(pg.query("UPDATE oracle_fencing SET lease_epoch = 100 WHERE name = 'writer'").execute());
    Node a = new Node("a", pgUrl, 1_500, 300, 100).deploy();
    assertThat(a.awaitElected(1)).as("the refused claim raised no token").isEqualTo(1L);
    assertThat(redis(Command.GET, RedisKeys.LEADER_EPOCH).toLong()).isGreaterThan(100L);
    assertThat(
            await(
                    pg.query("SELECT lease_epoch FROM oracle_fencing WHERE name = 'writer'")
                        .execute())
                .iterator()
                .next()
                .getLong(0))
        .isGreaterThan(100L);
  }

  @Test
  void aTokenThatCameBackTooLateStartsNoTermAnywhere() throws InterruptedException {
    SqlConnection blocker = await(pg.getConnection());
    try {
      await(blocker.query("BEGIN").execute());
      await(
          blocker
              .query("SELECT token FROM oracle_fencing WHERE name = 'writer' FOR UPDATE")
              .execute());
      Node a = new Node("a", pgUrl, 2_000, 600, 1_000).deploy();
      List<Term> gateTerms = Collections.synchronizedList(new ArrayList<>());
      LeaderGate gate = await(LeaderGate.attach(a.vertx, gateTerms::add, t -> {}));
      awaitTokenRequestQueued("a");
      // The token request is answered ~150 ms before the lease ends: inside the lease, but within
      // its safety margin (ttl/10 = 200 ms), where the lease can no longer be trusted.
      Poll.until(
          () -> redis(Command.PTTL, RedisKeys.LEADER_ELECTION).toLong() <= 150,
          Duration.ofSeconds(3));
      await(blocker.query("COMMIT").execute());
      // Token 1 installed under a's lease; then another instance leads, so nothing but the
      // signals can end a term started on token 1 (a retries only after 1 s).
      Poll.until(
          () -> redis(Command.EXISTS, RedisKeys.LEADER_FENCING).toLong() == 1L,
          Duration.ofSeconds(2));
      redis(Command.SET, RedisKeys.LEADER_ELECTION, "b", "PX", "5000");
      Thread.sleep(1_000);

      System.out.printf(
          "token came back late: elected %s, revoked %s, gate %s, status %s%n",
          a.elected, a.revoked, gate.term(), a.status());
      assertThat(a.elected).as("no term on a token that came back too late").isEmpty();
      assertThat(gateTerms).as("the gate never started term 1").isEmpty();
      assertThat(gate.term().isCurrent()).isFalse();
      assertThat(a.status().getBoolean("leader")).isFalse();
      assertThat(a.status().getValue("fencingToken")).isNull();
      assertThat(leaseHolder()).isEqualTo("b");
    } finally {
      blocker.close();
    }
  }

  @Test
  void aDeposedInstancesDelayedTokenRequestRaisesNoTokenAboveTheLeaders() {
    // a reaches PostgreSQL through a proxy the test can hang; b directly.
    URI target = URI.create(pgUrl.replace("postgresql://", "tcp://"));
    TcpProxy proxy = new TcpProxy(vertx, target.getHost(), target.getPort());
    int port = await(proxy.start());
    String proxied = "postgresql://postgres@127.0.0.1:" + port + target.getPath();
    Node a = new Node("a", proxied, 2_000, 500, 200).deploy();
    long first = a.awaitElected(1);

    // a's connection stalls (a GC pause, a network stall) just as it runs a new election.
    proxy.hang();
    a.reportFloor(first + 1); // any reason to step down; it takes its lease again at once
    Poll.until(() -> a.revoked.size() == 1, Duration.ofSeconds(2));
    Node b = new Node("b", pgUrl, 2_000, 500, 50).deploy();
    long rightful = b.awaitElected(1); // once a's token request timed out and it let the lease go
    assertThat(leaseHolder()).isEqualTo("b");
    assertThat(databaseToken()).isEqualTo(rightful);

    // The stalled request now reaches the database.
    java.time.OffsetDateTime released =
        await(pg.query("SELECT now()").execute()).iterator().next().getOffsetDateTime(0);
    proxy.restore();
    Poll.until(
        () ->
            await(
                        pg.preparedQuery(
                                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'h5_leader'"
                                    + " AND query LIKE '%oracle_fencing SET token%' AND state = 'idle'"
                                    + " AND query_start >= $1")
                            .execute(io.vertx.sqlclient.Tuple.of(released)))
                    .iterator()
                    .next()
                    .getLong(0)
                > 0,
        Duration.ofSeconds(5));

    long stored = databaseToken();
    JsonObject floor = b.reportFloor(stored); // what b's next fenced write would report
    System.out.printf(
        "delayed token request of a deposed instance: leader b holds %d, database %d (holder %s), b stepped down: %s%n",
        rightful, stored, databaseHolder(), floor.getBoolean("steppedDown"));
    assertThat(stored).as("the stale request got no token").isEqualTo(rightful);
    assertThat(databaseHolder()).isEqualTo("b");
    assertThat(floor.getBoolean("steppedDown")).isFalse();
    assertThat(b.status().getBoolean("leader")).isTrue();
    assertThat(b.status().getLong("fencingToken")).isEqualTo(rightful);
    assertThat(b.revoked).isEmpty();
    assertThat(a.elected).hasSize(1);
  }
}
