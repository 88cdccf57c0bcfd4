package oracle.backfill;

import oracle.exchange.Kline;
import oracle.storage.CandleRow;

import oracle.aggregation.RobustStats;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Combines one minute's klines from several exchanges into one candle with the live price rules
 * ({@link RobustStats}): sources whose close lies outside the IQR fence are dropped (with at least
 * three sources); open, high, low and close are each the volume-weighted mean over the remaining
 * sources (weight = the minute's quote volume), or their median when no source reports volume;
 * high/low are widened to contain open and close; volume is the sum (volume traded in that minute).
 * Klines are taken to be in the symbol's quote currency.
 */
public final class KlineCombiner {
  private KlineCombiner() {}

  /** Null when no kline is usable. */
  public static CandleRow combine(String symbol, long minute, List<Kline> klines) {
    List<Kline> usable = klines.stream()
        .filter(k -> k.time() == minute && positive(k.open()) && positive(k.high()) && positive(k.low()) && positive(k.close()))
        .sorted(Comparator.comparing(Kline::exchange))
        .toList();
    if (usable.isEmpty()) return null;
    List<Kline> kept = withoutOutliers(usable);
    double[] weights = kept.stream().mapToDouble(k -> volume(k) * k.close()).toArray();
    double open = field(kept, Kline::open, weights);
    double close = field(kept, Kline::close, weights);
    double high = Math.max(field(kept, Kline::high, weights), Math.max(open, close));
    double low = Math.min(field(kept, Kline::low, weights), Math.min(open, close));
    double volume = kept.stream().mapToDouble(KlineCombiner::volume).sum();
    return new CandleRow(symbol, minute, open, high, low, close, volume, null, kept.stream().map(Kline::exchange).distinct().toList());
  }

  static List<Kline> withoutOutliers(List<Kline> klines) {
    if (klines.size() < RobustStats.MIN_SOURCES_FOR_OUTLIERS) return klines;
    RobustStats.Fence fence = RobustStats.outlierFence(klines.stream().mapToDouble(Kline::close).sorted().toArray(),
        RobustStats.DEFAULT_MIN_BAND);
    List<Kline> kept = klines.stream().filter(k -> fence.contains(k.close())).toList();
    return kept.isEmpty() ? klines : kept;
  }

  private static double field(List<Kline> klines, ToDoubleFunction<Kline> f, double[] weights) {
    return RobustStats.weightedMeanOrMedian(klines.stream().mapToDouble(f).toArray(), weights);
  }

  private static double volume(Kline k) {
    return Double.isFinite(k.volume()) && k.volume() > 0 ? k.volume() : 0;
  }

  private static boolean positive(double d) {
    return Double.isFinite(d) && d > 0;
  }
}
