package oracle.exchange;

/**
 * One 1-minute kline from one exchange; {@code time} is the minute's start in Unix seconds. {@code
 * quoteCurrency} is the currency its prices are in (KRW for Upbit's KRW markets); null when the
 * source does not say, then it is taken to be the symbol's quote. {@code trades} is the minute's
 * number of trades when the exchange reports it (Binance, Kraken), else -1.
 */
public record Kline(
    String exchange,
    String symbol,
    long time,
    double open,
    double high,
    double low,
    double close,
    double volume,
    String quoteCurrency,
    long trades) {

  public Kline(
      String exchange,
      String symbol,
      long time,
      double open,
      double high,
      double low,
      double close,
      double volume,
      String quoteCurrency) {
    this(exchange, symbol, time, open, high, low, close, volume, quoteCurrency, -1);
  }

  public Kline(
      String exchange,
      String symbol,
      long time,
      double open,
      double high,
      double low,
      double close,
      double volume) {
    this(exchange, symbol, time, open, high, low, close, volume, null, -1);
  }

  public Kline {
    if (trades < 0) trades = -1;
  }

  public Kline withQuoteCurrency(String currency) {
    return new Kline(exchange, symbol, time, open, high, low, close, volume, currency, trades);
  }

  /** This kline with the minute's trade count (negative: unknown). */
  public Kline withTrades(long count) {
    return new Kline(exchange, symbol, time, open, high, low, close, volume, quoteCurrency, count);
  }
}
