package oracle.exchange.bybit;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import oracle.exchange.FakeMarkets;
import oracle.exchange.Kline;

/**
 * Bybit's fake for tests and dev mode: {@code /v5/market/tickers}, {@code /v5/market/kline}, {@code
 * /v5/market/instruments-info}.
 */
final class BybitFake {
  private final FakeMarkets view;

  private BybitFake(FakeMarkets view) {
    this.view = view;
  }

  /** {@link oracle.exchange.VenueFake}: Bybit's routes. */
  static void routes(Router r, FakeMarkets view) {
    BybitFake fake = new BybitFake(view);
    view.serveStream(new BybitFakeStream());
    r.get("/v5/market/tickers").handler(ctx -> view.cached(ctx, fake::bybitTickers));
    r.get("/v5/market/kline")
        .handler(ctx -> view.json(ctx, fake.bybitKlines(ctx.request().params())));
    r.get("/v5/market/instruments-info")
        .handler(
            ctx -> view.json(ctx, fake.bybitInstruments(ctx.request().params().get("category"))));
  }

  private JsonObject bybitTickers() {
    double f = view.priceFactor();
    JsonArray list = new JsonArray();
    view.markets()
        .forEach(
            (id, m) -> {
              double p = m.price() * f;
              list.add(
                  new JsonObject()
                      .put("symbol", id)
                      .put("bid1Price", FakeMarkets.decimal(p * 0.9999))
                      .put("bid1Size", "1")
                      .put("ask1Price", FakeMarkets.decimal(p * 1.0001))
                      .put("ask1Size", "1")
                      .put("lastPrice", FakeMarkets.decimal(p))
                      .put("prevPrice24h", FakeMarkets.decimal(p))
                      .put("price24hPcnt", "0")
                      .put("highPrice24h", FakeMarkets.decimal(p))
                      .put("lowPrice24h", FakeMarkets.decimal(p))
                      .put("turnover24h", FakeMarkets.decimal(m.liquidity()))
                      .put("volume24h", FakeMarkets.decimal(m.liquidity() / p))
                      .put("usdIndexPrice", FakeMarkets.decimal(p)));
            });
    return new JsonObject()
        .put("retCode", 0)
        .put("retMsg", "OK")
        .put("result", new JsonObject().put("category", "spot").put("list", list))
        .put("retExtInfo", new JsonObject())
        .put("time", view.nowMs());
  }

  private JsonObject bybitKlines(MultiMap p) {
    String id = p.get("symbol");
    FakeMarkets.Scripted m = view.markets().get(id);
    JsonArray list = new JsonArray();
    if (m != null) {
      List<Kline> ks =
          view.klines(
              id,
              FakeMarkets.param(p, "start", 0) / 1000,
              FakeMarkets.param(p, "end", Long.MAX_VALUE / 2) / 1000);
      for (int i = ks.size() - 1; i >= 0; i--) {
        Kline k = ks.get(i);
        list.add(
            new JsonArray()
                .add(Long.toString(k.time() * 1000))
                .add(FakeMarkets.decimal(k.open()))
                .add(FakeMarkets.decimal(k.high()))
                .add(FakeMarkets.decimal(k.low()))
                .add(FakeMarkets.decimal(k.close()))
                .add(FakeMarkets.decimal(k.volume()))
                .add(FakeMarkets.decimal(k.volume() * k.close())));
      }
    }
    return new JsonObject()
        .put("retCode", 0)
        .put("retMsg", "OK")
        .put("result", new JsonObject().put("symbol", id).put("category", "spot").put("list", list))
        .put("retExtInfo", new JsonObject())
        .put("time", System.currentTimeMillis());
  }

  private JsonObject bybitInstruments(String category) {
    JsonArray list =
        !"spot".equals(category)
            ? new JsonArray()
            : view.instrumentRows(
                (id, l) ->
                    new JsonObject()
                        .put("symbol", id)
                        .put("baseCoin", l.base())
                        .put("quoteCoin", l.quote())
                        .put("innovation", "0")
                        .put("status", l.trading() ? "Trading" : "Closed")
                        .put("marginTrading", "none")
                        .put("stTag", "0")
                        .put(
                            "lotSizeFilter",
                            new JsonObject()
                                .put("basePrecision", "0.000001")
                                .put("quotePrecision", "0.00000001")
                                .put("minOrderQty", "0.000048")
                                .put("maxOrderQty", "71.73956243")
                                .put("minOrderAmt", "1")
                                .put("maxOrderAmt", "2000000"))
                        .put("priceFilter", new JsonObject().put("tickSize", "0.01"))
                        .put(
                            "riskParameters",
                            new JsonObject()
                                .put("priceLimitRatioX", "0.01")
                                .put("priceLimitRatioY", "0.02")));
    return new JsonObject()
        .put("retCode", 0)
        .put("retMsg", "OK")
        .put(
            "result",
            new JsonObject().put("category", category).put("list", list).put("nextPageCursor", ""))
        .put("retExtInfo", new JsonObject())
        .put("time", System.currentTimeMillis());
  }
}
