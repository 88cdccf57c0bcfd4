package oracle.http.market;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
  private final AsyncCache<BlockKey, Block> cache;

  /** Reads of the recent, uncached part, shared for a second by every request asking the same. */
  private final AsyncCache<TailKey, List<Bar>> tails;

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
                    (BlockKey k, Block b) ->
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
                .maximumSize(1_000) // each holds at most a few hundred recent candles
                .expireAfterWrite(Duration.ofSeconds(1))
                .buildAsync();
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
              int cached = 0;
              for (Block block : blocks) cached += block.times.length;
              List<Bar> out = new ArrayList<>(Math.min(limit, cached) + 1);
              for (Block block : blocks) {
                for (int i = block.indexAtOrAfter(from);
                    i < block.times.length && out.size() < limit;
                    i++) {
                  long t = block.times[i];
                  if (t >= from && t <= to) out.add(block.bar(i));
                }
              }
              if (out.size() >= limit || cursor > to) return Future.succeededFuture(out);
              return recent(r, symbol, cursor, to, limit - out.size(), false, edge)
                  .map(
                      rest -> {
                        out.addAll(rest);
                        return out;
                      });
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
                    List<Bar> newestFirst =
                        new ArrayList<>(Math.min(wanted, blocks.size() * blockBuckets(r)));
                    for (Block block : blocks) {
                      for (int i = block.times.length - 1;
                          i >= 0 && newestFirst.size() < wanted;
                          i--) {
                        long t = block.times[i];
                        if (t >= from && t <= to) newestFirst.add(block.bar(i));
                      }
                    }
                    Future<List<Bar>> older =
                        newestFirst.size() >= wanted || cursor <= from
                            ? Future.succeededFuture(List.of())
                            : repository.range(
                                r, symbol, from, cursor - 1, wanted - newestFirst.size(), true);
                    return older.map(
                        head -> {
                          Collections.reverse(newestFirst);
                          List<Bar> out =
                              new ArrayList<>(head.size() + newestFirst.size() + tail.size());
                          out.addAll(head);
                          out.addAll(newestFirst);
                          out.addAll(tail);
                          return out;
                        });
                  });
        });
  }

  /**
   * A database read; when it lies wholly after the cached blocks it is shared for a second: the
   * recent minutes it holds are the ones Redis overrides anyway, so a second of age is invisible,
   * and a crowd of charts polling the latest candles costs one query per second, not one each.
   */
  private Future<List<Bar>> recent(
      Resolution r, String symbol, long from, long to, int limit, boolean fromEnd, long edge) {
    if (from < edge) return repository.range(r, symbol, from, to, limit, fromEnd);
    // Nothing is stored after the current minute, so any later `to` reads the same rows.
    long nowMinute = Math.floorDiv(clockMillis.getAsLong() / 1000, 60) * 60;
    long boundedTo = Math.min(to, nowMinute + 59);
    TailKey key = new TailKey(symbol, r, from, boundedTo, limit, fromEnd);
    return Future.fromCompletionStage(
        tails.get(
            key,
            (k, executor) ->
                repository
                    .range(r, symbol, from, boundedTo, limit, fromEnd)
                    .toCompletionStage()
                    .toCompletableFuture()),
        vertx.getOrCreateContext());
  }

  private record TailKey(
      String symbol, Resolution resolution, long from, long to, int limit, boolean fromEnd) {}

  /** The blocks in the order given, loaded concurrently on a miss. */
  private Future<List<Block>> blocks(Resolution r, String symbol, List<Long> starts) {
    Context context = vertx.getOrCreateContext();
    List<Future<Block>> futures = new ArrayList<>(starts.size());
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
              List<Block> out = new ArrayList<>(futures.size());
              for (Future<Block> f : futures) out.add(f.result());
              return out;
            });
  }

  private Future<Block> load(BlockKey key) {
    long end = key.start + blockBuckets(key.resolution) * key.resolution.seconds();
    return repository
        .range(key.resolution, key.symbol, key.start, end - 1, blockBuckets(key.resolution), false)
        .map(Block::of);
  }

  private record BlockKey(String symbol, Resolution resolution, long start) {}

  /**
   * A reader of the cached blocks' ready-made candle JSON for one response: a candle still cached,
   * with the very same values, is copied as bytes instead of being formatted again.
   */
  public EncodedCandles encoded(String symbol, Resolution r) {
    if (cache == null) return EncodedCandles.NONE;
    long span = blockBuckets(r) * r.seconds();
    return new EncodedCandles() {
      private long blockStart =
          Long.MAX_VALUE; // [blockStart, blockEnd): the block looked up last; none yet
      private long blockEnd = Long.MIN_VALUE;
      private Block block;

      @Override
      public boolean locate(Bar bar, EncodedCandles.Slice out) {
        long t = bar.time();
        if (t < blockStart
            || t >= blockEnd) { // a response walks its candles in order: rarely a new block
          long start = Math.floorDiv(t, span) * span;
          blockStart = start;
          blockEnd = start + span;
          java.util.concurrent.CompletableFuture<Block> f =
              cache.getIfPresent(new BlockKey(symbol, r, start));
          block = f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
        }
        return block != null && block.locate(bar, out);
      }
    };
  }

  /**
   * One block's candles, ascending: numbers packed as arrays, and their JSON, made once: the candle
   * objects in order, separated by commas, so a run of candles is one slice of {@code json}.
   */
  private static final class Block {
    final long[] times;
    final double[] values;
    final byte[] json;

    /**
     * Candle i's JSON is json[offsets[i], offsets[i + 1] - 1): the byte before the next one is the
     * comma ({@code offsets} ends with json.length + 1).
     */
    final int[] offsets;

    private Block(long[] times, double[] values) {
      this.times = times;
      this.values = values;
      this.offsets = new int[times.length + 1];
      io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(times.length * 160);
      try (CandleJson.CandleWriter writer = new CandleJson.CandleWriter(buf)) {
        for (int i = 0; i < times.length; i++) {
          if (i > 0) writer.comma();
          offsets[i] = writer.position();
          writer.candle(bar(i), true); // cached blocks ended long ago: every candle is closed
        }
        offsets[times.length] = writer.position() + 1;
      }
      this.json = new byte[buf.readableBytes()];
      buf.readBytes(json);
    }

    /** Index of the first candle at or after {@code time}. */
    int indexAtOrAfter(long time) {
      int i = java.util.Arrays.binarySearch(times, time);
      return i >= 0 ? i : -i - 1;
    }

    /**
     * Candle index of the last copy: a response walks a block in order, so the next is usually next
     * (only a hint, so racing threads are harmless).
     */
    private int hint;

    boolean locate(Bar bar, EncodedCandles.Slice out) {
      int i =
          hint + 1 < times.length && times[hint + 1] == bar.time()
              ? hint + 1
              : java.util.Arrays.binarySearch(times, bar.time());
      if (i < 0) return false;
      hint = i;
      int v = i * 5;
      // Doubles compared bit for bit (raw bits: no branches): only the identical candle may reuse
      // the bytes.
      if (bits(values[v]) != bits(bar.open())
          || bits(values[v + 1]) != bits(bar.high())
          || bits(values[v + 2]) != bits(bar.low())
          || bits(values[v + 3]) != bits(bar.close())
          || bits(values[v + 4]) != bits(bar.volume())) return false;
      out.array = json;
      out.from = offsets[i];
      out.to = offsets[i + 1] - 1;
      return true;
    }

    private static long bits(double d) {
      return Double.doubleToRawLongBits(d);
    }

    static Block of(List<Bar> bars) {
      long[] times = new long[bars.size()];
      double[] values = new double[bars.size() * 5];
      for (int i = 0; i < times.length; i++) {
        Bar b = bars.get(i);
        times[i] = b.time();
        values[i * 5] = b.open();
        values[i * 5 + 1] = b.high();
        values[i * 5 + 2] = b.low();
        values[i * 5 + 3] = b.close();
        values[i * 5 + 4] = b.volume();
      }
      return new Block(times, values);
    }

    Bar bar(int i) {
      return new Bar(
          times[i],
          values[i * 5],
          values[i * 5 + 1],
          values[i * 5 + 2],
          values[i * 5 + 3],
          values[i * 5 + 4]);
    }
  }
}
