package oracle.flush;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import oracle.common.OffLoop;
import oracle.common.RedisKeys;
import oracle.hotstore.FlushMarks;
import oracle.hotstore.PendingCandle;
import oracle.hotstore.UnflushedReader;
import oracle.storage.CandleBatch;
import oracle.storage.CandleRepository;

/**
 * One two-phase flush pass: read every candle Redis holds that the database lacks, write them in
 * fenced upserts, and only after a commit mark the closed ones it covered ({@code flushed_at} +
 * TTL, and out of the dirty set). Nothing is ever deleted; a crash anywhere leaves unmarked keys
 * that the next pass writes again (the upsert is idempotent).
 *
 * <p>The keys come from the dirty set {@code oracle:flush:dirty}, so a steady-state pass touches
 * only the candles that changed. A full SCAN is the safety net: on the first pass of each term
 * ({@link #requireFullScan}), every {@code fullScanMs}, and whenever the set is found incomplete
 * (lost with a Redis restart, deleted, evicted); see {@link UnflushedReader}.
 *
 * <p>A large pass is split by symbol into groups of about {@link #GROUP_ROWS} candles that go
 * through Redis and PostgreSQL as a pipeline: while the database writes one group, Redis reads the
 * next and marks the one committed before, so the two servers work side by side instead of in turn;
 * each group is encoded for the database (a worker's CPU) as soon as it is read, so the database
 * goes from one group to the next without waiting for it. Each group holds every pending minute of
 * its symbols, so its rollup buckets are its own.
 *
 * <p>The still-open current minute is written too (the database and the aggregates stay at most one
 * pass behind) but is not marked, so it keeps no TTL, stays dirty and is written again, complete,
 * once it closes.
 */
public final class Flusher {
  /** Candles per pipelined group of a large pass. */
  static final int GROUP_ROWS = 25_000;

  /** Default time between safety-net full scans. */
  public static final long FULL_SCAN_MS = 3_600_000;

  private final Redis redis;
  private final CandleRepository repository;
  private final UnflushedReader reader;
  private final FlushMarks marks;
  private final LongSupplier clockMs;
  private final int ttlSeconds;
  private final int maxRows;
  private final long fullScanMs;

  /** The next pass scans every key (first pass, new term); cleared once a full read succeeded. */
  private volatile boolean fullScanDue = true;

  private volatile long lastFullScanAt;

  /**
   * @param maxRows candles one pass writes at most; the rest (oldest first) is left to the next
   *     pass
   * @param fullScanMs time between safety-net full scans
   */
  public Flusher(
      Redis redis,
      CandleRepository repository,
      LongSupplier clockMs,
      int ttlSeconds,
      int maxRows,
      long fullScanMs) {
    this.redis = redis;
    this.repository = repository;
    this.reader = new UnflushedReader(redis);
    this.marks = new FlushMarks(redis);
    this.clockMs = clockMs;
    this.ttlSeconds = ttlSeconds;
    this.maxRows = maxRows;
    this.fullScanMs = fullScanMs;
  }

  public Flusher(
      Redis redis, CandleRepository repository, LongSupplier clockMs, int ttlSeconds, int maxRows) {
    this(redis, repository, clockMs, ttlSeconds, maxRows, FULL_SCAN_MS);
  }

  public Flusher(Redis redis, CandleRepository repository, LongSupplier clockMs, int ttlSeconds) {
    this(redis, repository, clockMs, ttlSeconds, Integer.MAX_VALUE);
  }

  /** The next pass scans every candle key instead of trusting the dirty set (a new term). */
  public void requireFullScan() {
    fullScanDue = true;
  }

  public Future<FlushResult> flushOnce(long fencingToken) {
    long startedMs = clockMs.getAsLong();
    return listKeys(startedMs)
        .compose(
            keys -> {
              Future<List<Future<List<PendingCandle>>>> reads;
              boolean more;
              if (keys.keys().size() > maxRows) {
                // A cap may apply: read oldest first up to it, then write and mark in groups.
                Future<UnflushedReader.Read> capped = reader.readCapped(keys, maxRows);
                reads =
                    capped.compose(
                        read ->
                            OffLoop.compute(
                                    read.candles().size(),
                                    GROUP_ROWS,
                                    () -> groups(read.candles(), p -> p.row().symbol()))
                                .map(
                                    groups ->
                                        groups.stream().map(Future::succeededFuture).toList()));
                return reads.compose(
                    r ->
                        pipeline(
                            r, keys.fullScan(), startedMs, fencingToken, capped.result().more()));
              }
              return OffLoop.compute(
                      keys.keys().size(),
                      GROUP_ROWS,
                      () -> groups(keys.keys(), UnflushedReader::symbolOf))
                  .compose(
                      groups -> {
                        // Redis reads the groups one after the other, ahead of the writes.
                        List<Future<List<PendingCandle>>> r = new ArrayList<>();
                        Future<List<PendingCandle>> previous = Future.succeededFuture();
                        for (List<String> g : groups) {
                          previous = previous.compose(x -> reader.read(g, keys.fullScan()));
                          r.add(previous);
                        }
                        return pipeline(r, keys.fullScan(), startedMs, fencingToken, false);
                      });
            });
  }

