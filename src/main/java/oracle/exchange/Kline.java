package oracle.exchange;

/**
 * One 1-minute kline from one exchange; {@code time} is the minute's start in Unix seconds. {@code
 * quoteCurrency} is the currency its prices are in (KRW for Upbit's KRW markets); null when the
 * source does not say, then it is taken to be the symbol's quote.
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
    String quoteCurrency) {

  public Kline(
      String exchange,
      String symbol,
      long time,
      double open,
      double high,
      double low,
      double close,
      double volume) {
    this(exchange, symbol, time, open, high, low, close, volume, null);
  }

  public Kline withQuoteCurrency(String currency) {
    return new Kline(exchange, symbol, time, open, high, low, close, volume, currency);
  }
}
