package oracle.flush;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import oracle.common.LuaScript;
import oracle.common.RedisKeys;
import oracle.storage.CandleRepository;

/**
 * One two-phase flush pass: read every candle Redis holds that the database lacks, write them all
 * in one fenced upsert, and only after the commit mark the closed ones ({@code flushed_at} + TTL).
 * Nothing is ever deleted; a crash anywhere leaves unmarked keys that the next pass writes again
 * (the upsert is idempotent).
 *
 * <p>The still-open current minute is written too (the database and the aggregates stay at most one
 * pass behind) but is not marked, so it keeps no TTL and is written again, complete, once it
 * closes.
 */
public final class Flusher {
  /** Keys per mark_flushed.lua call (about a millisecond of Redis time). */
  private static final int KEYS_PER_MARK = 500;

  private final Redis redis;
  private final CandleRepository repository;
  private final RedisCandleReader reader;
  private final LuaScript markFlushed = LuaScript.load("mark_flushed");
  private final LongSupplier clockMs;
  private final int ttlSeconds;
  private final int maxRows;

  /**
   * @param maxRows candles one pass writes at most; the rest (oldest first) is left to the next
   *     pass
   */
  public Flusher(
      Redis redis, CandleRepository repository, LongSupplier clockMs, int ttlSeconds, int maxRows) {
    this.redis = redis;
    this.repository = repository;
    this.reader = new RedisCandleReader(redis);
    this.clockMs = clockMs;
    this.ttlSeconds = ttlSeconds;
    this.maxRows = maxRows;
  }

  public Flusher(Redis redis, CandleRepository repository, LongSupplier clockMs, int ttlSeconds) {
    this(redis, repository, clockMs, ttlSeconds, Integer.MAX_VALUE);
  }

  public Future<FlushResult> flushOnce(long fencingToken) {
    return reader
        .readUnflushed(maxRows)
        .compose(
            read -> {
              List<PendingCandle> pending = read.candles();
              if (pending.isEmpty()) return Future.succeededFuture(FlushResult.NOTHING);
              return write(pending, fencingToken)
                  .compose(
                      written ->
                          mark(pending)
                              .map(
                                  marked ->
                                      new FlushResult(
                                          written,
                                          marked,
                                          pending.size() - closed(pending).size(),
                                          read.more())));
            });
  }

  /** Every unflushed candle (no cap). */
  Future<List<PendingCandle>> read() {
    return reader.readUnflushed(Integer.MAX_VALUE).map(RedisCandleReader.Read::candles);
  }

  Future<Integer> write(List<PendingCandle> pending, long fencingToken) {
    return repository.upsert(pending.stream().map(PendingCandle::row).toList(), fencingToken);
  }

  /** Marks the closed candles among {@code pending}; returns how many were marked. */
  Future<Integer> mark(List<PendingCandle> pending) {
    List<PendingCandle> closed = closed(pending);
    String now = Long.toString(clockMs.getAsLong());
    List<Future<Response>> calls = new ArrayList<>();
    for (int i = 0; i < closed.size(); i += KEYS_PER_MARK) {
      List<PendingCandle> slice = closed.subList(i, Math.min(closed.size(), i + KEYS_PER_MARK));
      List<String> args = new ArrayList<>(slice.size() + 2);
      args.add(now);
      args.add(Integer.toString(ttlSeconds));
      slice.forEach(p -> args.add(p.updatedAt()));
      calls.add(markFlushed.eval(redis, slice.stream().map(PendingCandle::key).toList(), args));
    }
    return Future.all(calls)
        .map(
            cf -> {
              int marked = 0;
              for (int i = 0; i < calls.size(); i++) marked += cf.<Response>resultAt(i).toInteger();
              return marked;
            });
  }

  private List<PendingCandle> closed(List<PendingCandle> pending) {
    long currentMinute = RedisKeys.minuteOf(clockMs.getAsLong());
    return pending.stream().filter(p -> p.row().time() < currentMinute).toList();
  }
}
