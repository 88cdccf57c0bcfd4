package oracle.backfill;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import oracle.exchange.Kline;
import oracle.exchange.registry.Exchanges;
import oracle.polling.PollingClient;

/**
 * One exchange's klines, fetched by the polling verticle (same adapter, breaker and token bucket as
 * the live prices) and asked for over the event bus.
 */
final class PolledKlineSource implements KlineSource {
  private final PollingClient polling;
  private final String exchange;

  PolledKlineSource(Vertx vertx, String exchange) {
    this.polling = new PollingClient(vertx);
    this.exchange = exchange;
  }

  /** Every enabled source whose spec serves klines (a Uniswap pool has no kline history). */
  static List<KlineSource> forExchanges(Vertx vertx, List<String> exchanges) {
    return exchanges.stream()
        .filter(Exchanges::hasKlines)
        .<KlineSource>map(e -> new PolledKlineSource(vertx, e))
        .toList();
  }

  @Override
  public String name() {
    return exchange;
  }

  @Override
  public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
    return polling.klines(exchange, symbol, fromSec, toSec);
  }
}
