package oracle.exchange.coinbase;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import oracle.exchange.ExchangeHttpException;
import oracle.exchange.ExchangeSpec;
import oracle.exchange.HttpExchangeAdapter;
import oracle.exchange.Instrument;
import oracle.exchange.InstrumentEndpoint;
import oracle.exchange.Kline;
import oracle.exchange.KlineRows;
import oracle.exchange.Market;
import oracle.exchange.MarketRule;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;

/**
 * Coinbase Exchange. It has no all-tickers endpoint, so quotes are one {@code GET
 * /products/{id}/ticker} per market ({@link #requestsFor} tells the rate limiter); the call fails
 * only when every market failed. Klines: {@code GET /products/{id}/candles?granularity=60}, 300 per
 * request, rows {@code [time, low, high, open, close, volume]}.
 */
public final class CoinbaseAdapter extends HttpExchangeAdapter {
  /**
   * Public limit 10 requests per second, up to 15 in bursts: 8/s and a burst of 12 by default
   * (twice the rate, 16, would have a full bucket's first tick answered 429).
   */
  public static final ExchangeSpec SPEC =
      ExchangeSpec.cex(
              "coinbase",
              "https://api.exchange.coinbase.com",
              8,
              MarketRule.joined("-"),
              InstrumentEndpoint.get(
                  "/products", b -> CoinbaseAdapter.parseInstruments(b.toJsonArray())),
              CoinbaseAdapter::new,
              CoinbaseFake::routes)
          .withDefaultBurst(12);

  public CoinbaseAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, symbols);
  }

  @Override
  public int requestsFor(int symbolCount) {
    return symbolCount;
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    List<Future<Quote>> calls = new ArrayList<>();
    for (String symbol : symbols) {
      Market m = markets.market(symbol);
      if (m == null) continue;
      calls.add(
          get("/products/" + m.id() + "/ticker")
              .map(b -> parseTicker(b.toJsonObject(), symbol, m, System.currentTimeMillis()))
              // 404: Coinbase does not list this market; that is not a failure of the exchange.
              .recover(
                  err ->
                      err instanceof ExchangeHttpException e && e.status() == 404
                          ? Future.succeededFuture(null)
                          : Future.failedFuture(err)));
    }
    if (calls.isEmpty()) return Future.succeededFuture(List.of());
    return Future.join(calls)
        .transform(
            ar -> {
              List<Quote> out = new ArrayList<>();
              Throwable firstError = null;
              for (Future<Quote> f : calls) {
                if (f.succeeded()) {
                  if (f.result() != null) out.add(f.result());
                } else if (firstError == null) firstError = f.cause();
              }
              return out.isEmpty() && firstError != null
                  ? Future.failedFuture(firstError)
                  : Future.succeededFuture(out);
            });
  }

  /**
   * {@code {"ask","bid","volume","trade_id","price","size","time"}}; volume is 24 h base volume.
   */
  public static Quote parseTicker(JsonObject t, String symbol, Market m, long receivedMs) {
    double price = num(t.getValue("price"));
    long ts = receivedMs;
    String time = t.getString("time");
    if (time != null) {
      try {
        ts = Instant.parse(time).toEpochMilli();
      } catch (java.time.format.DateTimeParseException ignored) {
        // keep the receive time
      }
    }
    return new Quote(
        "coinbase",
        symbol,
        m.quoteCurrency(),
        price,
        num(t.getValue("bid")),
        num(t.getValue("ask")),
        ts,
        times(num(t.getValue("volume")), price),
        Double.NaN);
  }

  @Override
  protected int klinesPerRequest() {
    return 300;
  }

  @Override
  protected Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec) {
    return get(
            "/products/" + market.id() + "/candles",
            "granularity",
            "60",
            "start",
            Instant.ofEpochSecond(fromSec).toString(),
            "end",
            Instant.ofEpochSecond(toSec).toString())
        .map(b -> parseKlines(b.toJsonArray(), symbol));
  }

  /** Rows {@code [time, low, high, open, close, volume]}, time in seconds. */
  private static final KlineRows ROWS = new KlineRows(false, 3, 2, 1, 4, 5);

  public static List<Kline> parseKlines(JsonArray rows, String symbol) {
    return ROWS.parse("coinbase", symbol, rows);
  }

  /**
   * {@code GET /products}: {@code
   * [{"id":"BTC-USD","base_currency":"BTC","quote_currency":"USD","status":"online","trading_disabled":false,..}]}.
   */
  public static List<Instrument> parseInstruments(JsonArray products) {
    MarketRule rule = SPEC.markets();
    return Instrument.fromRows(
        "coinbase",
        products,
        p ->
            new Instrument(
                p.getString("id"),
                rule.canonicalAsset(p.getString("base_currency", "")),
                rule.canonicalAsset(p.getString("quote_currency", "")),
                "online".equals(p.getString("status"))
                    && !Boolean.TRUE.equals(p.getBoolean("trading_disabled"))));
  }
}
