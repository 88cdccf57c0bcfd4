package oracle.http.market;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import oracle.common.CandleHash;
import oracle.common.RedisKeys;

/**
 * Reads the 1-minute candles still in Redis ({@code oracle:candle:{symbol}:{minute}}). The keys are
 * computed, not scanned: the caller asks for a span of minutes (the recent tail the flush may not
 * have written yet) and gets the candles that exist, in one pipelined round trip.
 */
public final class HotCandles {
  private final Redis redis;

  public HotCandles(Redis redis) {
    this.redis = redis;
  }

  /** The hot 1-minute candles with {@code fromMinute <= time <= toMinute}, ascending. */
  public Future<List<Bar>> between(String symbol, long fromMinute, long toMinute) {
    if (fromMinute > toMinute) return Future.succeededFuture(List.of());
    List<Request> requests = new ArrayList<>();
    for (long m = fromMinute; m <= toMinute; m += 60) {
      Request hmget = Request.cmd(Command.HMGET).arg(RedisKeys.candle(symbol, m));
      CandleHash.PRICE_FIELDS.forEach(hmget::arg);
      requests.add(hmget);
    }
    return redis
        .batch(requests)
        .map(
            replies -> {
              List<Bar> bars = new ArrayList<>();
              long m = fromMinute;
              for (Response r : replies) {
                Bar bar = parse(m, r);
                if (bar != null) bars.add(bar);
                m += 60;
              }
              return bars;
            });
  }

  /**
   * A hash missing its prices (absent key, or one being written by hand) is skipped, never served
   * as zeros.
   */
  private static Bar parse(long minute, Response r) {
    if (r == null || r.size() < CandleHash.PRICE_FIELDS.size()) return null;
    CandleHash.Prices p =
        CandleHash.prices(
            text(r.get(0)), text(r.get(1)), text(r.get(2)), text(r.get(3)), text(r.get(4)));
    return p == null ? null : new Bar(minute, p.open(), p.high(), p.low(), p.close(), p.volume());
  }

  private static String text(Response r) {
    return r == null ? null : r.toString();
  }
}
