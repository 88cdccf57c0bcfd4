package oracle.exchange.coinbase;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import oracle.exchange.FakeMarkets;
import oracle.exchange.Kline;

/**
 * Coinbase Exchange's fake for tests and dev mode: {@code /products/:id/ticker}, {@code
 * /products/:id/candles}, {@code /products}.
 */
final class CoinbaseFake {
  private final FakeMarkets view;

  private CoinbaseFake(FakeMarkets view) {
    this.view = view;
  }

  /** {@link oracle.exchange.VenueFake}: Coinbase's routes. */
  static void routes(Router r, FakeMarkets view) {
    CoinbaseFake fake = new CoinbaseFake(view);
    view.serveStream(new CoinbaseFakeStream(view));
    r.get("/products/:id/ticker").handler(fake::coinbaseTicker);
    r.get("/products").handler(ctx -> view.json(ctx, fake.coinbaseProducts()));
    r.get("/products/:id/candles")
        .handler(
            ctx ->
                view.json(ctx, fake.coinbaseCandles(ctx.pathParam("id"), ctx.request().params())));
  }

  private void coinbaseTicker(RoutingContext ctx) {
    FakeMarkets.Scripted m = view.markets().get(ctx.pathParam("id"));
    if (m == null) {
      ctx.response()
          .setStatusCode(404)
          .putHeader("content-type", "application/json")
          .end("{\"message\":\"NotFound\"}");
      return;
    }
    double p = m.price() * view.priceFactor();
    view.json(
        ctx,
        new JsonObject()
            .put("ask", FakeMarkets.decimal(p * 1.0001))
            .put("bid", FakeMarkets.decimal(p * 0.9999))
            .put("volume", FakeMarkets.decimal(m.liquidity() / p))
            .put("trade_id", 86326522)
            .put("price", FakeMarkets.decimal(p))
            .put("size", "0.00698254")
            .put("time", Instant.ofEpochMilli(view.nowMs()).toString()));
  }

  private JsonArray coinbaseCandles(String id, MultiMap p) {
    FakeMarkets.Scripted m = view.markets().get(id);
    JsonArray out = new JsonArray();
    if (m == null) return out;
    long from = p.get("start") == null ? 0 : Instant.parse(p.get("start")).getEpochSecond();
    long to =
        p.get("end") == null ? Long.MAX_VALUE / 2 : Instant.parse(p.get("end")).getEpochSecond();
    List<Kline> ks = view.klines(id, from, to);
    for (int i = ks.size() - 1; i >= 0; i--) {
      Kline k = ks.get(i);
      out.add(
          new JsonArray()
              .add(k.time())
              .add(k.low())
              .add(k.high())
              .add(k.open())
              .add(k.close())
              .add(k.volume()));
    }
    return out;
  }

  private JsonArray coinbaseProducts() {
    return view.instrumentRows(
        (id, l) ->
            new JsonObject()
                .put("id", id)
                .put("base_currency", l.base())
                .put("quote_currency", l.quote())
                .put("quote_increment", "0.01")
                .put("base_increment", "0.00000001")
                .put("display_name", l.base() + "/" + l.quote())
                .put("min_market_funds", "1")
                .put("margin_enabled", false)
                .put("post_only", false)
                .put("limit_only", false)
                .put("cancel_only", false)
                .put("status", l.trading() ? "online" : "delisted")
                .put("status_message", "")
                .put("trading_disabled", !l.trading())
                .put("fx_stablecoin", false)
                .put("max_slippage_percentage", "0.02000000")
                .put("auction_mode", false)
                .put("high_bid_limit_percentage", ""));
  }
}
