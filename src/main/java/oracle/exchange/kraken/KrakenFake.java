package oracle.exchange.kraken;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;
import oracle.exchange.FakeMarkets;
import oracle.exchange.Kline;

/**
 * Kraken's fake for tests and dev mode: {@code /0/public/Ticker}, {@code /0/public/OHLC}, {@code
 * /0/public/AssetPairs}, answering some pairs under their legacy names as Kraken does.
 */
final class KrakenFake {
  private final FakeMarkets view;

  private KrakenFake(FakeMarkets view) {
    this.view = view;
  }

  /** {@link oracle.exchange.VenueFake}: Kraken's routes. */
  static void routes(Router r, FakeMarkets view) {
    KrakenFake fake = new KrakenFake(view);
    view.serveStream(new KrakenFakeStream(view));
    r.get("/0/public/Ticker")
        .handler(ctx -> view.cached(ctx, () -> fake.krakenTickers(ctx.request().params())));
    r.get("/0/public/OHLC").handler(ctx -> view.json(ctx, fake.krakenOhlc(ctx.request().params())));
    r.get("/0/public/AssetPairs").handler(ctx -> view.json(ctx, fake.krakenAssetPairs()));
  }

  /** Kraken answers some pairs under their legacy name (XBTUSD → XXBTZUSD); emulate that. */
  static String krakenKey(String id) {
    if (id.length() == 6
        && List.of("XBT", "ETH").contains(id.substring(0, 3))
        && List.of("USD", "EUR").contains(id.substring(3))) {
      return "X" + id.substring(0, 3) + "Z" + id.substring(3);
    }
    return id;
  }

  private JsonObject krakenTickers(MultiMap params) {
    List<String> only = params.get("pair") == null ? null : List.of(params.get("pair").split(","));
    double f = view.priceFactor();
    JsonObject result = new JsonObject();
    for (Map.Entry<String, FakeMarkets.Scripted> e : view.markets().entrySet()) {
      if (only != null && !only.contains(e.getKey())) continue;
      FakeMarkets.Scripted m = e.getValue();
      double p = m.price() * f;
      String vol = FakeMarkets.decimal(m.liquidity() / p);
      result.put(
          krakenKey(e.getKey()),
          new JsonObject()
              .put("a", new JsonArray().add(FakeMarkets.decimal(p * 1.0001)).add("1").add("1.000"))
              .put("b", new JsonArray().add(FakeMarkets.decimal(p * 0.9999)).add("1").add("1.000"))
              .put("c", new JsonArray().add(FakeMarkets.decimal(p)).add("0.01000000"))
              .put("v", new JsonArray().add(vol).add(vol))
              .put("p", new JsonArray().add(FakeMarkets.decimal(p)).add(FakeMarkets.decimal(p)))
              .put("t", new JsonArray().add(100).add(1000))
              .put("l", new JsonArray().add(FakeMarkets.decimal(p)).add(FakeMarkets.decimal(p)))
              .put("h", new JsonArray().add(FakeMarkets.decimal(p)).add(FakeMarkets.decimal(p)))
              .put("o", FakeMarkets.decimal(p)));
    }
    return new JsonObject().put("error", new JsonArray()).put("result", result);
  }

  private JsonObject krakenOhlc(MultiMap p) {
    String id = p.get("pair");
    FakeMarkets.Scripted m = view.markets().get(id);
    if (m == null)
      return new JsonObject().put("error", new JsonArray().add("EQuery:Unknown asset pair"));
    long since = FakeMarkets.param(p, "since", 0);
    JsonArray rows = new JsonArray();
    for (Kline k : view.klines(id, since + 1, Long.MAX_VALUE / 2)) {
      rows.add(
          new JsonArray()
              .add(k.time())
              .add(FakeMarkets.decimal(k.open()))
              .add(FakeMarkets.decimal(k.high()))
              .add(FakeMarkets.decimal(k.low()))
              .add(FakeMarkets.decimal(k.close()))
              .add(FakeMarkets.decimal(k.close()))
              .add(FakeMarkets.decimal(k.volume()))
              .add(k.trades() >= 0 ? k.trades() : 10));
    }
    return new JsonObject()
        .put("error", new JsonArray())
        .put(
            "result",
            new JsonObject().put(krakenKey(id), rows).put("last", FakeMarkets.minuteNow()));
  }

  /**
   * Kraken's asset names: altnames in {@code wsname}, legacy X/Z names in {@code base}/{@code
   * quote}.
   */
  private static String krakenAlt(String asset) {
    return switch (asset) {
      case "BTC" -> "XBT";
      case "DOGE" -> "XDG";
      default -> asset;
    };
  }

  private static String krakenLegacy(String alt) {
    if (List.of("XBT", "XDG", "ETH", "LTC", "XRP").contains(alt)) return "X" + alt;
    if (List.of("USD", "EUR", "GBP", "JPY", "CAD").contains(alt)) return "Z" + alt;
    return alt;
  }

  private JsonObject krakenAssetPairs() {
    JsonObject result = new JsonObject();
    view.instruments()
        .forEach(
            (id, l) -> {
              String base = krakenAlt(l.base());
              String quote = krakenAlt(l.quote());
              result.put(
                  krakenKey(id),
                  new JsonObject()
                      .put("altname", id)
                      .put("wsname", base + "/" + quote)
                      .put("aclass_base", "currency")
                      .put("base", krakenLegacy(base))
                      .put("aclass_quote", "currency")
                      .put("quote", krakenLegacy(quote))
                      .put("lot", "unit")
                      .put("cost_decimals", 5)
                      .put("pair_decimals", 1)
                      .put("lot_decimals", 8)
                      .put("lot_multiplier", 1)
                      .put("leverage_buy", new JsonArray())
                      .put("leverage_sell", new JsonArray())
                      .put("fees", new JsonArray().add(new JsonArray().add(0).add(0.4)))
                      .put("fees_maker", new JsonArray().add(new JsonArray().add(0).add(0.25)))
                      .put("fee_volume_currency", "ZUSD")
                      .put("margin_call", 80)
                      .put("margin_stop", 40)
                      .put("ordermin", "0.00005")
                      .put("costmin", "0.5")
                      .put("tick_size", "0.1")
                      .put("status", l.trading() ? "online" : "cancel_only"));
            });
    return new JsonObject().put("error", new JsonArray()).put("result", result);
  }
}
