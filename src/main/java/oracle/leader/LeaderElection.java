package oracle.leader;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;
import oracle.common.LuaScript;
import oracle.common.RedisKeys;

/**
 * The Redis operations of leader election, each one atomic Lua script. Redis holds the lease; the
 * fencing token of a term comes from PostgreSQL ({@link TermLedger}) and is installed here.
 */
final class LeaderElection {
  private static final LuaScript ACQUIRE = LuaScript.load("leader_acquire");
  private static final LuaScript RENEW = LuaScript.load("leader_renew");
  private static final LuaScript RELEASE = LuaScript.load("leader_release");
  private static final LuaScript INSTALL = LuaScript.load("leader_install");
  private static final LuaScript RAISE_EPOCH = LuaScript.load("leader_raise_epoch");

  /**
   * One grant of the lease: Redis's fencing counter (a floor for the term's token) and the epoch
   * that numbers this grant (the claim the database checks before issuing a token).
   */
  record Lease(long floor, long epoch) {}

  private final Redis redis;
  private final String instanceId;
  private final long ttlMs;

  LeaderElection(Redis redis, String instanceId, long ttlMs) {
    this.redis = redis;
    this.instanceId = instanceId;
    this.ttlMs = ttlMs;
  }

  Future<Void> loadScripts() {
    return Future.all(
            ACQUIRE.register(redis),
            INSTALL.register(redis),
            RAISE_EPOCH.register(redis),
            RENEW.register(redis),
            RELEASE.register(redis))
        .mapEmpty();
  }

  /** Takes the lease; answers the grant, or {@code null} when another instance holds the lease. */
  Future<Lease> acquire() {
    return ACQUIRE
        .eval(
            redis,
            List.of(RedisKeys.LEADER_ELECTION, RedisKeys.LEADER_FENCING, RedisKeys.LEADER_EPOCH),
            List.of(instanceId, Long.toString(ttlMs)))
        .map(r -> r == null ? null : new Lease(r.get(0).toLong(), r.get(1).toLong()));
  }

  /**
   * Raises the epoch counter to at least {@code epoch} (the database served it, Redis lost it), so
   * the next grant's claim is newer than every one served.
   */
  Future<Void> raiseEpoch(long epoch) {
    return RAISE_EPOCH
        .eval(redis, List.of(RedisKeys.LEADER_EPOCH), List.of(Long.toString(epoch)))
        .mapEmpty();
  }

  /** True when our lease was extended; false when it is no longer ours. */
  Future<Boolean> renew() {
    return RENEW
        .eval(redis, List.of(RedisKeys.LEADER_ELECTION), List.of(instanceId, Long.toString(ttlMs)))
        .map(LeaderElection::isOne);
  }

  /**
   * Installs a term's token as Redis's fencing counter; false when the lease is no longer ours or a
   * higher token exists.
   */
  Future<Boolean> install(long token) {
    return INSTALL
        .eval(
            redis,
            List.of(RedisKeys.LEADER_ELECTION, RedisKeys.LEADER_FENCING),
            List.of(instanceId, Long.toString(token)))
        .map(LeaderElection::isOne);
  }

  Future<Boolean> release() {
    return RELEASE
        .eval(redis, List.of(RedisKeys.LEADER_ELECTION), List.of(instanceId))
        .map(LeaderElection::isOne);
  }

  /** renew, install and release always answer an integer (only acquire answers nil). */
  private static boolean isOne(Response r) {
    return r.toLong() == 1L;
  }
}
