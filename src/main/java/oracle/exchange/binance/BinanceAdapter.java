package oracle.exchange.binance;

import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
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
import oracle.exchange.MarketMap;
import oracle.exchange.MarketRule;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.exchange.TickerJson;

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
          BinanceAdapter::new,
          BinanceFake::routes);

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
    java.util.Set<String> wanted = wanted(symbols);
    return body.compose(
        buf -> parse(buf, b -> parseTickers(b, markets, wanted, System.currentTimeMillis())));
  }

  /**
   * {@code [{"symbol","lastPrice","bidPrice","askPrice","quoteVolume","closeTime",..}, ...]}, read
   * in one streaming pass ({@link TickerJson}); the quote is timestamped with {@code closeTime}.
   */
  public static List<Quote> parseTickers(
      Buffer body, MarketMap markets, java.util.Set<String> wanted, long receivedMs) {
    return TickerJson.read(
        body,
        p -> {
          TickerJson.expect(p, JsonToken.START_ARRAY, "binance tickers");
          List<Quote> out = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            TickerJson.expect(p, JsonToken.START_OBJECT, "binance ticker");
            String id = null;
            double last = Double.NaN;
            double bid = Double.NaN;
            double ask = Double.NaN;
            double quoteVolume = Double.NaN;
            long closeTime = receivedMs;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              switch (field) {
                case "symbol" -> id = TickerJson.string(p);
                case "lastPrice" -> last = TickerJson.num(p);
                case "bidPrice" -> bid = TickerJson.num(p);
                case "askPrice" -> ask = TickerJson.num(p);
                case "quoteVolume" -> quoteVolume = TickerJson.num(p);
                case "closeTime" -> closeTime = TickerJson.longNum(p, receivedMs);
                default -> p.skipChildren();
              }
            }
            for (String symbol : markets.symbols(id)) {
              if (!wanted.contains(symbol)) continue;
              out.add(
                  new Quote(
                      "binance",
                      symbol,
                      markets.market(symbol).quoteCurrency(),
                      last,
                      bid,
                      ask,
                      closeTime,
                      quoteVolume,
                      Double.NaN));
            }
          }
          return out;
        });
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
    return KlineRows.BINANCE.parse("binance", symbol, rows);
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
