package oracle.backfill;

import oracle.exchange.Kline;
import oracle.storage.CandleRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Combines one minute's klines from several exchanges into one candle, the way live prices are
 * combined: sources whose close is an IQR outlier (beyond 1.5 × IQR, with at least four sources) are
 * dropped; open, high, low and close are the medians of the remaining sources (high/low widened to
 * contain open and close); volume is the sum of their volumes (volume traded in that minute).
 *
 * <p>Note for the merge: if the ingestion side's {@code oracle.aggregation.Aggregator} exposes the same
 * rules, this class can delegate to it.
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
    double open = median(kept.stream().mapToDouble(Kline::open).toArray());
    double close = median(kept.stream().mapToDouble(Kline::close).toArray());
    double high = Math.max(median(kept.stream().mapToDouble(Kline::high).toArray()), Math.max(open, close));
    double low = Math.min(median(kept.stream().mapToDouble(Kline::low).toArray()), Math.min(open, close));
    double volume = kept.stream().mapToDouble(k -> Double.isFinite(k.volume()) && k.volume() > 0 ? k.volume() : 0).sum();
    return new CandleRow(symbol, minute, open, high, low, close, volume, null, kept.stream().map(Kline::exchange).distinct().toList());
  }

  static List<Kline> withoutOutliers(List<Kline> klines) {
    if (klines.size() < 4) return klines;
    double[] closes = klines.stream().mapToDouble(Kline::close).sorted().toArray();
    double q1 = quantile(closes, 0.25);
    double q3 = quantile(closes, 0.75);
    double fence = 1.5 * (q3 - q1);
    List<Kline> kept = new ArrayList<>();
    for (Kline k : klines) {
      if (k.close() >= q1 - fence && k.close() <= q3 + fence) kept.add(k);
    }
    return kept.isEmpty() ? klines : kept;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** Linear interpolation between closest ranks, on sorted input. */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  private static boolean positive(double d) {
    return Double.isFinite(d) && d > 0;
  }
}
