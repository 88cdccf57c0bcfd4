package oracle.http.market;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import oracle.storage.Resolution;

/**
 * Stored candles through an in-process cache of closed history, so chart traffic does not turn
 * every request into a 1,000-row index scan.
 *
 * <p>History is cached in fixed blocks of buckets per symbol and resolution, and only blocks that
 * ended well in the past: before {@code now - hotMinutes - 1 h}, i.e. flushed, rolled up, and out
 * of reach of the live path. Newer candles always come from the database. A block is dropped after
 * {@code ttl} so a backfill that fills an old gap shows within that time, and the cache is bounded
 * by size (least recently used blocks go first). With size 0 every read goes to the database.
 */
public final class CachedCandleStore {
  /** Packed numbers plus the candle's JSON (about 155 bytes) and its offset. */
  private static final long BYTES_PER_CANDLE = 48 + 4;

  private final Vertx vertx;
  private final StoredCandleReader repository;
  private final AsyncCache<BlockKey, CandleBlock> cache;

  /**
   * Reads of the recent, uncached part, shared by every request asking the same: refreshed in the
   * background once a second old (the requests meanwhile served the previous read), dropped after
   * {@link #TAIL_MAX_AGE} unused.
   */
  private final AsyncLoadingCache<TailKey, List<Bar>> tails;

  static final Duration TAIL_REFRESH = Duration.ofSeconds(1);
  static final Duration TAIL_MAX_AGE = Duration.ofSeconds(3);

  /**
   * The {@code to} of an open-ended tail read (9999-12-31T23:59Z): all there is after {@code from}.
   */
  static final long OPEN_END = 253_402_300_740L;

  private final long safetySeconds;
  private final LongSupplier clockMillis;

  public CachedCandleStore(
      Vertx vertx,
      StoredCandleReader repository,
      long maxBytes,
      Duration ttl,
      int hotMinutes,
      LongSupplier clockMillis) {
    this.vertx = vertx;
    this.repository = repository;
    this.clockMillis = clockMillis;
    this.safetySeconds = hotMinutes * 60L + 3_600;
    this.cache =
        maxBytes <= 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher(
                    (BlockKey k, CandleBlock b) ->
                        (int)
                            Math.min(
                                Integer.MAX_VALUE,
                                64 + b.times.length * BYTES_PER_CANDLE + b.json.length))
                .expireAfterWrite(ttl)
                .buildAsync();
    this.tails =
        maxBytes <= 0
            ? null
            : Caffeine.newBuilder()
                .maximumSize(1_000) // each holds at most a few thousand recent candles
                .refreshAfterWrite(TAIL_REFRESH)
                .expireAfterWrite(TAIL_MAX_AGE)
                // Loads and refreshes start on the asking event loop (the query is non-blocking).
                .executor(Runnable::run)
                .buildAsync(
                    (TailKey k, java.util.concurrent.Executor executor) ->
                        repository
                            .range(k.resolution, k.symbol, k.from, k.to, k.limit, k.fromEnd)
                            .map(bars -> packed(bars, k.resolution == Resolution.M1))
                            .toCompletionStage()
                            .toCompletableFuture());
  }

  public StoredCandleReader repository() {
    return repository;
  }

  /** Buckets per cached block: small enough that the uncached recent part stays a short read. */
  static int blockBuckets(Resolution r) {
    return r == Resolution.D1 ? 32 : 256;
  }

  /** Same contract as {@link StoredCandleReader#range}. */
  public Future<List<Bar>> range(
      Resolution r, String symbol, long from, long to, int limit, boolean fromEnd) {
    if (cache == null) return repository.range(r, symbol, from, to, limit, fromEnd);
    long span = blockBuckets(r) * r.seconds();
    // Blocks ending at or before this edge are immutable enough to cache.
    long edge = Math.floorDiv(clockMillis.getAsLong() / 1000 - safetySeconds, span) * span;
    int maxBlocks = limit / blockBuckets(r) + 2;
    return fromEnd
        ? backward(r, symbol, from, to, limit, span, edge, maxBlocks)
        : forward(r, symbol, from, to, limit, span, edge, maxBlocks);
  }

