package oracle.flush;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import oracle.common.LuaScript;
import oracle.common.RedisKeys;
import oracle.storage.CandleRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One two-phase flush pass: read every candle Redis holds that the database lacks, write them all in
 * one fenced upsert, and only after the commit mark the closed ones ({@code flushed_at} + TTL). Nothing
 * is ever deleted; a crash anywhere leaves unmarked keys that the next pass writes again (the upsert is
 * idempotent).
 *
 * <p>The still-open current minute is written too (the database and the aggregates stay at most one
 * pass behind) but is not marked, so it keeps no TTL and is written again, complete, once it closes.
 */
public final class Flusher {
  private static final int MARK_PIPELINE = 1_000;

  private final Redis redis;
  private final CandleRepository repository;
  private final RedisCandleReader reader;
  private final LuaScript markFlushed = LuaScript.load("mark_flushed");
  private final LongSupplier clockMs;
  private final int ttlSeconds;

  public Flusher(Redis redis, CandleRepository repository, LongSupplier clockMs, int ttlSeconds) {
    this.redis = redis;
    this.repository = repository;
    this.reader = new RedisCandleReader(redis);
    this.clockMs = clockMs;
    this.ttlSeconds = ttlSeconds;
  }

  public Future<FlushResult> flushOnce(long fencingToken) {
    return read().compose(pending -> pending.isEmpty()
        ? Future.succeededFuture(FlushResult.NOTHING)
        : write(pending, fencingToken).compose(written -> mark(pending).map(marked ->
            new FlushResult(written, marked, pending.size() - closed(pending).size()))));
  }

  Future<List<PendingCandle>> read() {
    return reader.readUnflushed();
  }

  Future<Integer> write(List<PendingCandle> pending, long fencingToken) {
    return repository.upsert(pending.stream().map(PendingCandle::row).toList(), fencingToken);
  }

  /** Marks the closed candles among {@code pending}; returns how many were marked. */
  Future<Integer> mark(List<PendingCandle> pending) {
    List<PendingCandle> closed = closed(pending);
    String now = Long.toString(clockMs.getAsLong());
    List<Future<Integer>> batches = new ArrayList<>();
    for (int i = 0; i < closed.size(); i += MARK_PIPELINE) {
      List<Request> requests = closed.subList(i, Math.min(closed.size(), i + MARK_PIPELINE)).stream()
          .map(p -> markFlushed.request(List.of(p.key()), List.of(p.updatedAt(), now, Integer.toString(ttlSeconds))))
          .toList();
      batches.add(markFlushed.evalBatch(redis, requests).map(rs -> rs.stream().mapToInt(Response::toInteger).sum()));
    }
    return Future.all(batches).map(cf -> {
      int marked = 0;
      for (int i = 0; i < batches.size(); i++) marked += cf.<Integer>resultAt(i);
      return marked;
    });
  }

  private List<PendingCandle> closed(List<PendingCandle> pending) {
    long currentMinute = RedisKeys.minuteOf(clockMs.getAsLong());
    return pending.stream().filter(p -> p.row().time() < currentMinute).toList();
  }
}
