package oracle.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TimescaleDB only: re-materializes the continuous aggregates over written ranges their refresh
 * policies will not look at again, and coalesces requests so a burst of writes (a market-wide
 * backfill, one job per symbol) costs one refresh per aggregate instead of one per write.
 *
 * <p>Each policy re-materializes only its own look-back window ({@code start_offset} in {@code
 * sql/timescale/002_ohlcv.sql}); minutes written further back (the Redis backlog flushed after a
 * long database outage) would otherwise stay out of {@code ohlcv_5m} … {@code ohlcv_1d} for good,
 * because real-time aggregation only adds raw rows above the materialization watermark.
 *
 * <p>At most one refresh runs at a time; what arrives meanwhile is merged into the next one, and
 * rounds nobody waits for are {@link #SPACING_MS} apart. A failed refresh keeps its ranges and is
 * tried again with the next request (each flush pass makes one), so nothing is forgotten while the
 * database is away. Must not run inside a transaction: {@code refresh_continuous_aggregate} refuses
 * it.
 */
final class AggregateRefresher {
  private static final Logger log = LoggerFactory.getLogger(AggregateRefresher.class);

  /**
   * How far back each policy re-materializes, less its schedule interval (a minute written just
   * inside the window may age out of it before the policy's next run). Kept equal to the SQL by
   * {@code AggregateRefresherTest}.
   */
  static final Map<Resolution, Long> POLICY_REACH_SEC =
      Map.of(
          Resolution.M5, 86_400L - 60,
          Resolution.M15, 2 * 86_400L - 60,
          Resolution.H1, 7 * 86_400L - 300,
          Resolution.H4, 14 * 86_400L - 900,
          Resolution.D1, 60 * 86_400L - 3_600);

  private final Pool pool;
  private final LongSupplier nowSec;

  /** Per aggregate, the range still to refresh: {from, to} in epoch seconds. */
  private final Map<Resolution, long[]> pending = new EnumMap<>(Resolution.class);

  /**
   * Rounds nobody waits for start at most this often: a backfill of the whole market asks once per
   * symbol.
   */
  static final long SPACING_MS = 2_000;

  private List<Promise<Void>> waiting = new ArrayList<>();
  private boolean running;
  private boolean timerSet;
  private long lastRoundAtMs;
  private long refreshes;

  /** The Vert.x instance of the first caller on a Vert.x thread: spaced rounds need its timers. */
  private volatile Vertx timers;

  AggregateRefresher(Pool pool, LongSupplier nowSec) {
    this.pool = pool;
    this.nowSec = nowSec;
  }

  /**
   * After a write of minutes {@code [fromSec, toSec]}: refreshes the aggregates whose policy window
   * does not reach {@code fromSec} (nothing when every policy covers the write, the steady state),
   * and retries what an earlier refresh left. Does not wait for the refresh.
   */
  void afterWrite(long fromSec, long toSec) {
    noteVertx();
    long age = nowSec.getAsLong() - fromSec;
    synchronized (this) {
      for (Resolution r : Resolution.ROLLUPS) {
        if (age > POLICY_REACH_SEC.get(r)) add(r, fromSec, toSec);
      }
      if (pending.isEmpty()) return;
    }
    drain();
  }

  /**
   * Refreshes every aggregate over {@code [fromSec, toSec]} (widened to whole days), merged with
   * whatever else is pending; completes when a refresh covering it has run.
   */
  Future<Void> refreshAll(long fromSec, long toSec) {
    noteVertx();
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      for (Resolution r : Resolution.ROLLUPS) add(r, fromSec, toSec);
      waiting.add(done);
    }
    drain();
    return done.future();
  }

  /** {@link #refreshAll} without waiting: the round runs when the spacing allows. */
  void refreshAllSoon(long fromSec, long toSec) {
    noteVertx();
    synchronized (this) {
      for (Resolution r : Resolution.ROLLUPS) add(r, fromSec, toSec);
    }
    drain();
  }

  /** How many refresh rounds ran (tests: requests coalesce). */
  synchronized long refreshes() {
    return refreshes;
  }

  private void noteVertx() {
    Context context = Vertx.currentContext();
    if (timers == null && context != null) timers = context.owner();
  }

  private void add(Resolution r, long fromSec, long toSec) {
    long[] range = pending.get(r);
    if (range == null) pending.put(r, new long[] {fromSec, toSec});
    else {
      range[0] = Math.min(range[0], fromSec);
      range[1] = Math.max(range[1], toSec);
    }
  }

  /**
   * The refresh window: whole days around the range, so it covers whole buckets of every aggregate
   * (a window smaller than one bucket is refused).
   */
  static String call(Resolution r, long fromSec, long toSec) {
    long from = Resolution.D1.bucketStart(fromSec);
    long to = Resolution.D1.bucketStart(toSec) + 2 * Resolution.D1.seconds();
    return "CALL refresh_continuous_aggregate('"
        + r.table()
        + "', to_timestamp("
        + from
        + "), to_timestamp("
        + to
        + "))";
  }

  private void drain() {
    Map<Resolution, long[]> round;
    List<Promise<Void>> callers;
    synchronized (this) {
      if (running || pending.isEmpty() || (timerSet && waiting.isEmpty())) return;
      long wait = lastRoundAtMs + SPACING_MS - System.currentTimeMillis();
      if (waiting.isEmpty() && wait > 0 && timers != null) {
        timerSet = true;
        timers.setTimer(
            wait,
            id -> {
              synchronized (this) {
                timerSet = false;
              }
              drain();
            });
        return;
      }
      running = true;
      lastRoundAtMs = System.currentTimeMillis();
      refreshes++;
      round = new EnumMap<>(pending);
      pending.clear();
      callers = waiting;
      waiting = new ArrayList<>();
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<Resolution, long[]> e : round.entrySet()) {
      String sql = call(e.getKey(), e.getValue()[0], e.getValue()[1]);
      chain = chain.compose(v -> pool.query(sql).execute().mapEmpty());
    }
    chain.onComplete(
        result -> {
          List<Promise<Void>> queued = List.of();
          synchronized (this) {
            running = false;
            if (result.failed()) {
              // The ranges wait for the next write; nobody is left waiting on a round that will
              // not start by itself.
              for (Map.Entry<Resolution, long[]> e : round.entrySet())
                add(e.getKey(), e.getValue()[0], e.getValue()[1]);
              queued = waiting;
              waiting = new ArrayList<>();
            }
          }
          if (result.failed()) {
            log.warn(
                "continuous aggregates not refreshed, tried again after the next write: {}",
                result.cause().getMessage());
            callers.forEach(p -> p.fail(result.cause()));
            queued.forEach(p -> p.fail(result.cause()));
            return;
          }
          callers.forEach(Promise::complete);
          drain();
        });
  }
}
