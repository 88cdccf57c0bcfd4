package oracle.storage;

import java.math.BigDecimal;

/**
 * The decimal text of a double for a {@code numeric} column: what {@link Double#toString} gives,
 * without its cost for the usual price or volume (JDK 17's conversion is a large part of planning a
 * big write). A value in {@code [0.001, 10^7)} with at most {@link #MAX_DECIMALS} decimals is
 * written from its scaled integer when that integer divided by the power of ten is exactly the
 * double (then it is the shortest decimal that reads back as it); anything else goes through {@code
 * Double.toString}.
 */
final class Decimals {
  private Decimals() {}

  static final int MAX_DECIMALS = 8;

  private static final double[] POW = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

  static String text(double d) {
    double a = Math.abs(d);
    if (a >= 1e-3 && a < 1e7) {
      for (int k = 0; k <= MAX_DECIMALS; k++) {
        long m = Math.round(a * POW[k]);
        if (m / POW[k] == a) return format(d < 0, m, k);
      }
    }
    return Double.toString(d);
  }

  /**
   * {@code new BigDecimal(text(d))} (same value and scale) without the text: the rollup planning
   * sums a volume per row.
   */
  static BigDecimal decimal(double d) {
    double a = Math.abs(d);
    if (a >= 1e-3 && a < 1e7) {
      for (int k = 0; k <= MAX_DECIMALS; k++) {
        long m = Math.round(a * POW[k]);
        if (m / POW[k] == a) {
          long signed = d < 0 ? -m : m;
          // text() writes a whole number with ".0": scale 1.
          return k == 0 ? BigDecimal.valueOf(signed * 10, 1) : BigDecimal.valueOf(signed, k);
        }
      }
    }
    return new BigDecimal(Double.toString(d));
  }

  /** {@code m / 10^k} in Double.toString's plain form: at least one digit after the point. */
  private static String format(boolean negative, long m, int k) {
    String digits = Long.toString(m);
    StringBuilder out = new StringBuilder(digits.length() + 4);
    if (negative) out.append('-');
    if (k == 0) return out.append(digits).append(".0").toString();
    if (digits.length() <= k) {
      out.append("0.");
      for (int i = digits.length(); i < k; i++) out.append('0');
      return out.append(digits).toString();
    }
    return out.append(digits, 0, digits.length() - k)
        .append('.')
        .append(digits, digits.length() - k, digits.length())
        .toString();
  }
}