  private Future<List<Bar>> forward(
      Resolution r,
      String symbol,
      long from,
      long to,
      int limit,
      long span,
      long edge,
      int maxBlocks) {
    List<Long> starts = new ArrayList<>();
    for (long b = Math.floorDiv(from, span) * span;
        b + span <= edge && b <= to && starts.size() < maxBlocks;
        b += span) starts.add(b);
    if (starts.isEmpty()) return recent(r, symbol, from, to, limit, false, edge);
    long cursor = starts.get(starts.size() - 1) + span;
    return blocks(r, symbol, starts)
        .compose(
            blocks -> {
              Candles.Builder out = new Candles.Builder();
              int count = 0;
              for (CandleBlock block : blocks) {
                int first = block.indexAtOrAfter(from);
                int end = Math.min(block.indexAfter(to), first + (limit - count));
                if (first >= end) continue;
                out.block(block, first, end);
                count += end - first;
              }
              if (count >= limit || cursor > to) return Future.succeededFuture(out.build());
              return recent(r, symbol, cursor, to, limit - count, false, edge)
                  .map(rest -> out.addAll(rest).build());
            });
  }

  private Future<List<Bar>> backward(
      Resolution r,
      String symbol,
      long from,
      long to,
      int limit,
      long span,
      long edge,
      int maxBlocks) {
    long cachedEnd = Math.min(edge, Math.floorDiv(to, span) * span + span); // exclusive
    Future<List<Bar>> recent =
        cachedEnd <= to
            ? recent(r, symbol, Math.max(from, cachedEnd), to, limit, true, edge)
            : Future.succeededFuture(List.of());
    if (from >= cachedEnd) return recent;
    return recent.compose(
        tail -> {
          if (tail.size() >= limit) return Future.succeededFuture(tail);
          List<Long> starts = new ArrayList<>();
          for (long b = cachedEnd - span; b + span > from && starts.size() < maxBlocks; b -= span)
            starts.add(b);
          long cursor = starts.get(starts.size() - 1); // everything before it is not covered
          int wanted = limit - tail.size();
          return blocks(r, symbol, starts)
              .compose(
                  blocks -> {
                    // Per block (newest first): the run [first, end) it gives.
                    int[] firsts = new int[blocks.size()];
                    int[] ends = new int[blocks.size()];
                    int count = 0;
                    for (int k = 0; k < blocks.size(); k++) {
                      CandleBlock block = blocks.get(k);
                      int end = block.indexAfter(to);
                      int first = Math.max(block.indexAtOrAfter(from), end - (wanted - count));
                      firsts[k] = first;
                      ends[k] = Math.max(first, end);
                      count += ends[k] - first;
                    }
                    int got = count;
                    Future<List<Bar>> older =
                        got >= wanted || cursor <= from
                            ? Future.succeededFuture(List.of())
                            : repository.range(r, symbol, from, cursor - 1, wanted - got, true);
                    return older.map(
                        head -> {
                          Candles.Builder out = new Candles.Builder().addAll(head);
                          for (int k = blocks.size() - 1; k >= 0; k--)
                            out.block(blocks.get(k), firsts[k], ends[k]);
                          return out.addAll(tail).build();
                        });
                  });
        });
  }

