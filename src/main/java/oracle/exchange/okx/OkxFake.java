package oracle.exchange.okx;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import oracle.exchange.FakeMarkets;
import oracle.exchange.Kline;

/**
 * OKX's fake for tests and dev mode: {@code /api/v5/market/tickers}, {@code candles}, {@code
 * history-candles}, {@code /api/v5/public/instruments}.
 */
final class OkxFake {
  private final FakeMarkets view;

  private OkxFake(FakeMarkets view) {
    this.view = view;
  }

  /** {@link oracle.exchange.VenueFake}: Okx's routes. */
  static void routes(Router r, FakeMarkets view) {
    OkxFake fake = new OkxFake(view);
    view.serveStream(new OkxFakeStream());
    r.get("/api/v5/market/tickers").handler(ctx -> view.cached(ctx, fake::okxTickers));
    r.get("/api/v5/market/candles")
        .handler(ctx -> view.json(ctx, fake.okxCandles(ctx.request().params())));
    r.get("/api/v5/market/history-candles")
        .handler(ctx -> view.json(ctx, fake.okxCandles(ctx.request().params())));
    r.get("/api/v5/public/instruments")
        .handler(
            ctx -> view.json(ctx, fake.okxInstruments(ctx.request().params().get("instType"))));
  }

  private JsonObject okxTickers() {
    double f = view.priceFactor();
    long now = view.nowMs();
    JsonArray data = new JsonArray();
    view.markets()
        .forEach(
            (id, m) -> {
              double p = m.price() * f;
              data.add(
                  new JsonObject()
                      .put("instType", "SPOT")
                      .put("instId", id)
                      .put("last", FakeMarkets.decimal(p))
                      .put("lastSz", "0.1")
                      .put("askPx", FakeMarkets.decimal(p * 1.0001))
                      .put("askSz", "1")
                      .put("bidPx", FakeMarkets.decimal(p * 0.9999))
                      .put("bidSz", "1")
                      .put("open24h", FakeMarkets.decimal(p))
                      .put("high24h", FakeMarkets.decimal(p))
                      .put("low24h", FakeMarkets.decimal(p))
                      .put("volCcy24h", FakeMarkets.decimal(m.liquidity()))
                      .put("vol24h", FakeMarkets.decimal(m.liquidity() / p))
                      .put("ts", Long.toString(now))
                      .put("sodUtc0", FakeMarkets.decimal(p))
                      .put("sodUtc8", FakeMarkets.decimal(p)));
            });
    return new JsonObject().put("code", "0").put("msg", "").put("data", data);
  }

  private JsonObject okxCandles(MultiMap p) {
    String id = p.get("instId");
    FakeMarkets.Scripted m = view.markets().get(id);
    JsonArray data = new JsonArray();
    if (m != null) {
      long to =
          FakeMarkets.param(p, "after", Long.MAX_VALUE / 2) / 1000 - 1; // exclusive upper bound, ms
      long from = (FakeMarkets.param(p, "before", 0) + 1) / 1000; // exclusive lower bound, ms
      List<Kline> ks = view.klines(id, from, to);
      for (int i = ks.size() - 1; i >= 0; i--) {
        Kline k = ks.get(i);
        data.add(
            new JsonArray()
                .add(Long.toString(k.time() * 1000))
                .add(FakeMarkets.decimal(k.open()))
                .add(FakeMarkets.decimal(k.high()))
                .add(FakeMarkets.decimal(k.low()))
                .add(FakeMarkets.decimal(k.close()))
                .add(FakeMarkets.decimal(k.volume()))
                .add(FakeMarkets.decimal(k.volume() * k.close()))
                .add(FakeMarkets.decimal(k.volume() * k.close()))
                .add(k.time() == FakeMarkets.minuteNow() ? "0" : "1"));
      }
    }
    return new JsonObject().put("code", "0").put("msg", "").put("data", data);
  }

  private JsonObject okxInstruments(String instType) {
    if (!"SPOT".equals(instType)) {
      return new JsonObject()
          .put("code", "51000")
          .put("msg", "Parameter instType error")
          .put("data", new JsonArray());
    }
    JsonArray data =
        view.instrumentRows(
            (id, l) ->
                new JsonObject()
                    .put("alias", "")
                    .put("auctionEndTime", "")
                    .put("baseCcy", l.base())
                    .put("category", "1")
                    .put("ctMult", "")
                    .put("ctType", "")
                    .put("ctVal", "")
                    .put("ctValCcy", "")
                    .put("expTime", "")
                    .put("instFamily", "")
                    .put("instId", id)
                    .put("instType", "SPOT")
                    .put("lever", "")
                    .put("listTime", "1606468572000")
                    .put("lotSz", "0.00000001")
                    .put("maxIcebergSz", "9999999999")
                    .put("maxLmtAmt", "1000000")
                    .put("maxLmtSz", "9999999999")
                    .put("maxMktAmt", "1000000")
                    .put("maxMktSz", "1000000")
                    .put("maxStopSz", "1000000")
                    .put("maxTriggerSz", "9999999999")
                    .put("maxTwapSz", "9999999999")
                    .put("minSz", "0.00001")
                    .put("optType", "")
                    .put("quoteCcy", l.quote())
                    .put("settleCcy", "")
                    .put("state", l.trading() ? "live" : "suspend")
                    .put("ruleType", "normal")
                    .put("stk", "")
                    .put("tickSz", "0.1")
                    .put("uly", ""));
    return new JsonObject().put("code", "0").put("msg", "").put("data", data);
  }
}
