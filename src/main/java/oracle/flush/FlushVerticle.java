package oracle.flush;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import oracle.common.Addresses;
import oracle.common.Backoff;
import oracle.common.OracleMetrics;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.common.StoreSettings;
import oracle.leader.LeaderClient;
import oracle.leader.LeaderGate;
import oracle.leader.Term;
import oracle.storage.CandleRepository;
import oracle.storage.Migrator;
import oracle.storage.Schema;
import oracle.storage.StaleFencingTokenException;
import oracle.storage.StorageFlavor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes Redis candles to PostgreSQL while this instance leads. Every instance brings the schema up
 * to date ({@link Migrator}, serialised by an advisory lock); only the leader flushes, {@code
 * flush.graceMs} after every minute closes and at least every {@code flush.intervalMs}, with its
 * fencing token. A failed pass (database down, stale token) leaves the keys untouched and retries
 * with exponential backoff up to {@code flush.maxBackoffMs}.
 *
 * <p>Scheduling keeps one invariant: while this instance leads, exactly one next pass is scheduled
 * or running. A pass ends (success, failure or its {@code flush.passTimeoutMs} deadline) by
 * scheduling the next one under whatever term is current then; a pass asked for while one runs is
 * run right after it. On a graceful stop the leader runs one last pass (bounded by {@code
 * flush.finalPassMs}), the open minute included, so the newest minutes do not stay only in Redis.
 *
 * <p>Answers {@link Addresses#FLUSH_STATUS} with {@code {lagSeconds, lastFlushAt, lastError,
 * rowsFlushed, backlog, leader}}; lag is measured from the close of the oldest closed minute the
 * database may lack: every minute closed before the start of the last pass that left no backlog is
 * stored, so with a pass {@code flush.graceMs} after each close the lag stays within the grace; 0
 * on followers. Metrics: {@code oracle_flush_duration_seconds}, {@code oracle_flush_rows_total},
 * {@code oracle_flush_lag_seconds}.
 */
