package oracle.aggregation;

import java.util.Arrays;

/**
 * No source holds more than {@code maxShare} of the VWAP weight ({@code ingestion.maxWeightShare}),
 * by iterative capping as capped indices do: every source above the cap is set to it and the excess
 * goes to the others in proportion to their weights, until none is above. The weights stay in their
 * unit (the quote currency): the uncapped ones keep theirs exactly, the capped ones are lowered to
 * {@code maxShare} of the new total. With fewer weighted sources than {@code 1 / maxShare} no
 * weighting can meet the cap: they then weigh equally (each at the smallest weight), the closest to
 * it.
 *
 * @param weights the weights to use, in the input's order
 * @param capped which ones were lowered
 * @param applied whether any was
 */
record WeightCap(double[] weights, boolean[] capped, boolean applied) {
  /**
   * Shares within this relative margin of the cap count as at the cap, so rounding can never cap
   * every source (with {@code n · maxShare ≥ 1}, the uncapped ones' mean share is at most the cap).
   */
  private static final double MARGIN = 1e-12;

  /**
   * @param weights all positive and finite (the VWAP's sources), or none positive (the median's:
   *     returned as they are)
   */
  static WeightCap of(double[] weights, double maxShare) {
    int n = weights.length;
    boolean[] capped = new boolean[n];
    if (maxShare >= 1 || !RobustStats.anyWeight(weights))
      return new WeightCap(weights, capped, false);
    if (n * maxShare < 1) return equal(weights);
    int k = 0;
    double free;
    boolean more;
    do {
      more = false;
      free = 0;
      for (int i = 0; i < n; i++) if (!capped[i]) free += weights[i];
      double freeShare = 1 - k * maxShare;
      for (int i = 0; i < n; i++) {
        if (!capped[i] && freeShare * weights[i] / free > maxShare * (1 + MARGIN)) {
          capped[i] = true;
          k++;
          more = true;
        }
      }
    } while (more);
    if (k == 0) return new WeightCap(weights, capped, false);
    // the uncapped keep their weights; together they are 1 − k·maxShare of the new total
    double total = free / (1 - k * maxShare);
    double[] out = Arrays.copyOf(weights, n);
    for (int i = 0; i < n; i++) if (capped[i]) out[i] = maxShare * total;
    return new WeightCap(out, capped, true);
  }

  /** Too few sources for the cap: each at the smallest weight, the larger ones marked capped. */
  private static WeightCap equal(double[] weights) {
    double smallest = Double.POSITIVE_INFINITY;
    for (double w : weights) smallest = Math.min(smallest, w);
    double[] out = new double[weights.length];
    boolean[] capped = new boolean[weights.length];
    boolean any = false;
    for (int i = 0; i < weights.length; i++) {
      out[i] = smallest;
      capped[i] = weights[i] > smallest;
      any |= capped[i];
    }
    return new WeightCap(out, capped, any);
  }
}
