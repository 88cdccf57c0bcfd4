package oracle.http.market;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import oracle.common.RedisKeys;
import oracle.hotstore.HotReads;
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
    Future<HotReads.Tail<Bar>> live =
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
                  return Future.succeededFuture(HotReads.Tail.empty());
                });
    Future<List<Bar>> overlay =
        r == Resolution.M1
            ? Future.all(stored, live).map(done -> winners(stored.result(), live.result()))
            : openBuckets(symbol, r, hotFrom, hotTo, live);
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
      String symbol, Resolution r, long hotFrom, long hotTo, Future<HotReads.Tail<Bar>> live) {
    long openFrom = r.bucketStart(hotFrom);
    long openTo = r.bucketStart(hotTo) + r.seconds();
    Future<List<Bar>> stored =
        store.range(
            Resolution.M1, symbol, openFrom, openTo - 60, (int) ((openTo - openFrom) / 60), false);
    return Future.all(stored, live)
        .map(done -> fold(r, stored.result(), winners(stored.result(), live.result())));
  }

  /**
   * The hot minutes that win over {@code stored} (ascending): every live one, and a flushed one
   * only where the database's row is not in {@code stored} yet (read just before the flush wrote
   * it). A flushed minute the database holds is answered from the database: it holds the minute
   * merged with what it had, which after Redis lost part of the minute is more than the hash.
   */
  static List<Bar> winners(List<Bar> stored, HotReads.Tail<Bar> tail) {
    List<Bar> flushed = tail.flushed();
    if (flushed.isEmpty()) return tail.live();
    List<Bar> live = tail.live();
    List<Bar> out = new ArrayList<>(live.size() + flushed.size());
    int n = stored.size();
    int at = 0; // stored is searched from where the previous flushed minute was found
    int l = 0;
    for (Bar f : flushed) {
      at = atOrAfter(stored, at, n, f.time());
      if (at < n && Candles.time(stored, at) == f.time()) continue; // the stored row wins
      while (l < live.size() && live.get(l).time() < f.time()) out.add(live.get(l++));
      out.add(f);
    }
    while (l < live.size()) out.add(live.get(l++));
    return out;
  }

  /**
   * The buckets of ascending minutes {@code stored} overlaid by {@code hot} (a hot minute wins over
   * the stored one of the same time), folded as the two are walked: no merged list is built, and a
   * packed run of stored minutes is read from its arrays.
   */
  static List<Bar> fold(Resolution r, List<Bar> stored, List<Bar> hot) {
    Fold fold = new Fold(r, hot);
    if (stored instanceof Candles c) {
      for (int k = 0; k < c.pieces(); k++) {
        CandleBlock block = c.block(k);
        if (block == null) {
          List<Bar> bars = c.bars(k);
          for (int i = c.from(k); i < c.to(k); i++) fold.stored(bars.get(i));
          continue;
        }
        double[] v = block.values;
        for (int i = c.from(k); i < c.to(k); i++) {
          int x = i * 5;
          fold.stored(block.times[i], v[x], v[x + 1], v[x + 2], v[x + 3], v[x + 4]);
        }
      }
    } else {
      for (Bar m : stored) fold.stored(m);
    }
    return fold.finish();
  }

  /**
   * Folds ascending minutes into buckets without an object per minute (a 1d bucket has 1,440), the
   * hot minutes merged in as the stored ones pass.
   */
  private static final class Fold {
    private final Resolution r;
    private final List<Bar> hot;
    private int nextHot;
    private final List<Bar> buckets = new ArrayList<>(2);
    private long bucket;
    private int count;
    private double open, high, low, close, volume;

    Fold(Resolution r, List<Bar> hot) {
      this.r = r;
      this.hot = hot;
    }

    void stored(Bar m) {
      stored(m.time(), m.open(), m.high(), m.low(), m.close(), m.volume());
    }

    /** A stored minute: the hot ones before it first; a hot one of the same time replaces it. */
    void stored(long t, double o, double h, double l, double c, double v) {
      while (nextHot < hot.size() && hot.get(nextHot).time() < t) add(hot.get(nextHot++));
      if (nextHot < hot.size() && hot.get(nextHot).time() == t) add(hot.get(nextHot++));
      else add(t, o, h, l, c, v);
    }

    List<Bar> finish() {
      while (nextHot < hot.size()) add(hot.get(nextHot++));
      if (count > 0) buckets.add(new Bar(bucket, open, high, low, close, volume));
      return buckets;
    }

    private void add(Bar m) {
      add(m.time(), m.open(), m.high(), m.low(), m.close(), m.volume());
    }

    private void add(long t, double o, double h, double l, double c, double v) {
      long b = r.bucketStart(t);
      if (count > 0 && bucket != b) buckets.add(new Bar(bucket, open, high, low, close, volume));
      if (count == 0 || bucket != b) {
        bucket = b;
        count = 0;
        open = o;
        high = h;
        low = l;
        volume = 0;
      }
      high = Math.max(high, h);
      low = Math.min(low, l);
      close = c;
      volume += v;
      count++;
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
