package oracle.http.market;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import oracle.common.LuaScript;
import oracle.hotstore.CandleHash;
import oracle.hotstore.CandleKeys;

/**
 * Reads the 1-minute candles still in Redis ({@code oracle:candle:{symbol}:{minute}}). The keys are
 * computed, not scanned: the caller asks for a span of minutes (the recent tail the flush may not
 * have written yet) and gets the candles that exist, in one round trip: one script ({@code
 * lua/read_hot_candles.lua}) that returns only the candles present, not an HMGET per minute.
 *
 * <p>Requests of one event loop asking for the same span while a read of it is on the wire share
 * that read (a crowd of charts on one symbol costs one read per round trip, not one each); the
 * answer is as fresh as a read sent just before the request arrived. Every read fails after {@code
 * timeoutMs} if Redis has not answered: one timer per read, not per request.
 */
public final class HotCandles {
  private static final LuaScript SCRIPT = LuaScript.load("read_hot_candles");

  private final Redis redis;
  private final long timeoutMs;

  /** The context whose reads are shared (the first to ask); reads from others are not. */
  private Context owner;

  private final Map<Span, Future<List<Bar>>> inFlight = new HashMap<>();

  public HotCandles(Redis redis, long timeoutMs) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
  }

  private record Span(String symbol, long fromMinute, long toMinute) {}

  /**
   * The hot 1-minute candles with {@code fromMinute <= time <= toMinute}, ascending; a failed
   * future when Redis fails or does not answer within the timeout.
   */
  public Future<List<Bar>> between(String symbol, long fromMinute, long toMinute) {
    if (fromMinute > toMinute) return Future.succeededFuture(List.of());
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) return read(symbol, fromMinute, toMinute);
    if (owner == null) owner = context;
    if (context != owner) return read(symbol, fromMinute, toMinute);
    Span span = new Span(symbol, fromMinute, toMinute);
    Future<List<Bar>> shared = inFlight.get(span);
    if (shared != null) return shared;
    Future<List<Bar>> read = read(symbol, fromMinute, toMinute);
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

  private Future<List<Bar>> read(String symbol, long fromMinute, long toMinute) {
    List<String> keys = new ArrayList<>((int) ((toMinute - fromMinute) / 60) + 1);
    for (long m = fromMinute; m <= toMinute; m += 60) keys.add(CandleKeys.candle(symbol, m));
    Request request = SCRIPT.request(keys, List.of());
    return SCRIPT
        .eval(redis, request)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(reply -> parse(reply, fromMinute));
  }

  /**
   * Pairs of (1-based minute index, "open|high|low|close|volume"). A candle whose prices do not
   * parse is skipped, never served as zeros; a missing volume is 0.
   */
  static List<Bar> parse(Response reply, long fromMinute) {
    if (reply == null || reply.size() == 0) return List.of();
    List<Bar> bars = new ArrayList<>(reply.size() / 2);
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      Bar bar = bar(fromMinute + (reply.get(i).toLong() - 1) * 60, reply.get(i + 1).toString());
      if (bar != null) bars.add(bar);
    }
    return bars;
  }

  /**
   * "open|high|low|close" plus "|volume" when the hash has one, read by {@link CandleHash#prices}
   * (the rule for every reader of the hash: a missing or unreadable price skips the candle, no
   * volume is 0). Any other number of values (a '|' inside a value) is not what the script wrote:
   * skipped.
   */
  static Bar bar(long minute, String fields) {
    String[] v = new String[5];
    int count = 0;
    int start = 0;
    while (true) {
      int end = fields.indexOf('|', start);
      if (count == 5) return null;
      v[count++] = fields.substring(start, end < 0 ? fields.length() : end);
      if (end < 0) break;
      start = end + 1;
    }
    if (count < 4) return null;
    CandleHash.Prices p = CandleHash.prices(v[0], v[1], v[2], v[3], v[4]);
    return p == null ? null : new Bar(minute, p.open(), p.high(), p.low(), p.close(), p.volume());
  }
}
