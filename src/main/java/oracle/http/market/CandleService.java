package oracle.http.market;

import io.vertx.core.Future;
import oracle.common.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Candles of any resolution up to the live one: stored history merged with the minutes still in
 * Redis.
 *
 * <p>Only the recent tail can be hot: the flush writes closed minutes within a minute and keeps the
 * Redis copy for an hour, so the last {@code hotMinutes} minutes of the range are read from Redis
 * (keys computed, one pipeline) and win over the stored rows of the same minute. For a higher
 * timeframe, a bucket overlapping that tail is rebuilt from its minutes (stored ones, the hot ones
 * winning), so a still-open 1h or 1d candle is live and nothing is counted twice, whatever the
 * rollup already holds. Older buckets come straight from the rollup table.
 */
public final class CandleService {
  private final CandleRepository repository;
  private final HotCandles hot;
  private final int hotMinutes;
  private final LongSupplier clockMillis;

  public CandleService(CandleRepository repository, HotCandles hot, int hotMinutes, LongSupplier clockMillis) {
    this.repository = repository;
    this.hot = hot;
    this.hotMinutes = hotMinutes;
    this.clockMillis = clockMillis;
  }

  public CandleRepository repository() {
    return repository;
  }

  /**
   * Candles with bucket start in {@code [bucketStart(from), to]}, ascending, at most {@code limit}:
   * the first ones with {@code nextFrom} set when more follow, or the last ones when {@code fromEnd}.
   */
  public Future<CandlePage> read(String symbol, Resolution r, long from, long to, int limit, boolean fromEnd) {
    long first = r.bucketStart(from);
    long nowMinute = RedisKeys.minuteOf(clockMillis.getAsLong());
    long hotFrom = Math.max(nowMinute - (hotMinutes - 1) * 60L, first);
    long hotTo = Math.min(nowMinute, r.bucketStart(to) + r.seconds() - 60);
    Future<List<Bar>> stored = repository.range(r, symbol, first, to, limit + 1, fromEnd);
    if (hotFrom > hotTo) return stored.map(bars -> page(bars, limit, fromEnd));

    Future<List<Bar>> live = hot.between(symbol, hotFrom, hotTo);
    Future<List<Bar>> overlay = r == Resolution.M1 ? live : openBuckets(symbol, r, hotFrom, hotTo, live);
    return Future.all(stored, overlay).map(done -> {
      TreeMap<Long, Bar> merged = new TreeMap<>();
      for (Bar b : stored.result()) merged.put(b.time(), b);
      for (Bar b : overlay.result()) merged.put(b.time(), b);
      return page(new ArrayList<>(merged.values()), limit, fromEnd);
    });
  }

  /**
   * The buckets overlapping the hot tail, each rebuilt from its minutes: those before the tail
   * aggregated by the database, those in the tail one by one with the hot ones winning. The three
   * reads run at once.
   */
  private Future<List<Bar>> openBuckets(String symbol, Resolution r, long hotFrom, long hotTo, Future<List<Bar>> live) {
    long openFrom = r.bucketStart(hotFrom);
    long openTo = r.bucketStart(hotTo) + r.seconds();
    Future<List<CandleRepository.MinuteSpan>> head = openFrom < hotFrom
        ? repository.minuteSpans(r, symbol, openFrom, hotFrom)
        : Future.succeededFuture(List.of());
    int tailMinutes = (int) ((openTo - hotFrom) / 60);
    Future<List<Bar>> storedTail = repository.range(Resolution.M1, symbol, hotFrom, openTo - 60, tailMinutes, false);
    return Future.all(head, storedTail, live).map(done -> {
      TreeMap<Long, Bar> minutes = new TreeMap<>();
      for (Bar m : storedTail.result()) minutes.put(m.time(), m);
      for (Bar m : live.result()) minutes.put(m.time(), m);
      TreeMap<Long, Piece> buckets = new TreeMap<>();
      for (CandleRepository.MinuteSpan s : head.result()) {
        buckets.merge(s.bar().time(), new Piece(s.bar(), s.firstMinute(), s.lastMinute()), Piece::combine);
      }
      for (Bar m : minutes.values()) {
        long bucket = r.bucketStart(m.time());
        buckets.merge(bucket, new Piece(m.at(bucket), m.time(), m.time()), Piece::combine);
      }
      return buckets.values().stream().map(Piece::bar).toList();
    });
  }

  static CandlePage page(List<Bar> ascending, int limit, boolean fromEnd) {
    if (ascending.size() <= limit) return new CandlePage(ascending, null);
    if (fromEnd) return new CandlePage(ascending.subList(ascending.size() - limit, ascending.size()), null);
    return new CandlePage(ascending.subList(0, limit), ascending.get(limit).time());
  }

  /** Part of one bucket: its aggregate and the first and last minute it covers (pieces never overlap). */
  record Piece(Bar bar, long firstMinute, long lastMinute) {
    static Piece combine(Piece a, Piece b) {
      Piece early = a.firstMinute <= b.firstMinute ? a : b;
      Piece late = a.lastMinute >= b.lastMinute ? a : b;
      Bar x = a.bar, y = b.bar;
      Bar bar = new Bar(x.time(), early.bar.open(), Math.max(x.high(), y.high()), Math.min(x.low(), y.low()),
          late.bar.close(), x.volume() + y.volume());
      return new Piece(bar, early.firstMinute, late.lastMinute);
    }
  }
}
