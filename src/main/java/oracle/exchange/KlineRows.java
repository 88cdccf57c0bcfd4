package oracle.exchange;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Kline answers that are arrays of positional rows ({@code [time, open, high, low, close, volume,
 * ...]} in some order): the one loop every such adapter shares. A row that is not an array is a
 * {@link ExchangeHttpException.Kind#BAD_PAYLOAD}; an unreadable time gives 0 (dropped by the pager,
 * outside every asked range) and an unreadable number NaN, as elsewhere.
 *
 * @param millis whether column 0 is in milliseconds (else seconds)
 * @param trades the column of the minute's number of trades, -1 when the exchange has none; a row
 *     without that column, or with no number in it, gives an unknown count (-1), never an error
 */
public record KlineRows(
    boolean millis, int open, int high, int low, int close, int volume, int trades) {
  /** {@code [openTimeMs, open, high, low, close, volume, ...]}: Bybit, OKX. */
  public static final KlineRows MS_OHLCV = new KlineRows(true, 1, 2, 3, 4, 5);

  /** Binance: as {@link #MS_OHLCV}, with the number of trades at index 8. */
  public static final KlineRows BINANCE = new KlineRows(true, 1, 2, 3, 4, 5, 8);

  /** Rows without a trade count. */
  public KlineRows(boolean millis, int open, int high, int low, int close, int volume) {
    this(millis, open, high, low, close, volume, -1);
  }

  public List<Kline> parse(String exchange, String symbol, JsonArray rows) {
    int width = Math.max(Math.max(open, high), Math.max(Math.max(low, close), volume));
    List<Kline> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      if (!(rows.getValue(i) instanceof JsonArray r) || r.size() <= width)
        throw ExchangeHttpException.badPayload(
            exchange, "kline row " + i + " is not an array of " + (width + 1) + " columns");
      long time = HttpExchangeAdapter.longNum(r.getValue(0), 0);
      out.add(
          new Kline(
              exchange,
              symbol,
              millis ? time / 1000 : time,
              HttpExchangeAdapter.num(r.getValue(open)),
              HttpExchangeAdapter.num(r.getValue(high)),
              HttpExchangeAdapter.num(r.getValue(low)),
              HttpExchangeAdapter.num(r.getValue(close)),
              HttpExchangeAdapter.num(r.getValue(volume)),
              null,
              tradesOf(r)));
    }
    return out;
  }

  private long tradesOf(JsonArray r) {
    if (trades < 0 || r.size() <= trades) return -1;
    double n = HttpExchangeAdapter.num(r.getValue(trades));
    return Double.isFinite(n) && n >= 0 ? (long) n : -1;
  }
}
