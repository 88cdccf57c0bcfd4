package oracle.exchange.binance;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;
import oracle.exchange.FakeMarkets;
import oracle.exchange.Kline;

/**
 * Binance's fake for tests and dev mode: {@code /api/v3/ticker/24hr}, {@code /api/v3/klines},
 * {@code /api/v3/exchangeInfo} (delisted markets as {@code BREAK}).
 */
final class BinanceFake {
  private final FakeMarkets view;

  private BinanceFake(FakeMarkets view) {
    this.view = view;
  }

  /** {@link oracle.exchange.VenueFake}: Binance's routes. */
  static void routes(Router r, FakeMarkets view) {
    BinanceFake fake = new BinanceFake(view);
    view.serveStream(new BinanceFakeStream());
    r.get("/api/v3/ticker/24hr")
        .handler(ctx -> view.cached(ctx, () -> fake.binanceTickers(ctx.request().params())));
    r.get("/api/v3/klines")
        .handler(ctx -> view.json(ctx, fake.binanceKlines(ctx.request().params())));
    r.get("/api/v3/exchangeInfo").handler(ctx -> view.json(ctx, fake.binanceExchangeInfo()));
  }

  private JsonArray binanceTickers(MultiMap params) {
    List<String> only = null;
    if (params.get("symbols") != null) {
      only = new JsonArray(params.get("symbols")).stream().map(Object::toString).toList();
    }
    double f = view.priceFactor();
    long now = view.nowMs();
    JsonArray out = new JsonArray();
    for (Map.Entry<String, FakeMarkets.Scripted> e : view.markets().entrySet()) {
      if (only != null && !only.contains(e.getKey())) continue;
      FakeMarkets.Scripted m = e.getValue();
      double p = m.price() * f;
      out.add(
          new JsonObject()
              .put("symbol", e.getKey())
              .put("priceChange", "0.00000000")
              .put("priceChangePercent", "0.000")
              .put("weightedAvgPrice", FakeMarkets.decimal(p))
              .put("prevClosePrice", FakeMarkets.decimal(p))
              .put("lastPrice", FakeMarkets.decimal(p))
              .put("lastQty", "0.01000000")
              .put("bidPrice", FakeMarkets.decimal(p * 0.9999))
              .put("bidQty", "1.00000000")
              .put("askPrice", FakeMarkets.decimal(p * 1.0001))
              .put("askQty", "1.00000000")
              .put("openPrice", FakeMarkets.decimal(p))
              .put("highPrice", FakeMarkets.decimal(p))
              .put("lowPrice", FakeMarkets.decimal(p))
              .put("volume", FakeMarkets.decimal(m.liquidity() / p))
              .put("quoteVolume", FakeMarkets.decimal(m.liquidity()))
              .put("openTime", now - 86_400_000L)
              .put("closeTime", now)
              .put("firstId", 1)
              .put("lastId", 1000)
              .put("count", 1000));
    }
    return out;
  }

  private JsonArray binanceKlines(MultiMap p) {
    String id = p.get("symbol");
    FakeMarkets.Scripted m = view.markets().get(id);
    JsonArray out = new JsonArray();
    if (m == null) return out;
    long from = FakeMarkets.param(p, "startTime", 0) / 1000;
    long to = FakeMarkets.param(p, "endTime", Long.MAX_VALUE / 2) / 1000;
    for (Kline k : view.klines(id, from, to)) {
      out.add(
          new JsonArray()
              .add(k.time() * 1000)
              .add(FakeMarkets.decimal(k.open()))
              .add(FakeMarkets.decimal(k.high()))
              .add(FakeMarkets.decimal(k.low()))
              .add(FakeMarkets.decimal(k.close()))
              .add(FakeMarkets.decimal(k.volume()))
              .add(k.time() * 1000 + 59_999)
              .add(FakeMarkets.decimal(k.volume() * k.close()))
              .add(k.trades() >= 0 ? k.trades() : 10)
              .add("0")
              .add("0")
              .add("0"));
    }
    return out;
  }

  private JsonObject binanceExchangeInfo() {
    JsonArray symbols =
        view.instrumentRows(
            (id, l) ->
                new JsonObject()
                    .put("symbol", id)
                    .put("status", l.trading() ? "TRADING" : "BREAK")
                    .put("baseAsset", l.base())
                    .put("baseAssetPrecision", 8)
                    .put("quoteAsset", l.quote())
                    .put("quotePrecision", 8)
                    .put("quoteAssetPrecision", 8)
                    .put("baseCommissionPrecision", 8)
                    .put("quoteCommissionPrecision", 8)
                    .put(
                        "orderTypes",
                        new JsonArray()
                            .add("LIMIT")
                            .add("LIMIT_MAKER")
                            .add("MARKET")
                            .add("STOP_LOSS_LIMIT")
                            .add("TAKE_PROFIT_LIMIT"))
                    .put("icebergAllowed", true)
                    .put("ocoAllowed", true)
                    .put("otoAllowed", true)
                    .put("quoteOrderQtyMarketAllowed", true)
                    .put("allowTrailingStop", true)
                    .put("cancelReplaceAllowed", true)
                    .put("isSpotTradingAllowed", l.trading())
                    .put("isMarginTradingAllowed", false)
                    .put(
                        "filters",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("filterType", "PRICE_FILTER")
                                    .put("minPrice", "0.01000000")
                                    .put("maxPrice", "1000000.00000000")
                                    .put("tickSize", "0.01000000")))
                    .put("permissions", new JsonArray())
                    .put("permissionSets", new JsonArray().add(new JsonArray().add("SPOT")))
                    .put("defaultSelfTradePreventionMode", "EXPIRE_MAKER")
                    .put(
                        "allowedSelfTradePreventionModes",
                        new JsonArray()
                            .add("EXPIRE_TAKER")
                            .add("EXPIRE_MAKER")
                            .add("EXPIRE_BOTH")));
    return new JsonObject()
        .put("timezone", "UTC")
        .put("serverTime", System.currentTimeMillis())
        .put(
            "rateLimits",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("rateLimitType", "REQUEST_WEIGHT")
                        .put("interval", "MINUTE")
                        .put("intervalNum", 1)
                        .put("limit", 6000)))
        .put("exchangeFilters", new JsonArray())
        .put("symbols", symbols);
  }
}
