package oracle.aggregation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.common.Addresses;
import oracle.common.BusRequest;
import oracle.exchange.Kline;
import oracle.exchange.KlineJson;

/**
 * The close-out's repairs asked of the polling verticle ({@code oracle.polling.klines}: the same
 * adapter, breaker, token bucket and timeout as the live polls and backfill). The request of {@code
 * oracle.polling.PollingClient#klines}, spelled out here because polling depends on aggregation
 * (its quote batches), not the other way round.
 */
final class PolledKlines implements MinuteCloser.KlineFetch {
  private final Vertx vertx;
  private final long timeoutMs;

  PolledKlines(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<List<Kline>> klines(String exchange, String symbol, long fromSec, long toSec) {
    JsonObject ask =
        new JsonObject()
            .put("exchange", exchange)
            .put("symbol", symbol)
            .put("from", fromSec)
            .put("to", toSec);
    return BusRequest.<JsonArray>send(vertx, Addresses.POLLING_KLINES, ask, timeoutMs)
        .map(
            body -> {
              List<Kline> out = new ArrayList<>(body.size());
              for (int i = 0; i < body.size(); i++)
                out.add(KlineJson.fromJson(body.getJsonObject(i)));
              return out;
            });
  }
}
