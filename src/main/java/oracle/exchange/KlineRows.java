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
 */
public record KlineRows(boolean millis, int open, int high, int low, int close, int volume) {
  /** {@code [openTimeMs, open, high, low, close, volume, ...]}: Binance, Bybit, OKX. */
  public static final KlineRows MS_OHLCV = new KlineRows(true, 1, 2, 3, 4, 5);

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
              HttpExchangeAdapter.num(r.getValue(volume))));
    }
    return out;
  }
}
