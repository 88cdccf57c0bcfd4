package oracle.aggregation;

import java.util.Arrays;

/**
 * The statistics behind every price the oracle publishes, live or backfilled: type-7 quantiles, the
 * IQR outlier fence, and the volume-weighted mean with its median fallback. One place, so live
 * aggregation and backfill cannot drift apart.
 */
public final class RobustStats {
  /** Fewer sources than this are not filtered: with two, neither can be called the outlier. */
  public static final int MIN_SOURCES_FOR_OUTLIERS = 3;

  /**
   * Default narrowest IQR fence, as a fraction of the median ({@code ingestion.outlierMinBand}).
   */
  public static final double DEFAULT_MIN_BAND = 0.0005;

  private RobustStats() {}

  /** Accepted range {@code [low, high]} of an outlier filter. */
  public record Fence(double low, double high) {
    public boolean contains(double x) {
      return x >= low && x <= high;
    }
  }

  /** Linear-interpolated quantile of sorted values (the common "type 7" definition). */
  public static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return quantile(sorted, 0.5);
  }

  /**
   * The outlier fence for three or more sorted values: the IQR fence from four values on; for
   * exactly three, median ± 3 scaled MADs ({@link #madFence}), because an IQR fence always contains
   * all of three values (its upper fence (b+c)/2 + 0.75(c−a) is never below c), so one bad source
   * of three would pass. Both are widened to at least ±{@code minBand} × median.
   */
  public static Fence outlierFence(double[] sorted, double minBand) {
    return sorted.length >= 4 ? iqrFence(sorted, minBand) : madFence(sorted, minBand);
  }

  /** Median ± 3 · 1.4826 · MAD (the Hampel filter), at least ±{@code minBand} × median wide. */
  public static Fence madFence(double[] sorted, double minBand) {
    double median = quantile(sorted, 0.5);
    double[] deviations = Arrays.stream(sorted).map(x -> Math.abs(x - median)).sorted().toArray();
    double half = Math.max(3 * 1.4826 * quantile(deviations, 0.5), minBand * median);
    return new Fence(median - half, median + half);
  }

  /**
   * Q1 − 1.5·IQR .. Q3 + 1.5·IQR, widened to at least ±{@code minBand} × median so that identical
   * prices (IQR 0) do not turn a one-tick difference into an outlier.
   */
  public static Fence iqrFence(double[] sorted, double minBand) {
    double q1 = quantile(sorted, 0.25);
    double q3 = quantile(sorted, 0.75);
    double median = quantile(sorted, 0.5);
    double iqr = q3 - q1;
    double floor = minBand * median;
    return new Fence(
        Math.min(q1 - 1.5 * iqr, median - floor), Math.max(q3 + 1.5 * iqr, median + floor));
  }

  /** Σ(value·weight)/Σweight, or the median of the values when no weight is positive. */
  public static double weightedMeanOrMedian(double[] values, double[] weights) {
    double weightSum = 0;
    double weighted = 0;
    for (int i = 0; i < values.length; i++) {
      if (weights[i] > 0 && Double.isFinite(weights[i])) {
        weightSum += weights[i];
        weighted += values[i] * weights[i];
      }
    }
    return weightSum > 0 ? weighted / weightSum : median(values);
  }

  /**
   * Whether every value is the same number (then any mean of them is that number, without float
   * noise).
   */
  public static boolean allEqual(double[] values) {
    for (double v : values) {
      if (v != values[0]) return false;
    }
    return values.length > 0;
  }

  /**
   * Weighted quantile: values sorted, each placed at the middle of its weight's share of the total
   * ((cumulative − w/2) / total), linear between neighbours, clamped at the ends. Equal weights
   * when no weight is positive. One value: that value.
   */
  public static double weightedQuantile(double[] values, double[] weights, double q) {
    int n = values.length;
    int[] order = ascendingOrder(values);
    boolean anyWeight = anyWeight(weights);
    double[] w = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      double x = weights[order[i]];
      w[i] = anyWeight ? (x > 0 && Double.isFinite(x) ? x : 0) : 1;
      total += w[i];
    }
    double cumulative = 0;
    double prevPos = Double.NaN;
    double prevVal = Double.NaN;
    for (int i = 0; i < n; i++) {
      if (w[i] == 0) continue;
      double pos = (cumulative + w[i] / 2) / total;
      cumulative += w[i];
      double v = values[order[i]];
      if (q <= pos) {
        if (Double.isNaN(prevPos)) return v;
        return prevVal + (v - prevVal) * (q - prevPos) / (pos - prevPos);
      }
      prevPos = pos;
      prevVal = v;
    }
    return prevVal;
  }

  /** Whether any weight is positive and finite. */
  public static boolean anyWeight(double[] weights) {
    for (double w : weights) {
      if (w > 0 && Double.isFinite(w)) return true;
    }
    return false;
  }

  /**
   * Indices of {@code values} in ascending order ({@link Double#compare}), equal values in index
   * order: a stable insertion sort of primitives (a handful of sources per symbol), the same order
   * as a stable sort of boxed indices.
   */
  static int[] ascendingOrder(double[] values) {
    int n = values.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      int j = i;
      while (j > 0 && Double.compare(values[order[j - 1]], values[i]) > 0) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
    return order;
  }

  /**
   * Coefficient of variation (population standard deviation / mean); 0 for fewer than two values.
   */
  public static double dispersion(double[] values) {
    if (values.length < 2) return 0;
    double mean = Arrays.stream(values).average().orElse(0);
    double var = Arrays.stream(values).map(p -> (p - mean) * (p - mean)).sum() / values.length;
    return mean > 0 ? Math.sqrt(var) / mean : 0;
  }
}
