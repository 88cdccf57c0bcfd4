package oracle.aggregation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The price answer as the {@code JsonObject}s built it before {@link PriceJson} became its only
 * encoder: the reference {@link PriceJsonTest} holds the encoder's bytes to, so the answer stays
 * byte for byte what it was.
 */
final class ReferencePriceJson {
  private ReferencePriceJson() {}

  static JsonObject agreed(Aggregator.Result r) {
    JsonObject j =
        new JsonObject()
            .put("symbol", r.symbol())
            .put("price", r.price())
            .put("timestamp", r.timestampMs())
            .put("method", r.method())
            .put("confidence", r.confidence())
            .put("dispersion", r.dispersion())
            .put("minSources", r.minSources())
            .put("sourcesUsed", used(r))
            .put("sourcesDropped", dropped(r));
    if (Double.isFinite(r.volume())) j.put("minuteVolume", r.volume());
    return j.put("status", r.status().label()).put("stale", false);
  }

  static String withheldTail(Aggregator.Result r) {
    JsonArray sources = used(r);
    dropped(r).forEach(sources::add);
    String body =
        new JsonObject()
            .put("status", r.status().label())
            .put("stale", true)
            .put("statusAt", r.timestampMs())
            .put("statusSources", sources)
            .encode();
    return body.substring(1, body.length() - 1);
  }

  static JsonObject agreedCandle(JsonObject candle, Aggregator.Result r) {
    return candle
        .put("confidence", r.confidence())
        .put("stale", false)
        .put("status", r.status().label())
        .put("minSources", r.minSources());
  }

  static JsonObject withheldCandle(JsonObject candle, Aggregator.Result r, JsonObject kept) {
    Object confidence = kept == null ? null : kept.getValue("confidence");
    Object sources = kept == null ? null : kept.getValue("statusSources");
    return candle
        .put("confidence", confidence instanceof Number ? confidence : null)
        .put("stale", true)
        .put("status", r.status().label())
        .put("minSources", r.minSources())
        .put("statusSources", sources instanceof JsonArray ? sources : null);
  }

  private static JsonArray used(Aggregator.Result r) {
    JsonArray out = new JsonArray();
    for (Aggregator.Used u : r.used()) {
      JsonObject j = new JsonObject().put("exchange", u.exchange()).put("price", u.price());
      if (u.weight() > 0) j.put("weight", u.weight());
      if (Double.isFinite(u.minuteVolume())) j.put("minuteVolume", u.minuteVolume());
      j.put("via", u.via().label());
      out.add(j);
    }
    return out;
  }

  private static JsonArray dropped(Aggregator.Result r) {
    JsonArray out = new JsonArray();
    for (Aggregator.Dropped d : r.dropped()) {
      JsonObject j =
          new JsonObject().put("exchange", d.exchange()).put("reason", d.reason().label());
      if (Double.isFinite(d.price())) j.put("price", d.price());
      out.add(j);
    }
    return out;
  }
}
