package oracle.exchange;

/** One 1-minute kline from one exchange; {@code time} is the minute's start in Unix seconds. */
public record Kline(String exchange, String symbol, long time, double open, double high, double low,
                    double close, double volume) {}