public final class FlushVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FlushVerticle.class);

  private final OracleMetrics metrics;

  /** What {@code oracle_flush_lag_seconds} reads while this verticle runs. */
  private final LongSupplier lag = this::lagSeconds;

  private final StoreSettings stores;
  private final FlushSettings settings;
  private final Optional<StorageFlavor> storage;

  private Redis redis;
  private Pool pool;
  private Flusher flusher; // set together with the schema future's result
  private Schema schema;
  private MessageConsumer<JsonObject> statusConsumer;

  private Timer duration;
  private Counter rowsCounter;

  private LeaderGate gate;
  private volatile Term term = Term.NONE;
  private long timerId = -1;
  private boolean running;

  /** A pass was due while another ran: run the next one as soon as it ends. */
  private boolean rerun;

  private int failures;

  /**
   * Waits between retries of a failed pass: from 1 s, doubling, up to {@code flush.maxBackoffMs}.
   */
  private final Backoff backoff;

  private long leaderSince;
  private volatile long lastFlushAt;

  /** Start of the last pass that left no backlog: every minute closed before it is stored. */
  private volatile long caughtUpAt;

  private volatile boolean backlog;
  private volatile String lastError;
  private long rowsFlushed;
  private long lastMaintenanceAt;

  /**
   * @param storage {@code storage.flavor}: the schema flavour to use, or empty to detect it
   */
  public FlushVerticle(
      StoreSettings stores,
      FlushSettings settings,
      Optional<StorageFlavor> storage,
      OracleMetrics metrics) {
    this.metrics = metrics;
    this.stores = stores;
    this.settings = settings;
    this.backoff = new Backoff(Math.min(1_000, settings.maxBackoffMs()), settings.maxBackoffMs());
    this.storage = storage;
  }

  @Override
  public Future<?> start() {
    redis = RedisFactory.create(vertx, stores.redisUrl());
    pool = PgFactory.pool(vertx, stores.pgUrl(), stores.pgPoolSize(), stores.pgLimits());
    schema = new Schema(pool, storage);

    // Buckets, so the p95 alert and the dashboard can use histogram_quantile.
    duration = metrics.flushDuration();
    rowsCounter = metrics.flushRows();
    metrics.flushLagFrom(lag);

    statusConsumer = vertx.eventBus().consumer(Addresses.FLUSH_STATUS, m -> m.reply(status()));
    ensureSchema(); // early, so readers find the tables; failures are retried before each flush
    return LeaderGate.attach(vertx, this::onElected, this::onRevoked).map(g -> gate = g);
  }

  /** The schema (migrated on first use); the flusher is built on the repository it yields. */
  private Future<CandleRepository> ensureSchema() {
    return schema
        .ready()
        .map(
            repo -> {
              if (flusher == null)
                flusher =
                    new Flusher(
                        redis,
                        repo,
                        System::currentTimeMillis,
                        settings.ttlSeconds(),
                        settings.maxRowsPerPass(),
                        settings.fullScanMs());
              return repo;
            });
  }

  private void onElected(Term elected) {
    term = elected;
    leaderSince = System.currentTimeMillis();
    failures = 0;
    // A new term trusts no dirty set it did not see complete: its first pass scans every key.
    if (flusher != null) flusher.requireFullScan();
    log.info("flush enabled ({})", elected);
    schedule(0);
  }

  private void onRevoked(Term ended) {
    cancelTimer();
    log.info("flush disabled ({})", ended);
  }

  /** Replaces any scheduled pass: at most one timer exists. */
  private void schedule(long delayMs) {
    cancelTimer();
    if (!term.isCurrent()) return;
    timerId =
        vertx.setTimer(
            Math.max(1, delayMs),
            id -> {
              timerId = -1;
              run();
            });
  }

  /**
   * Until the next regular pass: the interval, or sooner the grace after the next minute closes.
   */
  private long untilNextPass() {
    return untilNextPass(System.currentTimeMillis(), settings.intervalMs(), settings.graceMs());
  }

  static long untilNextPass(long nowMs, long intervalMs, long graceMs) {
    long nextClosePlusGrace = Math.floorDiv(nowMs - graceMs, 60_000L) * 60_000 + 60_000 + graceMs;
    return Math.min(intervalMs, nextClosePlusGrace - nowMs);
  }

  private void cancelTimer() {
    if (timerId >= 0) vertx.cancelTimer(timerId);
    timerId = -1;
  }

  private void run() {
    Term at = term;
    if (!at.isCurrent()) return;
    long token = at.token();
    if (running) {
      rerun = true;
      return;
    }
    running = true;
    long started = System.nanoTime();
    long startedMs = System.currentTimeMillis();
    MDC.put("fencingToken", Long.toString(token));
    pass(token, false)
        .onComplete(
            ar -> {
              running = false;
              duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              long next;
              if (ar.succeeded()) {
                FlushResult r = ar.result();
                recordSuccess(r, startedMs);
                next = r.backlog() ? 0 : untilNextPass(); // a backlog: next pass at once
              } else {
                Throwable err = ar.cause();
                lastError =
                    err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
                failures++;
                next = backoff.delayMs(failures);
                if (err instanceof StaleFencingTokenException) {
                  log.error("flush rejected: {}", lastError);
                  checkFencingFloor(token);
                } else {
                  log.warn(
                      "flush failed (attempt {}), retrying in {} ms: {}",
                      failures,
                      next,
                      lastError);
                }
              }
              if (rerun) {
                rerun = false;
                next = 0;
              }
              schedule(next); // under the term current now; nothing while not leading
            });
    MDC.remove("fencingToken");
  }

  /**
   * One pass with {@code token}, bounded by the pass deadline ({@code last}: the final pass of a
   * graceful stop).
   */
  private Future<FlushResult> pass(long token, boolean last) {
    long deadline = last ? settings.finalPassMs() : settings.passTimeoutMs();
    Future<FlushResult> work = ensureSchema().compose(repo -> flusher.flushOnce(token));
    if (!last) work = work.compose(result -> maintainIfDue().map(result));
    return work.timeout(deadline, TimeUnit.MILLISECONDS);
  }

  private void recordSuccess(FlushResult r, long startedMs) {
    lastFlushAt = System.currentTimeMillis();
    backlog = r.backlog();
    if (!backlog) caughtUpAt = startedMs;
    lastError = null;
    failures = 0;
    rowsFlushed += r.rowsWritten();
    rowsCounter.increment(r.rowsWritten());
    if (r.rowsWritten() > 0) {
      log.info(
          "flushed {} candles ({} marked, {} still open)",
          r.rowsWritten(),
          r.rowsMarked(),
          r.openMinutes());
    }
  }

  /**
   * The database refused our token: a newer term holds the fence (tokens are issued by the database
   * at each election). Tell the leader verticle, which steps down at once instead of waiting for
   * its lease.
   */
  private void checkFencingFloor(long token) {
    ensureSchema()
        .compose(CandleRepository::storedFencingToken)
        .compose(
            stored ->
                stored <= token
                    ? Future.succeededFuture()
                    : new LeaderClient(vertx)
                        .fencingFloor(stored)
                        .map(
                            steppedDown -> {
                              if (steppedDown)
                                log.warn(
                                    "stepped down: the database holds token {} above ours ({})",
                                    stored,
                                    token);
                              return null;
                            }))
        .onFailure(
            err -> log.warn("cannot check the database's fencing token: {}", err.getMessage()));
  }

  private Future<Void> maintainIfDue() {
    long now = System.currentTimeMillis();
    if (now - lastMaintenanceAt < settings.maintenanceMs()) return Future.succeededFuture();
    return ensureSchema()
        .compose(repo -> repo.maintain(4))
        .onSuccess(
            dropped -> {
              lastMaintenanceAt = now;
              if (dropped > 0) log.info("retention dropped {} weekly partitions", dropped);
            })
        .recover(
            err -> {
              log.warn("partition maintenance failed: {}", err.getMessage());
              return Future.succeededFuture(0);
            })
        .mapEmpty();
  }

  long lagSeconds() {
    if (!term.isCurrent()) return 0;
    // Before the first complete pass of this term nothing is known: count from the election.
    long storedThrough = caughtUpAt >= leaderSince ? caughtUpAt : leaderSince;
    long oldestUnstoredClose = Math.floorDiv(storedThrough, 60_000L) * 60_000 + 60_000;
    if (caughtUpAt < leaderSince) oldestUnstoredClose = leaderSince;
    return Math.max(0, (System.currentTimeMillis() - oldestUnstoredClose) / 1000);
  }

  JsonObject status() {
    return new JsonObject()
        .put("leader", term.isCurrent())
        .put("lagSeconds", lagSeconds())
        .put("lastFlushAt", lastFlushAt == 0 ? null : lastFlushAt)
        .put("lastError", lastError)
        .put("rowsFlushed", rowsFlushed)
        .put("backlog", backlog);
  }

  @Override
  public Future<?> stop() {
    Term last = term;
    long token = last.isCurrent() ? last.token() : -1;
    if (gate != null) gate.close();
    cancelTimer();
    metrics.flushLagGone(lag);
    Future<Void> unregister = statusConsumer.unregister();
    return finalPass(token)
        .eventually(unregister::mapEmpty)
        .eventually(() -> redis.close())
        .eventually(() -> pool.close());
  }

  /**
   * The leader's last pass before it lets the lease go (ingestion has stopped by now: the
   * deployment undeploys it first), so the newest minutes, the open one included, reach the
   * database even when no other instance takes over. Bounded; a failure leaves them in Redis for
   * the next leader, as always.
   */
  private Future<Void> finalPass(long token) {
    if (token < 0 || flusher == null || settings.finalPassMs() == 0)
      return Future.succeededFuture();
    return pass(token, true)
        .onSuccess(r -> log.info("final flush before stepping down: {} candles", r.rowsWritten()))
        .onFailure(
            err ->
                log.warn(
                    "final flush failed, the candles stay in Redis for the next leader: {}",
                    err.getMessage()))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }
}
