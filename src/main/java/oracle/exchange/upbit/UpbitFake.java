package oracle.exchange.upbit;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import oracle.exchange.FakeMarkets;
import oracle.exchange.Kline;

/**
 * Upbit's fake for tests and dev mode: {@code /v1/ticker}, {@code /v1/ticker/all}, {@code
 * /v1/candles/minutes/1}, {@code /v1/market/all}.
 */
final class UpbitFake {
  private final FakeMarkets view;

  private UpbitFake(FakeMarkets view) {
    this.view = view;
  }

  /** {@link oracle.exchange.VenueFake}: Upbit's routes. */
  static void routes(Router r, FakeMarkets view) {
    UpbitFake fake = new UpbitFake(view);
    view.serveStream(new UpbitFakeStream());
    r.get("/v1/ticker")
        .handler(
            ctx ->
                view.cached(ctx, () -> fake.upbitTickers(ctx.request().params().get("markets"))));
    r.get("/v1/ticker/all")
        .handler(
            ctx -> {
              List<String> quotes =
                  List.of(
                      String.valueOf(ctx.request().params().get("quote_currencies")).split(","));
              view.cached(
                  ctx,
                  () ->
                      fake.upbitTickers(
                          String.join(
                              ",",
                              view.markets().keySet().stream()
                                  .filter(
                                      id ->
                                          quotes.contains(
                                              id.substring(0, Math.max(0, id.indexOf('-')))))
                                  .toList())));
            });
    r.get("/v1/candles/minutes/1")
        .handler(ctx -> view.json(ctx, fake.upbitCandles(ctx.request().params())));
    r.get("/v1/market/all")
        .handler(
            ctx ->
                view.json(
                    ctx,
                    fake.upbitMarketAll("true".equals(ctx.request().params().get("is_details")))));
  }

  private JsonArray upbitTickers(String wanted) {
    double f = view.priceFactor();
    long now = view.nowMs();
    JsonArray out = new JsonArray();
    if (wanted == null || wanted.isEmpty()) return out;
    for (String id : wanted.split(",")) {
      FakeMarkets.Scripted m = view.markets().get(id);
      if (m == null) continue;
      double p = m.price() * f;
      String date =
          DateTimeFormatter.ofPattern("yyyyMMdd")
              .format(LocalDateTime.ofEpochSecond(now / 1000, 0, ZoneOffset.UTC));
      String time =
          DateTimeFormatter.ofPattern("HHmmss")
              .format(LocalDateTime.ofEpochSecond(now / 1000, 0, ZoneOffset.UTC));
      out.add(
          new JsonObject()
              .put("market", id)
              .put("trade_date", date)
              .put("trade_time", time)
              .put("trade_date_kst", date)
              .put("trade_time_kst", time)
              .put("trade_timestamp", now)
              .put("opening_price", p)
              .put("high_price", p)
              .put("low_price", p)
              .put("trade_price", p)
              .put("prev_closing_price", p)
              .put("change", "EVEN")
              .put("change_price", 0.0)
              .put("change_rate", 0.0)
              .put("signed_change_price", 0.0)
              .put("signed_change_rate", 0.0)
              .put("trade_volume", 0.01)
              .put("acc_trade_price", m.liquidity() / 2)
              .put("acc_trade_price_24h", m.liquidity())
              .put("acc_trade_volume", m.liquidity() / p / 2)
              .put("acc_trade_volume_24h", m.liquidity() / p)
              .put("highest_52_week_price", p)
              .put("highest_52_week_date", "2024-03-14")
              .put("lowest_52_week_price", p)
              .put("lowest_52_week_date", "2023-09-11")
              .put("timestamp", now));
    }
    return out;
  }

  private JsonArray upbitCandles(MultiMap p) {
    String id = p.get("market");
    FakeMarkets.Scripted m = view.markets().get(id);
    JsonArray out = new JsonArray();
    if (m == null) return out;
    long to =
        p.get("to") == null
            ? Long.MAX_VALUE / 2
            : Instant.parse(p.get("to")).getEpochSecond() - 1; // exclusive
    long count = FakeMarkets.param(p, "count", 200);
    List<Kline> ks = view.klines(id, to - count * 60 + 1, to);
    for (int i = ks.size() - 1; i >= 0; i--) {
      Kline k = ks.get(i);
      LocalDateTime utc = LocalDateTime.ofEpochSecond(k.time(), 0, ZoneOffset.UTC);
      out.add(
          new JsonObject()
              .put("market", id)
              .put(
                  "candle_date_time_utc",
                  utc.toString().length() == 16 ? utc + ":00" : utc.toString())
              .put("candle_date_time_kst", utc.plusHours(9).toString())
              .put("opening_price", k.open())
              .put("high_price", k.high())
              .put("low_price", k.low())
              .put("trade_price", k.close())
              .put("timestamp", k.time() * 1000 + 59_000)
              .put("candle_acc_trade_price", k.volume() * k.close())
              .put("candle_acc_trade_volume", k.volume())
              .put("unit", 1));
    }
    return out;
  }

  private JsonArray upbitMarketAll(boolean details) {
    return view.instrumentRows(
        (id, l) -> {
          if (!l.trading()) return null; // Upbit lists only open markets
          JsonObject m =
              new JsonObject()
                  .put("market", id)
                  .put("korean_name", l.base())
                  .put("english_name", l.base());
          if (details) m.put("market_warning", "NONE");
          return m;
        });
  }
}
