package oracle.http.market;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.HashMap;
import java.util.Map;
import oracle.hotstore.HotReads;

/**
 * Reads the 1-minute candles still in Redis ({@code oracle:candle:{symbol}:{minute}}). The keys are
 * computed, not scanned: the caller asks for a span of minutes (the recent tail the flush may not
 * have written yet) and gets the candles that exist, in one round trip ({@link HotReads}).
 *
 * <p>Requests of one event loop asking for the same span while a read of it is on the wire share
 * that read (a crowd of charts on one symbol costs one read per round trip, not one each); the
 * answer is as fresh as a read sent just before the request arrived. Every read fails after {@code
 * timeoutMs} if Redis has not answered: one timer per read, not per request.
 */
public final class HotCandles {
  private final Redis redis;
  private final long timeoutMs;

  /** The context whose reads are shared (the first to ask); reads from others are not. */
  private Context owner;

  private final Map<Span, Future<HotReads.Tail<Bar>>> inFlight = new HashMap<>();

  public HotCandles(Redis redis, long timeoutMs) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
  }

  private record Span(String symbol, long fromMinute, long toMinute) {}

  /**
   * The hot 1-minute candles with {@code fromMinute <= time <= toMinute}, ascending, live and
   * flushed apart ({@link HotReads.Tail}); a failed future when Redis fails or does not answer
   * within the timeout.
   */
  public Future<HotReads.Tail<Bar>> between(String symbol, long fromMinute, long toMinute) {
    if (fromMinute > toMinute) return Future.succeededFuture(HotReads.Tail.empty());
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) return read(symbol, fromMinute, toMinute);
    if (owner == null) owner = context;
    if (context != owner) return read(symbol, fromMinute, toMinute);
    Span span = new Span(symbol, fromMinute, toMinute);
    Future<HotReads.Tail<Bar>> shared = inFlight.get(span);
    if (shared != null) return shared;
    Future<HotReads.Tail<Bar>> read = read(symbol, fromMinute, toMinute);
    if (read.isComplete()) return read;
    inFlight.put(span, read);
    read.onComplete(
        ar -> {
          // The map is the owner's alone (its reads complete on it; anything else hops back).
          if (Vertx.currentContext() == owner) inFlight.remove(span, read);
          else owner.runOnContext(v -> inFlight.remove(span, read));
        });
    return read;
  }

  private Future<HotReads.Tail<Bar>> read(String symbol, long fromMinute, long toMinute) {
    return HotReads.between(redis, symbol, fromMinute, toMinute, timeoutMs, Bar::new);
  }
}
