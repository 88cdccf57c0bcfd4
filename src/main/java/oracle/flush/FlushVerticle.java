package oracle.flush;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import oracle.common.Addresses;
import oracle.common.LeaderGate;
import oracle.common.OracleMetrics;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.config.ConfigReader;
import oracle.config.OracleConfig;
import oracle.storage.CandleRepository;
import oracle.storage.Migrator;
import oracle.storage.StaleFencingTokenException;
import oracle.storage.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes Redis candles to PostgreSQL while this instance leads (issue 4). Every instance brings the
 * schema up to date ({@link Migrator}, serialised by an advisory lock); only the leader flushes, every
 * {@code flush.intervalMs} (60 s), with its fencing token. A failed pass (database down, stale token)
 * leaves the keys untouched and retries with exponential backoff up to {@code flush.maxBackoffMs}.
 *
 * <p>Answers {@link Addresses#FLUSH_STATUS} with {@code {lagSeconds, lastFlushAt, lastError,
 * rowsFlushed, backlog, leader}}; lag is the time since the last pass that left no backlog (since election before the
 * first one), 0 on followers. Metrics: {@code oracle_flush_duration_seconds},
 * {@code oracle_flush_rows_total}, {@code oracle_flush_lag_seconds}.
 */
public final class FlushVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(FlushVerticle.class);
  /** The deployed instance, read by the process-wide lag gauge (survives redeploys). */
  private static final AtomicReference<FlushVerticle> CURRENT = new AtomicReference<>();

  private FlushSettings settings;

  private Redis redis;
  private Pool pool;
  private Flusher flusher; // set together with the schema future's result
  private Schema schema;
  private MessageConsumer<JsonObject> statusConsumer;

  private Timer duration;
  private Counter rowsCounter;

  private volatile long fencingToken = -1;
  private long generation;
  private long timerId = -1;
  private boolean running;
  private int failures;
  private long leaderSince;
  private volatile long lastFlushAt;
  /** End of the last pass that left no backlog: the lag counts from here. */
  private volatile long caughtUpAt;
  private volatile boolean backlog;
  private volatile String lastError;
  private long rowsFlushed;
  private long lastMaintenanceAt;

  @Override
  public Future<?> start() {
    OracleConfig config = OracleConfig.from(config());
    settings = FlushSettings.from(new ConfigReader(config()).section("flush"));

    redis = RedisFactory.create(vertx, config.redisUrl());
    pool = PgFactory.pool(vertx, config.pgUrl(), config.pgPoolSize(), config.pgLimits());
    schema = new Schema(pool, new ConfigReader(config()).section("storage"));

    MeterRegistry registry = OracleMetrics.registry();
    // A histogram, so the p95 alert and the dashboard can use histogram_quantile.
    duration = Timer.builder("oracle.flush.duration").description("Time of one flush pass")
        .publishPercentileHistogram().maximumExpectedValue(java.time.Duration.ofMinutes(2)).register(registry);
    rowsCounter = Counter.builder("oracle.flush.rows").description("Candles written to PostgreSQL by the flush").register(registry);
    CURRENT.set(this);
    Gauge.builder("oracle.flush.lag.seconds", CURRENT, ref -> ref.get() == null ? 0 : ref.get().lagSeconds())
        .description("Seconds since the last successful flush while leading").register(registry);

    statusConsumer = vertx.eventBus().consumer(Addresses.FLUSH_STATUS, m -> m.reply(status()));
    ensureSchema(); // early, so readers find the tables; failures are retried before each flush
    return LeaderGate.attach(vertx, this::onElected, this::onRevoked);
  }

  /** The schema (migrated on first use); the flusher is built on the repository it yields. */
  private Future<CandleRepository> ensureSchema() {
    return schema.ready().map(repo -> {
      if (flusher == null) flusher = new Flusher(redis, repo, System::currentTimeMillis, settings.ttlSeconds(), settings.maxRowsPerPass());
      return repo;
    });
  }

  private void onElected(long token) {
    fencingToken = token;
    generation++;
    leaderSince = System.currentTimeMillis();
    failures = 0;
    log.info("flush enabled (fencing token {})", token);
    schedule(0);
  }

  private void onRevoked() {
    fencingToken = -1;
    generation++;
    cancelTimer();
    log.info("flush disabled");
  }

  private void schedule(long delayMs) {
    cancelTimer();
    long gen = generation;
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> {
      timerId = -1;
      if (gen == generation) run(gen);
    });
  }

  private void cancelTimer() {
    if (timerId >= 0) vertx.cancelTimer(timerId);
    timerId = -1;
  }

  private void run(long gen) {
    long token = fencingToken;
    if (token < 0 || running) return;
    running = true;
    long started = System.nanoTime();
    MDC.put("fencingToken", Long.toString(token));
    ensureSchema()
        .compose(repo -> flusher.flushOnce(token))
        .compose(result -> maintainIfDue().map(result))
        .onComplete(ar -> {
          running = false;
          duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          if (ar.succeeded()) {
            FlushResult r = ar.result();
            lastFlushAt = System.currentTimeMillis();
            backlog = r.backlog();
            if (!backlog) caughtUpAt = lastFlushAt;
            lastError = null;
            failures = 0;
            rowsFlushed += r.rowsWritten();
            rowsCounter.increment(r.rowsWritten());
            if (r.rowsWritten() > 0) {
              log.info("flushed {} candles ({} marked, {} still open)", r.rowsWritten(), r.rowsMarked(), r.openMinutes());
            }
            if (gen == generation) schedule(r.backlog() ? 0 : settings.intervalMs()); // a backlog: next pass at once
          } else {
            Throwable err = ar.cause();
            lastError = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
            failures++;
            long backoff = Math.min(settings.maxBackoffMs(), 1_000L << Math.min(failures - 1, 20));
            if (err instanceof StaleFencingTokenException) {
              log.error("flush rejected: {}", lastError);
              checkFencingFloor(token);
            } else {
              log.warn("flush failed (attempt {}), retrying in {} ms: {}", failures, backoff, lastError);
            }
            if (gen == generation) schedule(backoff);
          }
        });
    MDC.remove("fencingToken");
  }

  /**
   * The database refused our token: a newer term holds the fence (tokens are issued by the database at
   * each election). Tell the leader verticle, which steps down at once instead of waiting for its lease.
   */
  private void checkFencingFloor(long token) {
    ensureSchema().compose(CandleRepository::storedFencingToken)
        .compose(stored -> stored <= token ? Future.succeededFuture()
            : vertx.eventBus().<JsonObject>request(Addresses.LEADER_FENCING_FLOOR, new JsonObject().put("floor", stored)).map(reply -> {
              if (reply.body().getBoolean("steppedDown", false)) log.warn("stepped down: the database holds token {} above ours ({})", stored, token);
              return null;
            }))
        .onFailure(err -> log.warn("cannot check the database's fencing token: {}", err.getMessage()));
  }

  private Future<Void> maintainIfDue() {
    long now = System.currentTimeMillis();
    if (now - lastMaintenanceAt < settings.maintenanceMs()) return Future.succeededFuture();
    return ensureSchema().compose(repo -> repo.maintain(4))
        .onSuccess(dropped -> {
          lastMaintenanceAt = now;
          if (dropped > 0) log.info("retention dropped {} weekly partitions", dropped);
        })
        .recover(err -> {
          log.warn("partition maintenance failed: {}", err.getMessage());
          return Future.succeededFuture(0);
        })
        .mapEmpty();
  }

  long lagSeconds() {
    if (fencingToken < 0) return 0;
    long since = Math.max(caughtUpAt, leaderSince);
    return Math.max(0, (System.currentTimeMillis() - since) / 1000);
  }

  JsonObject status() {
    return new JsonObject()
        .put("leader", fencingToken >= 0)
        .put("lagSeconds", lagSeconds())
        .put("lastFlushAt", lastFlushAt == 0 ? null : lastFlushAt)
        .put("lastError", lastError)
        .put("rowsFlushed", rowsFlushed)
        .put("backlog", backlog);
  }

  @Override
  public Future<?> stop() {
    generation++;
    cancelTimer();
    CURRENT.compareAndSet(this, null);
    Future<Void> unregister = statusConsumer == null ? Future.succeededFuture() : statusConsumer.unregister();
    return unregister.eventually(() -> redis.close()).eventually(() -> pool.close());
  }
}
