package oracle.exchange;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Binance spot. Quotes: {@code GET /api/v3/ticker/24hr} (one request for every symbol: with a
 * {@code symbols=[...]} list up to 100 markets, otherwise all markets, weight 80 either way).
 * Klines: {@code GET /api/v3/klines?interval=1m}, 1000 per request.
 */
public final class BinanceAdapter extends HttpExchangeAdapter {
  /** Public limit 6000 request weight per minute. */
  public static final ExchangeSpec SPEC =
      ExchangeSpec.cex(
          "binance",
          "https://api.binance.com",
          20,
          MarketRule.joined(""),
          InstrumentEndpoint.get(
              "/api/v3/exchangeInfo", b -> BinanceAdapter.parseInstruments(b.toJsonObject())),
          BinanceAdapter::new);

  public BinanceAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, symbols);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    List<String> ids = marketIds(symbols);
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    Future<io.vertx.core.buffer.Buffer> body =
        ids.size() <= 100
            ? get("/api/v3/ticker/24hr", "symbols", new JsonArray(ids).encode())
            : get("/api/v3/ticker/24hr");
    return body.compose(
        buf ->
            parse(
                buf,
                b ->
                    parseTickers(
                        b.toJsonArray(),
                        markets,
                        java.util.Set.copyOf(symbols),
                        System.currentTimeMillis())));
  }

  public static List<Quote> parseTickers(
      JsonArray tickers, MarketMap markets, java.util.Set<String> wanted, long receivedMs) {
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < tickers.size(); i++) {
      JsonObject t = tickers.getJsonObject(i);
      for (String symbol : markets.symbols(t.getString("symbol"))) {
        if (!wanted.contains(symbol)) continue;
        Market m = markets.market(symbol);
        out.add(
            new Quote(
                "binance",
                symbol,
                m.quoteCurrency(),
                num(t.getValue("lastPrice")),
                num(t.getValue("bidPrice")),
                num(t.getValue("askPrice")),
                longNum(t.getValue("closeTime"), receivedMs),
                num(t.getValue("quoteVolume")),
                Double.NaN));
      }
    }
    return out;
  }

  @Override
  protected int klinesPerRequest() {
    return 1000;
  }

  @Override
  protected Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec) {
    return get(
            "/api/v3/klines",
            "symbol",
            market.id(),
            "interval",
            "1m",
            "startTime",
            Long.toString(fromSec * 1000),
            "endTime",
            Long.toString(toSec * 1000 + 59_999),
            "limit",
            "1000")
        .map(b -> parseKlines(b.toJsonArray(), symbol));
  }

  /**
   * Rows {@code [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, ...]}.
   */
  public static List<Kline> parseKlines(JsonArray rows, String symbol) {
    return KlineRows.MS_OHLCV.parse("binance", symbol, rows);
  }

  /**
   * {@code GET /api/v3/exchangeInfo}: {@code
   * {"symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT",..}]}}.
   */
  public static List<Instrument> parseInstruments(JsonObject body) {
    JsonArray symbols = body.getJsonArray("symbols");
    if (symbols == null)
      throw ExchangeHttpException.badPayload("binance", "exchangeInfo without symbols");
    MarketRule rule = SPEC.markets();
    return Instrument.fromRows(
        "binance",
        symbols,
        s ->
            new Instrument(
                s.getString("symbol"),
                rule.canonicalAsset(s.getString("baseAsset", "")),
                rule.canonicalAsset(s.getString("quoteAsset", "")),
                "TRADING".equals(s.getString("status"))));
  }
}
