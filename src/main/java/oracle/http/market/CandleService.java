package oracle.http.market;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import oracle.common.RedisKeys;
import oracle.storage.Resolution;

/**
 * Candles of any resolution up to the live one: stored history merged with the minutes still in
 * Redis.
 *
 * <p>Only the recent tail can be hot: the flush writes closed minutes within a minute and keeps the
 * Redis copy for an hour, so the last {@code hotMinutes} minutes of the range are read from Redis
 * (keys computed, one pipeline) and win over the stored rows of the same minute. For a higher
 * timeframe, a bucket overlapping that tail is rebuilt from its 1-minute candles (stored ones, the
 * hot ones winning), so a still-open 1h or 1d candle is live and nothing is counted twice, whatever
 * the rollup already holds. Older buckets come straight from the rollup table.
 *
 * <p>When Redis does not answer (within {@link #HOT_TIMEOUT_MS}, the {@link HotCandles} read's
 * timeout), the database's candles are served alone and the page is marked partial ({@link
 * CandlePage#REDIS_UNAVAILABLE}): history the database has stays available; only a database failure
 * fails the read.
 */
public final class CandleService {
  static final long HOT_TIMEOUT_MS = 500;
  private static volatile long lastWarnMs;
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(CandleService.class);

  private final CachedCandleStore store;
  private final HotCandles hot;
  private final int hotMinutes;
  private final LongSupplier clockMillis;

  public CandleService(
      CachedCandleStore store, HotCandles hot, int hotMinutes, LongSupplier clockMillis) {
    this.store = store;
    this.hot = hot;
    this.hotMinutes = hotMinutes;
    this.clockMillis = clockMillis;
  }

  public StoredCandleReader repository() {
    return store.repository();
  }

  /**
   * Candles with bucket start in {@code [bucketStart(from), to]}, ascending, at most {@code limit}:
   * the first ones with {@code nextFrom} set when more follow, or the last ones when {@code
   * fromEnd}.
   */
  public Future<CandlePage> read(
      String symbol, Resolution r, long from, long to, int limit, boolean fromEnd) {
    long first = r.bucketStart(from);
    long nowMinute = RedisKeys.minuteOf(clockMillis.getAsLong());
    long hotFrom = Math.max(nowMinute - (hotMinutes - 1) * 60L, first);
    long hotTo = Math.min(nowMinute, r.bucketStart(to) + r.seconds() - 60);
    Future<List<Bar>> stored = store.range(r, symbol, first, to, limit + 1, fromEnd);
    if (hotFrom > hotTo) return stored.map(bars -> page(bars, limit, fromEnd));

    boolean[] hotFailed = {false};
    Future<List<Bar>> live =
        hot.between(symbol, hotFrom, hotTo) // fails after HOT_TIMEOUT_MS without an answer
            .recover(
                err -> {
                  long now = System.currentTimeMillis();
                  if (now - lastWarnMs
                      > 10_000) { // once per 10 s, not once per request of an outage
                    lastWarnMs = now;
                    log.warn(
                        "hot candles unavailable, serving the database's alone (partial): {}",
                        err.toString());
                  }
                  hotFailed[0] = true;
                  return Future.succeededFuture(List.of());
                });
    Future<List<Bar>> overlay =
        r == Resolution.M1 ? live : openBuckets(symbol, r, hotFrom, hotTo, live);
    return Future.all(stored, overlay)
        .map(
            done -> {
              CandlePage page = page(overlay(stored.result(), overlay.result()), limit, fromEnd);
              return hotFailed[0] ? page.partial(CandlePage.REDIS_UNAVAILABLE) : page;
            });
  }

  /**
   * The buckets overlapping the hot tail, each folded from its minutes (stored ones through the
   * cache, the hot ones winning). Both reads run at once.
   */
  private Future<List<Bar>> openBuckets(
      String symbol, Resolution r, long hotFrom, long hotTo, Future<List<Bar>> live) {
    long openFrom = r.bucketStart(hotFrom);
    long openTo = r.bucketStart(hotTo) + r.seconds();
    Future<List<Bar>> stored =
        store.range(
            Resolution.M1, symbol, openFrom, openTo - 60, (int) ((openTo - openFrom) / 60), false);
    return Future.all(stored, live).map(done -> fold(r, stored.result(), live.result()));
  }

  /**
   * The buckets of ascending minutes {@code stored} overlaid by {@code hot} (a hot minute wins over
   * the stored one of the same time), folded as the two are walked: no merged list is built.
   */
  static List<Bar> fold(Resolution r, List<Bar> stored, List<Bar> hot) {
    List<Bar> buckets = new ArrayList<>(2);
    Fold fold = new Fold();
    int i = 0;
    int j = 0;
    int n = stored.size();
    int h = hot.size();
    while (i < n || j < h) {
      Bar m;
      if (j == h) m = stored.get(i++);
      else {
        Bar w = hot.get(j);
        long st = i < n ? stored.get(i).time() : Long.MAX_VALUE;
        if (st < w.time()) m = stored.get(i++);
        else {
          if (st == w.time()) i++;
          j++;
          m = w;
        }
      }
      long bucket = r.bucketStart(m.time());
      if (fold.count > 0 && fold.bucket != bucket) buckets.add(fold.bar());
      fold.add(bucket, m);
    }
    if (fold.count > 0) buckets.add(fold.bar());
    return buckets;
  }

  /**
   * Folds ascending minutes of one bucket without a new object per minute (a 1d bucket has 1,440).
   */
  private static final class Fold {
    long bucket;
    int count;
    double open, high, low, close, volume;

    void add(long bucketStart, Bar m) {
      if (count == 0 || bucket != bucketStart) {
        bucket = bucketStart;
        count = 0;
        open = m.open();
        high = m.high();
        low = m.low();
        volume = 0;
      }
      high = Math.max(high, m.high());
      low = Math.min(low, m.low());
      close = m.close();
      volume += m.volume();
      count++;
    }

    Bar bar() {
      return new Bar(bucket, open, high, low, close, volume);
    }
  }

  /**
   * Two ascending lists merged into one; where both have a time, {@code winners}' candle is kept.
   * The runs of {@code base} between winners are kept as runs (a cached block's stay packed).
   */
  static List<Bar> overlay(List<Bar> base, List<Bar> winners) {
    if (winners.isEmpty()) return base;
    Candles.Builder out = new Candles.Builder();
    int n = base.size();
    int runStart = 0;
    for (Bar w : winners) {
      int i = atOrAfter(base, runStart, n, w.time()); // few winners: found, not walked to
      out.addRange(base, runStart, i);
      if (i < n && Candles.time(base, i) == w.time()) i++;
      out.add(w);
      runStart = i;
    }
    return out.addRange(base, runStart, n).build();
  }

  /** The first index in [lo, hi) of ascending {@code bars} whose time is at least {@code t}. */
  static int atOrAfter(List<Bar> bars, int lo, int hi, long t) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Candles.time(bars, mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  static CandlePage page(List<Bar> ascending, int limit, boolean fromEnd) {
    if (ascending.size() <= limit) return new CandlePage(ascending, null);
    if (fromEnd)
      return new CandlePage(ascending.subList(ascending.size() - limit, ascending.size()), null);
    return new CandlePage(ascending.subList(0, limit), ascending.get(limit).time());
  }
}