  /**
   * Writes each group once it is read and the group before it is written (one writer at a time),
   * and marks each group once its write committed, while the next group is written. A full scan's
   * reads, once all succeeded, have put every unflushed candle in the dirty set: the passes that
   * follow may trust it.
   */
  private Future<FlushResult> pipeline(
      List<Future<List<PendingCandle>>> reads,
      boolean fullScan,
      long startedMs,
      long fencingToken,
      boolean more) {
    if (fullScan)
      Future.all(reads)
          .onSuccess(
              x -> {
                fullScanDue = false;
                lastFullScanAt = startedMs;
              });
    List<Future<?>> all = new ArrayList<>();
    List<Future<Integer>> writes = new ArrayList<>();
    List<Future<Integer>> marks = new ArrayList<>();
    Future<Integer> previousWrite = Future.succeededFuture(0);
    for (Future<List<PendingCandle>> read : reads) {
      // A group is encoded for the database as soon as it is read, while the group before is
      // still being written: the database then waits for no CPU work between two groups.
      Future<CandleBatch> prepared =
          read.compose(
              group ->
                  group.isEmpty()
                      ? Future.succeededFuture(null)
                      : repository.prepare(group.stream().map(PendingCandle::row).toList()));
      Future<Integer> write =
          Future.all(prepared, previousWrite)
              .compose(
                  x ->
                      prepared.result() == null
                          ? Future.succeededFuture(0)
                          : repository.upsert(prepared.result(), fencingToken));
      Future<Integer> mark = write.compose(x -> mark(read.result()));
      writes.add(write);
      marks.add(mark);
      all.add(read);
      all.add(mark);
      previousWrite = write;
    }
    // Every step settles before the pass ends (no mark left running into the next pass); the
    // first failure in pipeline order is the pass's error.
    return Future.join(all)
        .transform(
            ar -> {
              for (Future<?> f : all) if (f.failed()) return Future.failedFuture(f.cause());
              int written = 0, marked = 0, pending = 0, closed = 0;
              for (int i = 0; i < reads.size(); i++) {
                List<PendingCandle> group = reads.get(i).result();
                written += writes.get(i).result();
                marked += marks.get(i).result();
                pending += group.size();
                closed += closed(group).size();
              }
              return Future.succeededFuture(
                  pending == 0
                      ? (more ? new FlushResult(0, 0, 0, true) : FlushResult.NOTHING)
                      : new FlushResult(written, marked, pending - closed, more));
            });
  }

  /** The dirty keys, or every key when a safety-net scan is due. */
  private Future<UnflushedReader.Keys> listKeys(long nowMs) {
    return reader.listKeys(fullScanDue || nowMs - lastFullScanAt >= fullScanMs);
  }

  /**
   * Items grouped by symbol into groups of about {@link #GROUP_ROWS} (a symbol is never split, so a
   * group holds every pending minute of its symbols).
   */
  static <T> List<List<T>> groups(List<T> items, Function<T, String> symbol) {
    if (items.size() <= GROUP_ROWS) return List.of(items);
    Map<String, List<T>> bySymbol = new LinkedHashMap<>();
    for (T item : items)
      bySymbol.computeIfAbsent(symbol.apply(item), k -> new ArrayList<>()).add(item);
    List<List<T>> groups = new ArrayList<>();
    List<T> current = new ArrayList<>();
    for (List<T> one : bySymbol.values()) {
      if (!current.isEmpty() && current.size() + one.size() > GROUP_ROWS) {
        groups.add(current);
        current = new ArrayList<>();
      }
      current.addAll(one);
    }
    if (!current.isEmpty()) groups.add(current);
    return groups;
  }

  /** Every unflushed candle (no cap), without the pipeline: for tests and the benchmark. */
  Future<List<PendingCandle>> read() {
    long startedMs = clockMs.getAsLong();
    return listKeys(startedMs)
        .compose(
            keys ->
                reader
                    .read(keys.keys(), keys.fullScan())
                    .onSuccess(
                        x -> {
                          if (keys.fullScan()) {
                            fullScanDue = false;
                            lastFullScanAt = startedMs;
                          }
                        }));
  }

  Future<Integer> write(List<PendingCandle> pending, long fencingToken) {
    return repository.upsert(pending.stream().map(PendingCandle::row).toList(), fencingToken);
  }

  /** Marks the closed candles among {@code pending}; returns how many were marked. */
  Future<Integer> mark(List<PendingCandle> pending) {
    return marks.mark(closed(pending), clockMs.getAsLong(), ttlSeconds);
  }

  private List<PendingCandle> closed(List<PendingCandle> pending) {
    long currentMinute = RedisKeys.minuteOf(clockMs.getAsLong());
    return pending.stream().filter(p -> p.row().time() < currentMinute).toList();
  }
}
