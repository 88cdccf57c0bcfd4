package oracle.leader;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.common.RedisFactory;
import oracle.config.OracleConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis leader election with fencing tokens. Followers try to take the lease every
 * {@code leader.retryMs}; the leader renews it every {@code leader.heartbeatMs} and steps down on
 * its own (publishing {@code revoked}) before the lease could expire, so two leaders never overlap
 * even when Redis is unreachable. All state lives on this verticle's event loop.
 */
public final class LeaderVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LeaderVerticle.class);

  private static final AtomicLong IS_LEADER = new AtomicLong();
  private static final AtomicLong TOKEN = new AtomicLong();

  private OracleConfig config;
  private OracleConfig.LeaderSettings settings;
  private Redis redis;
  private LeaderElection election;
  private Counter gained;
  private Counter lost;

  private boolean leader;
  private long fencingToken;
  private long stepTimer = -1;
  private long watchdogTimer = -1;
  private boolean inFlight;
  private boolean stopped;

  @Override
  public Future<?> start() {
    config = OracleConfig.from(config());
    settings = config.leader();
    redis = RedisFactory.create(vertx, config.redisUrl());
    election = new LeaderElection(redis, config.instanceId(), settings.ttlMs());
    registerMetrics(OracleMetrics.registry());
    vertx.eventBus().consumer(Addresses.LEADER_STATUS, m -> m.reply(status()));
    vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_FENCING_FLOOR, m -> raiseFloor(m.body().getLong("floor", 0L))
        .onSuccess(m::reply)
        .onFailure(err -> m.fail(503, String.valueOf(err.getMessage()))));
    // Redis may be down at start: that only means "not leader yet"; the loop keeps trying.
    election.loadScripts().onFailure(err -> log.warn("cannot load leader scripts yet: {}", err.getMessage()));
    step();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(stepTimer);
    vertx.cancelTimer(watchdogTimer);
    if (!leader) return redis.close();
    stepDown("shutdown");
    return election.release()
        .timeout(2, TimeUnit.SECONDS)
        .onSuccess(released -> log.info("leadership released: {}", released))
        .onFailure(err -> log.warn("leadership not released (it will expire): {}", err.getMessage()))
        .eventually(() -> redis.close())
        .recover(err -> Future.succeededFuture());
  }

  public JsonObject status() {
    return new JsonObject()
        .put("instanceId", config.instanceId())
        .put("leader", leader)
        .put("fencingToken", leader ? fencingToken : null);
  }

  private void step() {
    if (stopped || inFlight) return;
    inFlight = true;
    long startedNanos = System.nanoTime();
    Future<?> attempt = leader ? renew(startedNanos) : acquire(startedNanos);
    attempt.onComplete(ar -> {
      inFlight = false;
      if (stopped) return;
      stepTimer = vertx.setTimer(leader && ar.succeeded() ? settings.heartbeatMs() : settings.retryMs(), id -> step());
    });
  }

  private Future<Long> acquire(long startedNanos) {
    return election.acquire()
        .timeout(requestTimeoutMs(), TimeUnit.MILLISECONDS)
        .onSuccess(token -> {
          if (token != null && !stopped) becomeLeader(token, startedNanos);
        })
        .onFailure(err -> log.debug("acquire failed: {}", err.getMessage()));
  }

  private Future<Boolean> renew(long startedNanos) {
    return election.renew()
        .timeout(requestTimeoutMs(), TimeUnit.MILLISECONDS)
        .onSuccess(renewed -> {
          if (!leader) return;
          if (renewed) {
            armWatchdog(startedNanos);
          } else {
            stepDown("lease lost to another instance");
          }
        })
        .onFailure(err -> log.warn("lease renewal failed, retrying: {}", err.getMessage()));
  }

  private void becomeLeader(long token, long startedNanos) {
    leader = true;
    fencingToken = token;
    IS_LEADER.set(1);
    TOKEN.set(token);
    gained.increment();
    logContext("fencingToken", Long.toString(token));
    armWatchdog(startedNanos);
    log.info("elected leader with fencing token {}", token);
    vertx.eventBus().publish(Addresses.LEADER_ELECTED, signal());
  }

  /**
   * A writer saw the database hold a token above ours. If the lease is ours and Redis's counter is
   * behind that floor, Redis lost its data: take a token above it, so this term's writes are accepted and
   * an older term's still are not, and tell every verticle.
   */
  private Future<JsonObject> raiseFloor(long floor) {
    if (!leader || floor <= fencingToken) return Future.succeededFuture(floorReply(false));
    return election.raiseFloor(floor).map(token -> {
      if (token == null || !leader) return floorReply(false);
      log.warn("fencing token {} was below the database's {} and Redis's counter was behind it (Redis lost its data?): new token {}",
          fencingToken, floor, token);
      fencingToken = token;
      TOKEN.set(token);
      logContext("fencingToken", Long.toString(token));
      vertx.eventBus().publish(Addresses.LEADER_ELECTED, signal());
      return floorReply(true);
    });
  }

  private JsonObject floorReply(boolean raised) {
    return new JsonObject().put("raised", raised).put("fencingToken", fencingToken);
  }

  private void stepDown(String reason) {
    if (!leader) return;
    JsonObject signal = signal();
    leader = false;
    IS_LEADER.set(0);
    lost.increment();
    vertx.cancelTimer(watchdogTimer);
    logContext("fencingToken", null);
    log.warn("leadership revoked (token {}): {}", fencingToken, reason);
    vertx.eventBus().publish(Addresses.LEADER_REVOKED, signal.put("reason", reason));
  }

  /**
   * The lease runs from when the successful request was sent (Redis applied it later, so this is
   * conservative); step down a safety margin before it ends unless a renewal moves it on.
   */
  private void armWatchdog(long startedNanos) {
    vertx.cancelTimer(watchdogTimer);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    long remaining = settings.ttlMs() - safetyMarginMs() - elapsedMs;
    if (remaining <= 0) {
      stepDown("lease renewal came back too late");
      return;
    }
    watchdogTimer = vertx.setTimer(remaining, id -> stepDown("lease not renewed in time"));
  }

  private long safetyMarginMs() {
    return Math.max(10, Math.min(1_000, settings.ttlMs() / 10));
  }

  private long requestTimeoutMs() {
    return Math.max(50, Math.min(settings.heartbeatMs(), settings.ttlMs() / 3));
  }

  private JsonObject signal() {
    return new JsonObject()
        .put("instanceId", config.instanceId())
        .put("fencingToken", fencingToken)
        .put("at", System.currentTimeMillis());
  }

  private void registerMetrics(MeterRegistry registry) {
    // Tagged so that the cluster's leader changes are sum(gained), not a hand-over counted twice.
    gained = Counter.builder("oracle.leader.changes").tag("change", "gained").description("Leadership gained or lost by this instance").register(registry);
    lost = Counter.builder("oracle.leader.changes").tag("change", "lost").description("Leadership gained or lost by this instance").register(registry);
    Gauge.builder("oracle.is.leader", IS_LEADER, AtomicLong::get).description("1 while this instance is the leader").register(registry);
    Gauge.builder("oracle.leader.fencing.token", TOKEN, AtomicLong::get).description("Fencing token of the current or last term").register(registry);
  }

  /** Adds a property to every JSON log line (logback's JsonEncoder writes context properties). */
  static void logContext(String key, String value) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.putProperty(key, value);
    }
  }
}
