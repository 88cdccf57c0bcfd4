package oracle.leader;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.storage.Migrator;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election against a real Redis (database 1) and PostgreSQL (database oracle_leader, which
 * issues the fencing tokens), with short TTLs to keep the suite quick.
 */
class LeaderElectionTest {
  private static final long TTL = 1_500;
  private static final long HEARTBEAT = 300;
  private static final long RETRY = 100;

  private Vertx vertx;
  private Redis redis;
  private Pool pg;
  private LeaderCluster cluster;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_LEADER);
    redis = Redis.createClient(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_LEADER));
    pg = PgFactory.pool(vertx, LeaderCluster.pgUrl(), 2);
    await(new Migrator(pg).migrate());
    await(
        pg.query(
                "UPDATE oracle_fencing SET token = 0, holder = NULL, lease_epoch = 0"
                    + " WHERE name = 'writer'")
            .execute());
  }

  @AfterEach
  void tearDown() {
    if (cluster != null) cluster.close();
    await(vertx.close());
  }

  private long databaseToken() {
    return await(pg.query("SELECT token FROM oracle_fencing WHERE name = 'writer'").execute())
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void acquiresLeaseAndPublishesFencingToken() {
    cluster = new LeaderCluster(TTL, HEARTBEAT, RETRY);
    LeaderCluster.Instance a = cluster.add("a");
    a.deploy();

    LeaderCluster.Term term =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));
    assertThat(term.instanceId()).isEqualTo("a");
    assertThat(term.token()).isPositive();
    assertThat(redis(Command.GET, RedisKeys.LEADER_ELECTION).toString()).isEqualTo("a");
    assertThat(redis(Command.GET, RedisKeys.LEADER_FENCING).toLong()).isEqualTo(term.token());
    assertThat(redis(Command.PTTL, RedisKeys.LEADER_ELECTION).toLong()).isBetween(1L, TTL);
    JsonObject status = a.status();
    assertThat(status.getBoolean("leader")).isTrue();
    assertThat(status.getLong("fencingToken")).isEqualTo(term.token());
  }

  @Test
  void onlyTheLeaseHolderInstallsATokenAndNeverBelowTheCounter() {
    LeaderElection a = new LeaderElection(redis, "a", TTL);
    LeaderElection b = new LeaderElection(redis, "b", TTL);
    assertThat(await(a.acquire()))
        .as("the counter is the floor; the first grant")
        .isEqualTo(new LeaderElection.Lease(0, 1));
    assertThat(await(b.acquire())).as("a holds the lease").isNull();
    assertThat(await(b.install(7))).as("not b's lease").isFalse();
    assertThat(await(a.install(7))).isTrue();
    assertThat(redis(Command.GET, RedisKeys.LEADER_FENCING).toLong()).isEqualTo(7L);
    assertThat(await(a.install(5))).as("a newer term is installed").isFalse();
    assertThat(redis(Command.GET, RedisKeys.LEADER_FENCING).toLong()).isEqualTo(7L);
    assertThat(await(a.acquire()))
        .as("our own lease again, the counter as the floor, a newer grant")
        .isEqualTo(new LeaderElection.Lease(7, 2));
  }

  @Test
  void theEpochCounterIsRaisedToWhatTheDatabaseServedButNeverLowered() {
    LeaderElection a = new LeaderElection(redis, "a", TTL);
    await(a.raiseEpoch(40));
    assertThat(await(a.acquire()).epoch()).isEqualTo(41L);
    await(a.raiseEpoch(10));
    assertThat(await(a.acquire()).epoch()).isEqualTo(42L);
  }

  @Test
  void theDatabaseIssuesEachTokenOnceWhateverRedisForgets() {
    TermLedger ledger = new TermLedger(pg);
    assertThat(await(ledger.nextToken("a", 0, 1))).isEqualTo(1L);
    assertThat(await(ledger.nextToken("b", 0, 2)))
        .as("Redis lost its counter: still above every earlier token")
        .isEqualTo(2L);
    assertThat(await(ledger.nextToken("c", 40, 3)))
        .as("above Redis's counter when that is higher")
        .isEqualTo(41L);
    // Concurrent elections serialise on the row: every token distinct, and a claim that reaches
    // the row after a newer one was served gets none.
    List<io.vertx.core.Future<Long>> racing = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) racing.add(ledger.nextToken("r" + i, 0, 4 + i));
    await(io.vertx.core.Future.join(racing).otherwiseEmpty());
    List<Long> issued =
        racing.stream().filter(io.vertx.core.Future::succeeded).map(f -> f.result()).toList();
    assertThat(issued).isNotEmpty().doesNotHaveDuplicates().allMatch(t -> t > 41 && t <= 61);
    assertThat(racing.stream().filter(io.vertx.core.Future::failed).map(f -> f.cause()))
        .allMatch(e -> e instanceof TermLedger.StaleLeaseException);
    assertThat(databaseToken()).isEqualTo(issued.stream().mapToLong(t -> t).max().orElseThrow());
    assertThat(
            await(pg.query("SELECT holder FROM oracle_fencing WHERE name = 'writer'").execute())
                .iterator()
                .next()
                .getString(0))
        .startsWith("r");
  }

  @Test
  void aClaimNoNewerThanTheLastServedGetsNoTokenAndChangesNothing() {
    TermLedger ledger = new TermLedger(pg);
    assertThat(await(ledger.nextToken("b", 0, 5))).isEqualTo(1L);
    Throwable refused = awaitFailure(ledger.nextToken("a", 3, 4));
    assertThat(refused).isInstanceOf(TermLedger.StaleLeaseException.class);
    assertThat(((TermLedger.StaleLeaseException) refused).servedEpoch).isEqualTo(5L);
    assertThat(awaitFailure(ledger.nextToken("a", 0, 5)))
        .as("the same grant is served once")
        .isInstanceOf(TermLedger.StaleLeaseException.class);
    assertThat(databaseToken()).isEqualTo(1L);
    assertThat(
            await(pg.query("SELECT holder FROM oracle_fencing WHERE name = 'writer'").execute())
                .iterator()
                .next()
                .getString(0))
        .isEqualTo("b");
  }

  private static Throwable awaitFailure(io.vertx.core.Future<?> f) {
    return await(f.transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
  }

  @Test
  void aRedisThatLostItsDataNeverLeadsToATokenIssuedTwice() throws InterruptedException {
    cluster = new LeaderCluster(TTL, HEARTBEAT, RETRY);
    cluster.add("a").deploy();
    cluster.add("b").deploy();
    LeaderCluster.Term first =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));
    for (int round = 0; round < 3; round++) {
      int termsBefore = cluster.terms().size();
      redis(Command.FLUSHDB); // a restart without persistence: lease and counter gone
      Poll.until(() -> cluster.terms().size() > termsBefore, Duration.ofSeconds(5));
      Thread.sleep(2 * HEARTBEAT);
    }
    List<LeaderCluster.Term> terms = cluster.terms();
    assertThat(terms.get(0).token()).isEqualTo(first.token());
    assertThat(terms).hasSizeGreaterThanOrEqualTo(4);
    for (int i = 1; i < terms.size(); i++) {
      assertThat(terms.get(i).token())
          .as("tokens strictly increase across Redis data loss")
          .isGreaterThan(terms.get(i - 1).token());
    }
    assertThat(terms.stream().map(LeaderCluster.Term::token).distinct()).hasSize(terms.size());
    assertThat(databaseToken()).isEqualTo(terms.get(terms.size() - 1).token());
  }

  @Test
  void heartbeatKeepsTheLeaseAlive() throws InterruptedException {
    cluster = new LeaderCluster(TTL, HEARTBEAT, RETRY);
    cluster.add("a").deploy();
    LeaderCluster.Term term =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));

    Thread.sleep(3 * TTL);

    assertThat(cluster.signals()).hasSize(1);
    assertThat(cluster.currentTerm()).contains(term);
    assertThat(redis(Command.GET, RedisKeys.LEADER_ELECTION).toString()).isEqualTo("a");
    assertThat(redis(Command.PTTL, RedisKeys.LEADER_ELECTION).toLong())
        .isGreaterThan(TTL - 2 * HEARTBEAT - 200);
  }

  @Test
  void expiredLeaseOfADeadHolderIsTakenOverWithAHigherToken() throws InterruptedException {
    redis(Command.SET, RedisKeys.LEADER_FENCING, "41");
    redis(Command.SET, RedisKeys.LEADER_ELECTION, "dead-instance", "PX", "1000");
    cluster = new LeaderCluster(TTL, HEARTBEAT, RETRY);
    LeaderCluster.Instance b = cluster.add("b");
    long started = System.currentTimeMillis();
    b.deploy();

    Thread.sleep(500);
    assertThat(cluster.currentTerm())
        .as("no takeover while the dead holder's lease lives")
        .isEmpty();

    LeaderCluster.Term term =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));
    assertThat(term.instanceId()).isEqualTo("b");
    assertThat(term.token()).as("above Redis's counter").isEqualTo(42);
    assertThat(databaseToken()).isEqualTo(42);
    assertThat(term.from() - started).isBetween(900L, 1000L + 4 * RETRY + 500);
  }

  @Test
  void partitionedLeaderStepsDownBeforeAnotherTakesOver() {
    cluster = new LeaderCluster(TTL, HEARTBEAT, RETRY);
    LeaderCluster.Instance a = cluster.add("a");
    a.deploy();
    LeaderCluster.Term first =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));
    LeaderCluster.Instance b = cluster.add("b");
    b.deploy();

    long cutAt = System.currentTimeMillis();
    a.proxy.hang();

    LeaderCluster.Term second =
        Poll.value(
            () -> cluster.currentTerm().filter(t -> t.instanceId().equals("b")).orElse(null),
            Duration.ofSeconds(5));
    List<LeaderCluster.Term> terms = cluster.terms();
    assertThat(terms).hasSize(2);
    LeaderCluster.Term ended = terms.get(0);
    assertThat(ended.instanceId()).isEqualTo("a");
    assertThat(ended.to()).as("a stepped down on its own").isLessThan(Long.MAX_VALUE);
    assertThat(ended.to())
        .as("a stepped down before b took over")
        .isLessThanOrEqualTo(second.from());
    assertThat(second.token()).isGreaterThan(first.token());
    assertThat(second.from() - cutAt)
        .as("new leader within the TTL plus one retry")
        .isLessThan(TTL + 2 * RETRY + 500);
    assertThat(a.status().getBoolean("leader")).isFalse();
  }

  @Test
  void gracefulReleaseHandsOverAtOnce() {
    long longTtl = 10_000;
    cluster = new LeaderCluster(longTtl, 2_000, RETRY);
    LeaderCluster.Instance a = cluster.add("a");
    a.deploy();
    LeaderCluster.Term first =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));
    cluster.add("b").deploy();

    long releasedAt = System.currentTimeMillis();
    a.undeploy();

    LeaderCluster.Term second =
        Poll.value(
            () -> cluster.currentTerm().filter(t -> t.instanceId().equals("b")).orElse(null),
            Duration.ofSeconds(3));
    assertThat(second.from() - releasedAt)
        .as("hand-over long before the 10 s lease would expire")
        .isLessThan(1_500);
    assertThat(second.token()).isEqualTo(first.token() + 1);
    assertThat(cluster.terms().get(0).to()).isLessThanOrEqualTo(second.from());
  }

  @Test
  void redeployingTheLeaderVerticleReleasesAndReacquires() {
    cluster = new LeaderCluster(TTL, HEARTBEAT, RETRY);
    LeaderCluster.Instance a = cluster.add("a");
    a.deploy();
    LeaderCluster.Term first =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));
    a.undeploy();
    assertThat(cluster.currentTerm()).isEmpty();
    assertThat(redis(Command.EXISTS, RedisKeys.LEADER_ELECTION).toLong())
        .as("lease released")
        .isZero();
    a.deploy();
    LeaderCluster.Term second =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3));
    assertThat(second.instanceId()).isEqualTo("a");
    assertThat(second.token()).isGreaterThan(first.token());
  }

  @Test
  void threeInstancesNeverHaveTwoLeadersAndTokensOnlyGrow() throws InterruptedException {
    cluster = new LeaderCluster(TTL, HEARTBEAT, RETRY);
    for (String id : List.of("a", "b", "c")) cluster.add(id).deploy();
    String leader1 =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3)).instanceId();

    // Graceful: undeploy the leader's verticle; another takes over; redeploy it as a follower.
    LeaderCluster.Instance l1 = cluster.byId(leader1);
    l1.undeploy();
    String leader2 =
        Poll.value(() -> cluster.currentTerm().orElse(null), Duration.ofSeconds(3)).instanceId();
    assertThat(leader2).isNotEqualTo(leader1);
    l1.deploy();
    Thread.sleep(3 * HEARTBEAT);

    // Crash-like: the leader loses Redis; it must step down before anyone else takes over.
    LeaderCluster.Instance l2 = cluster.byId(leader2);
    l2.proxy.hang();
    String leader3 =
        Poll.value(
                () ->
                    cluster.currentTerm().filter(t -> !t.instanceId().equals(leader2)).orElse(null),
                Duration.ofSeconds(5))
            .instanceId();
    l2.proxy.restore();
    Thread.sleep(2 * TTL);

    List<LeaderCluster.Term> terms = cluster.terms();
    assertThat(terms).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 1; i < terms.size(); i++) {
      assertThat(terms.get(i).token())
          .as("tokens strictly increase")
          .isGreaterThan(terms.get(i - 1).token());
      assertThat(terms.get(i - 1).to())
          .as("term %d ended before term %d began", i - 1, i)
          .isLessThanOrEqualTo(terms.get(i).from());
    }
    assertThat(terms.stream().filter(t -> t.to() == Long.MAX_VALUE))
        .as("exactly one leader at the end")
        .hasSize(1);
    long leaders = cluster.instances.stream().filter(i -> i.status().getBoolean("leader")).count();
    assertThat(leaders).isEqualTo(1);
    assertThat(cluster.currentTerm().map(LeaderCluster.Term::instanceId)).contains(leader3);
  }

  private Response redis(Command cmd, String... args) {
    Request req = Request.cmd(cmd);
    for (String a : args) req.arg(a);
    return await(redis.send(req));
  }
}
