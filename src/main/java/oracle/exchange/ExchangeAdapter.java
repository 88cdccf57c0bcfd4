package oracle.exchange;

import io.vertx.core.Future;

import java.util.List;

/**
 * A non-blocking price source. Adding an exchange is one implementation plus one config entry.
 * Implementations only speak the exchange's wire format; breakers, rate limits and timeouts are
 * applied around them by the polling layer.
 */
public interface ExchangeAdapter {
  /** Lower-case source name as in configuration ({@code binance}, {@code uniswap}, ...). */
  String name();

  /** Current quotes for the given canonical symbols, using a batch endpoint where the exchange has one. */
  Future<List<Quote>> fetchQuotes(List<String> symbols);

  /** 1-minute klines of one symbol with {@code fromSec <= time <= toSec}, ascending. */
  Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec);
}
