package oracle.hotstore;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import oracle.common.LuaScript;

/**
 * Marks written candles as persisted ({@code lua/mark_flushed.lua}): {@code flushed_at} and a TTL,
 * and out of the dirty set, each only if it did not change since the flush read it.
 */
public final class FlushMarks {
  /** Keys per mark_flushed.lua call (about a millisecond of Redis time). */
  static final int KEYS_PER_MARK = 500;

  private final Redis redis;
  private final LuaScript markFlushed = LuaScript.load("mark_flushed");

  public FlushMarks(Redis redis) {
    this.redis = redis;
  }

  /**
   * Marks {@code closed} (all script calls sent at once); returns how many were marked.
   *
   * @param ttlSeconds how long a marked candle stays in Redis
   */
  public Future<Integer> mark(List<PendingCandle> closed, long nowMs, int ttlSeconds) {
    String now = Long.toString(nowMs);
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
}
