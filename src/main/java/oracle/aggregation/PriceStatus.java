package oracle.aggregation;

import io.vertx.core.json.JsonObject;

/**
 * The price fields a live candle update carries on the event bus, SSE and the relay, so a
 * subscriber sees what {@code /price} says: {@code confidence}, {@code stale}, {@code status},
 * {@code minSources}, and while a price is withheld {@code statusSources} (the sources of that tick
 * and why each was left out).
 */
final class PriceStatus {
  private PriceStatus() {}

  /** A candle moved by an agreed price. */
  static JsonObject agreed(JsonObject candle, Aggregator.Result r) {
    return candle
        .put("confidence", r.confidence())
        .put("stale", false)
        .put("status", r.status().label())
        .put("minSources", r.minSources());
  }

  /**
   * A candle left as it was because the tick had no quorum; {@code kept} is the stored last agreed
   * price JSON, if any.
   */
  static JsonObject withheld(JsonObject candle, Aggregator.Result r, JsonObject kept) {
    Object confidence = kept == null ? null : kept.getValue("confidence");
    Object sources = kept == null ? null : kept.getValue("statusSources");
    return candle
        .put("confidence", confidence instanceof Number ? confidence : null)
        .put("stale", true)
        .put("status", r.status().label())
        .put("minSources", r.minSources())
        .put("statusSources", sources instanceof io.vertx.core.json.JsonArray ? sources : null);
  }
}
