package oracle.http.market;

/**
 * One OHLCV candle as the API returns it.
 *
 * @param time bucket start, Unix seconds
 * @param trades a 1-minute candle's trade count, -1 when unknown (answered as null)
 * @param origin a 1-minute candle's origin, {@code repaired} or {@code backfill}; null is live (a
 *     {@code live} given is kept as null, so equal candles are equal bars). Rollup buckets have
 *     neither; whether {@code trades} and {@code origin} are answered depends on the resolution (1m
 *     only), not on the bar.
 */
public record Bar(
    long time,
    double open,
    double high,
    double low,
    double close,
    double volume,
    long trades,
    String origin) {

  /** A bar without a trade count, live (rollup buckets, tests). */
  public Bar(long time, double open, double high, double low, double close, double volume) {
    this(time, open, high, low, close, volume, -1, null);
  }

  public Bar {
    if (trades < 0) trades = -1;
    if ("live".equals(origin)) origin = null;
  }

  /** This bar followed by a later one in the same bucket: open of the first, close of the last. */
  public Bar then(Bar later) {
    return new Bar(
        time,
        open,
        Math.max(high, later.high),
        Math.min(low, later.low),
        later.close,
        volume + later.volume);
  }

  public Bar at(long bucket) {
    return bucket == time ? this : new Bar(bucket, open, high, low, close, volume);
  }
}
