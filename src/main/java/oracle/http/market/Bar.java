package oracle.http.market;

/**
 * One OHLCV candle as the API returns it.
 *
 * @param time bucket start, Unix seconds
 */
public record Bar(long time, double open, double high, double low, double close, double volume) {

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