  /**
   * A database read; when it lies wholly after the cached blocks it is shared: the recent minutes
   * it holds are the ones Redis overrides anyway, and the older ones were flushed long before, so a
   * few seconds of age are invisible, and a crowd of charts polling the latest candles costs one
   * query per second, not one each. A read up to the current minute or later is open-ended (nothing
   * is stored after the current minute), so its key is the same from one second, or minute, to the
   * next and it is refreshed in the background while it is served: no request waits for the query
   * but the first.
   */
  private Future<List<Bar>> recent(
      Resolution r, String symbol, long from, long to, int limit, boolean fromEnd, long edge) {
    if (from < edge) return repository.range(r, symbol, from, to, limit, fromEnd);
    long nowMinute = Math.floorDiv(clockMillis.getAsLong() / 1000, 60) * 60;
    // Open-ended only ascending: the first rows of [from, ∞) cut at `to` are the first rows of
    // [from, to]; the last rows are not.
    boolean open = !fromEnd && to >= nowMinute;
    // Otherwise any `to` after the current minute reads the same rows.
    long keyTo = open ? OPEN_END : Math.min(to, nowMinute + 59);
    TailKey key = new TailKey(symbol, r, from, keyTo, limit, fromEnd);
    Future<List<Bar>> shared =
        Future.fromCompletionStage(tails.get(key), vertx.getOrCreateContext());
    return open ? shared.map(bars -> upTo(bars, to)) : shared;
  }

  /**
   * A shared read kept packed with its JSON made once, like a cached block: every request served by
   * it copies its candles' bytes instead of formatting them (the JSON says closed; the writer
   * formats a still-forming candle itself).
   */
  static List<Bar> packed(List<Bar> bars) {
    return packed(bars, false);
  }

  /**
   * @param minutes 1-minute candles (their JSON has {@code trades} and {@code origin})
   */
  static List<Bar> packed(List<Bar> bars, boolean minutes) {
    if (bars.isEmpty()) return Candles.EMPTY;
    return new Candles.Builder().block(CandleBlock.of(bars, minutes), 0, bars.size()).build();
  }

  /** The prefix of ascending {@code bars} with time at most {@code to}. */
  static List<Bar> upTo(List<Bar> bars, long to) {
    int n = bars.size();
    if (n == 0 || Candles.time(bars, n - 1) <= to) return bars;
    int lo = 0;
    int hi = n; // first index with time > to, in [lo, hi]
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Candles.time(bars, mid) <= to) lo = mid + 1;
      else hi = mid;
    }
    return bars.subList(0, lo);
  }

  private record TailKey(
      String symbol, Resolution resolution, long from, long to, int limit, boolean fromEnd) {}

  /**
   * The blocks in the order given, loaded concurrently on a miss. When all are loaded already (the
   * usual case), they are answered at once: no future per block.
   */
  private Future<List<CandleBlock>> blocks(Resolution r, String symbol, List<Long> starts) {
    List<CandleBlock> ready = new ArrayList<>(starts.size());
    for (long start : starts) {
      CompletableFuture<CandleBlock> f = cache.getIfPresent(new BlockKey(symbol, r, start));
      if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
        ready = null;
        break;
      }
      ready.add(f.join());
    }
    if (ready != null) return Future.succeededFuture(ready);
    Context context = vertx.getOrCreateContext();
    List<Future<CandleBlock>> futures = new ArrayList<>(starts.size());
    for (long start : starts) {
      BlockKey key = new BlockKey(symbol, r, start);
      futures.add(
          Future.fromCompletionStage(
              cache.get(key, (k, executor) -> load(k).toCompletionStage().toCompletableFuture()),
              context));
    }
    return Future.all(futures)
        .map(
            all -> {
              List<CandleBlock> out = new ArrayList<>(futures.size());
              for (Future<CandleBlock> f : futures) out.add(f.result());
              return out;
            });
  }

  private Future<CandleBlock> load(BlockKey key) {
    long end = key.start + blockBuckets(key.resolution) * key.resolution.seconds();
    return repository
        .range(key.resolution, key.symbol, key.start, end - 1, blockBuckets(key.resolution), false)
        .map(bars -> CandleBlock.of(bars, key.resolution == Resolution.M1));
  }

  private record BlockKey(String symbol, Resolution resolution, long start) {}
}
