package oracle.http.market;

/**
 * UDF {@code pricescale} (10^decimals) from a symbol's price: enough decimals for 5 significant
 * digits and at least 2 (BTC at 100,000 → 100; a coin at 0.00001234 → 10^9), at most 12. A symbol
 * without a usable price yet keeps 8 decimals (the scale every symbol had before).
 */
final class PriceScale {
  static final int MIN_DECIMALS = 2;
  static final int MAX_DECIMALS = 12;
  static final int DEFAULT_DECIMALS = 8;
  static final int SIGNIFICANT_DIGITS = 5;

  private PriceScale() {}

  static int decimals(double price) {
    if (!Double.isFinite(price) || price <= 0) return DEFAULT_DECIMALS;
    // Digits before the first significant one: floor(log10) is 5 for 100,000 and -5 for 0.0000123.
    int magnitude = (int) Math.floor(Math.log10(price));
    int decimals = SIGNIFICANT_DIGITS - 1 - magnitude;
    return Math.max(MIN_DECIMALS, Math.min(MAX_DECIMALS, decimals));
  }

  static long of(double price) {
    long scale = 1;
    for (int i = decimals(price); i > 0; i--) scale *= 10;
    return scale;
  }
}
