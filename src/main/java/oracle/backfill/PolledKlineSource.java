package oracle.backfill;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.common.Addresses;
import oracle.config.OracleConfig;
import oracle.exchange.Exchanges;
import oracle.exchange.Kline;
import oracle.exchange.KlineJson;

/**
 * One exchange's klines, fetched by the polling verticle (same adapter, breaker and token bucket as
 * the live prices) and asked for over the event bus.
 */
final class PolledKlineSource implements KlineSource {
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(60_000);

  private final Vertx vertx;
  private final String exchange;

  PolledKlineSource(Vertx vertx, String exchange) {
    this.vertx = vertx;
    this.exchange = exchange;
  }

  /** Every enabled source whose spec serves klines (a Uniswap pool has no kline history). */
  static List<KlineSource> forConfig(Vertx vertx, OracleConfig config) {
    return config.exchanges().stream()
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
    JsonObject ask =
        new JsonObject()
            .put("exchange", exchange)
            .put("symbol", symbol)
            .put("from", fromSec)
            .put("to", toSec);
    return vertx
        .eventBus()
        .<JsonArray>request(Addresses.POLLING_KLINES, ask, TIMEOUT)
        .map(
            m -> {
              List<Kline> out = new ArrayList<>(m.body().size());
              for (int i = 0; i < m.body().size(); i++)
                out.add(KlineJson.fromJson(m.body().getJsonObject(i)));
              return out;
            });
  }
}
