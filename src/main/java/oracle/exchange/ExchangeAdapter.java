package oracle.exchange;

import io.vertx.core.Future;
import java.util.List;

/**
 * A non-blocking price source, built from its {@link ExchangeSpec} (docs/architecture.md, "Adding
 * an exchange"). Implementations only speak the exchange's wire format; breakers, rate limits and
 * timeouts are applied around them by the polling layer.
 */
public interface ExchangeAdapter {
  /** Lower-case source name as in configuration ({@code binance}, {@code uniswap}, ...). */
  String name();

  /**
   * Current quotes for the given canonical symbols, using a batch endpoint where the exchange has
   * one.
   */
  Future<List<Quote>> fetchQuotes(List<String> symbols);

  /**
   * Whether this source has a market (or pool) for the canonical symbol; unlisted symbols are
   * skipped.
   */
  default boolean lists(String symbol) {
    return true;
  }

  /**
   * Requests one {@link #fetchQuotes} call makes for {@code symbolCount} symbols: 1 for a batch
   * endpoint, {@code symbolCount} for per-symbol endpoints. The polling layer takes that many
   * tokens from the source's rate limit before calling.
   */
  default int requestsFor(int symbolCount) {
    return symbolCount == 0 ? 0 : 1;
  }

  /** 1-minute klines of one symbol with {@code fromSec <= time <= toSec}, ascending. */
  Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec);
}
