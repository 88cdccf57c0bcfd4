package oracle.exchange;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One spot market as an exchange's instrument endpoint lists it, with its assets already in
 * canonical names ({@link MarketRule#canonicalAsset}).
 *
 * @param marketId the exchange's own id, as the polling adapters request it ({@code BTCUSDT},
 *     {@code XBTUSDT}, {@code KRW-BTC})
 * @param trading whether the exchange says it trades now (Binance {@code TRADING}, Coinbase {@code
 *     online}, Kraken {@code online}, OKX {@code live}, Bybit {@code Trading}; Upbit lists only
 *     open markets)
 */
public record Instrument(String marketId, String base, String quote, boolean trading) {

  /**
   * The row loop every instrument parser shares: each element of {@code rows} must be an object
   * (else the answer is a {@link ExchangeHttpException.Kind#BAD_PAYLOAD}); {@code row} reads one,
   * or gives null to skip it (another instrument type, a dark pool, a malformed id).
   */
  public static List<Instrument> fromRows(
      String exchange, JsonArray rows, Function<JsonObject, Instrument> row) {
    List<Instrument> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      if (!(rows.getValue(i) instanceof JsonObject o))
        throw ExchangeHttpException.badPayload(exchange, "instrument " + i + " is not an object");
      Instrument instrument = row.apply(o);
      if (instrument != null) out.add(instrument);
    }
    return out;
  }
}
