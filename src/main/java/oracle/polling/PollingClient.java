package oracle.polling;

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
 * The polling verticle's requests over the event bus, typed in one place: its status ({@code
 * oracle.polling.status}) and klines fetched through its pollers ({@code oracle.polling.klines}).
 */
public final class PollingClient {
  /** A kline request waits for the exchange's token bucket, so it may take long. */
  private static final long KLINES_TIMEOUT_MS = 60_000;

  private static final long STATUS_TIMEOUT_MS = 1_500;

  private final Vertx vertx;

  public PollingClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code exchanges} (breaker state by source), {@code polling}, {@code skippedTicks}. */
  public Future<JsonObject> status() {
    return BusRequest.send(vertx, Addresses.POLLING_STATUS, null, STATUS_TIMEOUT_MS);
  }

  /** One exchange's 1-minute klines of {@code symbol} with {@code from <= time <= to}. */
  public Future<List<Kline>> klines(String exchange, String symbol, long from, long to) {
    JsonObject ask =
        new JsonObject()
            .put("exchange", exchange)
            .put("symbol", symbol)
            .put("from", from)
            .put("to", to);
    return BusRequest.<JsonArray>send(vertx, Addresses.POLLING_KLINES, ask, KLINES_TIMEOUT_MS)
        .map(PollingClient::decode);
  }

  /** The reply body of a kline request. */
  static JsonArray encode(List<Kline> klines) {
    JsonArray out = new JsonArray();
    for (Kline k : klines) out.add(KlineJson.toJson(k));
    return out;
  }

  private static List<Kline> decode(JsonArray body) {
    List<Kline> out = new ArrayList<>(body.size());
    for (int i = 0; i < body.size(); i++) out.add(KlineJson.fromJson(body.getJsonObject(i)));
    return out;
  }
}
