package oracle.leader;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.common.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis leader election with fencing tokens. Followers try to take the lease every {@code
 * leader.retryMs}; the leader renews it every {@code leader.heartbeatMs} and steps down on its own
 * (publishing {@code revoked}) before the lease could expire, so two leaders never overlap even
 * when Redis is unreachable. All state lives on this verticle's event loop.
 *
 * <p>A term's fencing token comes from PostgreSQL ({@link TermLedger}), then is installed in Redis
 * for the candle script's fence: tokens stay unique and increasing across Redis restarts and
 * failovers. An election therefore needs the database; a leader already elected keeps ingesting
 * through a database outage (its renewals are Redis-only). An instance that took the lease but
 * cannot get a token lets the lease go, so another one that reaches the database can lead.
 *
 * <p>Only the lease holder gets a token: each grant of the lease has an epoch ({@code
 * oracle:leader:epoch}), and the database issues a token only to a grant newer than the last one it
 * served, so a request delayed past the loss of its lease changes nothing. {@code elected} is
 * published only for a term whose lease can still be trusted when the token is installed; a token
 * that came back within the lease's safety margin starts no term anywhere.
 */
public final class LeaderVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LeaderVerticle.class);

  private final String instanceId;
  private final StoreSettings stores;
  private final LeaderSettings settings;
  private Redis redis;
  private Pool pool;
  private LeaderElection election;
  private TermLedger ledger;
  private final OracleMetrics metrics;
  private Counter gained;
  private Counter lost;

  private boolean leader;
  private long fencingToken;
  private long stepTimer = -1;
  private long watchdogTimer = -1;
  private boolean stopped;

  /**
   * The last election attempt took the lease but got no token (database unreachable): logged once.
   */
  private boolean tokenUnavailable;

  public LeaderVerticle(
      String instanceId, StoreSettings stores, LeaderSettings settings, OracleMetrics metrics) {
    this.metrics = metrics;
    this.instanceId = instanceId;
    this.stores = stores;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    redis = RedisFactory.create(vertx, stores.redisUrl());
    election = new LeaderElection(redis, instanceId, settings.ttlMs());
    pool = PgFactory.pool(vertx, stores.pgUrl(), 1, stores.pgLimits());
    ledger = new TermLedger(pool);
    gained = metrics.leaderChanges("gained");
    lost = metrics.leaderChanges("lost");
    vertx.eventBus().consumer(Addresses.LEADER_STATUS, m -> m.reply(status()));
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.LEADER_FENCING_FLOOR,
            m -> m.reply(newerTermSeen(m.body().getLong("floor", 0L))));
    // Redis may be down at start: that only means "not leader yet"; the loop keeps trying.
    election
        .loadScripts()
        .onFailure(err -> log.warn("cannot load leader scripts yet: {}", err.getMessage()));
    step();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(stepTimer);
    vertx.cancelTimer(watchdogTimer);
    if (!leader) return redis.close().eventually(() -> pool.close());
    stepDown("shutdown");
    return election
        .release()
        .timeout(2, TimeUnit.SECONDS)
        .onSuccess(released -> log.info("leadership released: {}", released))
        .onFailure(
            err -> log.warn("leadership not released (it will expire): {}", err.getMessage()))
        .eventually(() -> redis.close())
        .eventually(() -> pool.close())
        .recover(err -> Future.succeededFuture());
  }

  public JsonObject status() {
    return new JsonObject()
        .put("instanceId", instanceId)
        .put("leader", leader)
        .put("fencingToken", leader ? fencingToken : null);
  }

  /**
   * Entered from start() and from the timer set once the previous attempt ended (never once
   * stopped: the timer is cancelled by stop() and not set again), so attempts never overlap.
   */
  private void step() {
    long startedNanos = System.nanoTime();
    Future<?> attempt = leader ? renew(startedNanos) : acquire(startedNanos);
    attempt.onComplete(
        ar -> {
          if (stopped) return;
          stepTimer =
              vertx.setTimer(
                  leader && ar.succeeded() ? settings.heartbeatMs() : settings.retryMs(),
                  id -> step());
        });
  }

  /**
   * Takes the lease, then the term's token from the database (above Redis's counter too, and only
   * for this grant of the lease), then installs it in Redis while the lease is still ours. The
   * lease runs from when the first request was sent.
   */
  private Future<?> acquire(long startedNanos) {
    long timeoutMs = requestTimeoutMs();
    return election
        .acquire()
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .compose(
            lease ->
                lease == null || stopped
                    ? Future.succeededFuture()
                    : ledger
                        .nextToken(instanceId, lease.floor(), lease.epoch())
                        .timeout(Math.max(timeoutMs, 2_000), TimeUnit.MILLISECONDS)
                        .recover(this::noToken)
                        .compose(
                            token -> {
                              tokenUnavailable = false;
                              return election
                                  .install(token)
                                  .timeout(timeoutMs, TimeUnit.MILLISECONDS)
                                  .compose(
                                      installed -> {
                                        if (!installed) {
                                          log.warn(
                                              "fencing token {} not installed: the lease was lost or a newer term exists",
                                              token);
                                          return Future.succeededFuture();
                                        }
                                        return stopped
                                            ? Future.succeededFuture()
                                            : becomeLeader(token, startedNanos);
                                      });
                            }))
        .onFailure(err -> log.debug("acquire failed: {}", err.getMessage()));
  }

  /**
   * The database issued no token: lets the lease go (another instance may reach the database). A
   * claim refused as stale means the database served a newer grant than Redis's counter gave us
   * (Redis lost it): raise the counter so the next grant is newer.
   */
  private Future<Long> noToken(Throwable err) {
    Future<Void> released = election.release().mapEmpty();
    if (err instanceof TermLedger.StaleLeaseException stale) {
      log.warn(
          "took the lease but got no fencing token: {}; letting the lease go", err.getMessage());
      released = released.eventually(() -> election.raiseEpoch(stale.servedEpoch));
    } else {
      if (!tokenUnavailable)
        log.warn(
            "took the lease but the database issues no fencing token ({}); letting the lease go",
            err.getMessage());
      tokenUnavailable = true;
    }
    return released.transform(ar -> Future.failedFuture(err));
  }

  private Future<Boolean> renew(long startedNanos) {
    return election
        .renew()
        .timeout(requestTimeoutMs(), TimeUnit.MILLISECONDS)
        .onSuccess(
            renewed -> {
              if (!leader) return;
              if (renewed) {
                armWatchdog(startedNanos);
              } else {
                stepDown("lease lost to another instance");
              }
            })
        .onFailure(err -> log.warn("lease renewal failed, retrying: {}", err.getMessage()));
  }

  /**
   * Leads with {@code token} only while the lease can still be trusted: a token that came back
   * within the lease's safety margin starts no term (no {@code elected} signal, nothing for a
   * {@link LeaderGate} to run under); the lease is let go so that a fresh grant can follow.
   */
  private Future<Void> becomeLeader(long token, long startedNanos) {
    long leaseLeftMs = trustedLeaseLeftMs(startedNanos);
    if (leaseLeftMs <= 0) {
      log.warn(
          "fencing token {} came back too late to lead with (lease within its safety margin); letting the lease go",
          token);
      return election.release().<Void>mapEmpty().recover(err -> Future.succeededFuture());
    }
    leader = true;
    fencingToken = token;
    metrics.leadership(true, token);
    gained.increment();
    logContext("fencingToken", Long.toString(token));
    watchdogTimer = vertx.setTimer(leaseLeftMs, id -> stepDown("lease not renewed in time"));
    log.info("elected leader with fencing token {}", token);
    vertx.eventBus().publish(Addresses.LEADER_ELECTED, signal());
    return Future.succeededFuture();
  }

  /**
   * A writer saw the database hold a token above ours. Tokens are only issued by the database at an
   * election, so a newer term exists: step down at once rather than wait for the lease to tell. Not
   * leading, it still publishes {@code revoked}, so that every local term is ended (a writer that
   * reports a floor runs under one).
   */
  private JsonObject newerTermSeen(long floor) {
    boolean newer = floor > fencingToken;
    boolean steppedDown = newer && leader;
    if (steppedDown) {
      stepDown("the database holds a newer term's token " + floor);
    } else if (newer) {
      vertx
          .eventBus()
          .publish(
              Addresses.LEADER_REVOKED,
              signal().put("reason", "not leading; the database holds a newer token " + floor));
    }
    return new JsonObject()
        .put("steppedDown", steppedDown)
        .put("fencingToken", leader ? fencingToken : null);
  }

  /** Only while leading: every caller checks, and the watchdog is cancelled here. */
  private void stepDown(String reason) {
    JsonObject signal = signal();
    leader = false;
    metrics.notLeading();
    lost.increment();
    vertx.cancelTimer(watchdogTimer);
    logContext("fencingToken", null);
    // Handing over on a graceful stop is routine (INFO); losing the lease any other way is not.
    // (The fault suites read this line, at either level, as the end of the term.)
    if ("shutdown".equals(reason))
      log.info("leadership revoked (token {}): {}", fencingToken, reason);
    else log.warn("leadership revoked (token {}): {}", fencingToken, reason);
    vertx.eventBus().publish(Addresses.LEADER_REVOKED, signal.put("reason", reason));
  }

  /**
   * The lease runs from when the successful request was sent (Redis applied it later, so this is
   * conservative); step down a safety margin before it ends unless a renewal moves it on.
   */
  private void armWatchdog(long startedNanos) {
    vertx.cancelTimer(watchdogTimer);
    long remaining = trustedLeaseLeftMs(startedNanos);
    if (remaining <= 0) {
      stepDown("lease renewal came back too late");
      return;
    }
    watchdogTimer = vertx.setTimer(remaining, id -> stepDown("lease not renewed in time"));
  }

  /** How long the lease granted by a request sent at {@code startedNanos} can still be trusted. */
  private long trustedLeaseLeftMs(long startedNanos) {
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    return settings.ttlMs() - safetyMarginMs() - elapsedMs;
  }

  private long safetyMarginMs() {
    return Math.max(10, Math.min(1_000, settings.ttlMs() / 10));
  }

  private long requestTimeoutMs() {
    return Math.max(50, Math.min(settings.heartbeatMs(), settings.ttlMs() / 3));
  }

  private JsonObject signal() {
    return new JsonObject()
        .put("instanceId", instanceId)
        .put("fencingToken", fencingToken)
        .put("at", System.currentTimeMillis());
  }

  /** Adds a property to every JSON log line (logback's JsonEncoder writes context properties). */
  static void logContext(String key, String value) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.putProperty(key, value);
    }
  }
}
