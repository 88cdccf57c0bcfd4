package oracle.exchange.upbit;

import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import oracle.exchange.ExchangeSpec;
import oracle.exchange.HttpExchangeAdapter;
import oracle.exchange.Instrument;
import oracle.exchange.InstrumentEndpoint;
import oracle.exchange.Kline;
import oracle.exchange.Market;
import oracle.exchange.MarketMap;
import oracle.exchange.MarketRule;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.exchange.TickerJson;

/**
 * Upbit (KRW markets; the aggregator converts through the configured USDT/KRW rate). Quotes: one
 * request per tick, {@code GET /v1/ticker?markets=KRW-BTC,KRW-ETH,...} for up to {@value
 * #MARKETS_PER_REQUEST} markets, otherwise {@code GET /v1/ticker/all?quote_currencies=KRW} (every
 * market of those quote currencies). Upbit gives no bid/ask there. Klines: {@code GET
 * /v1/candles/minutes/1}, 200 per request, newest first.
 */
public final class UpbitAdapter extends HttpExchangeAdapter {
  /** Public limit 10 requests per second. */
  public static final ExchangeSpec SPEC =
      ExchangeSpec.cex(
          "upbit",
          "https://api.upbit.com",
          8,
          new UpbitMarkets(),
          InstrumentEndpoint.get(
              "/v1/market/all", b -> UpbitAdapter.parseInstruments(b.toJsonArray())),
          UpbitAdapter::new,
          UpbitFake::routes);

  /**
   * Every symbol is read from its base's KRW market ({@code KRW-BTC} for BTC/USDT, converted
   * through the USDT/KRW rate); a configured id {@code QUOTE-BASE} is quoted in its prefix.
   */
  static final class UpbitMarkets implements MarketRule {
    @Override
    public Market derive(String base, String quote) {
      return new Market("KRW-" + base, "KRW");
    }

    @Override
    public String quoteOfId(String marketId, String symbolQuote) {
      return marketId.contains("-") ? marketId.substring(0, marketId.indexOf('-')) : symbolQuote;
    }
  }

  static final int MARKETS_PER_REQUEST = 100;

  public UpbitAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, symbols);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    List<String> ids = marketIds(symbols);
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    Set<String> wanted = wanted(symbols);
    Future<io.vertx.core.buffer.Buffer> body;
    if (ids.size() <= MARKETS_PER_REQUEST) {
      body = get("/v1/ticker", "markets", String.join(",", ids));
    } else {
      Set<String> quotes = new java.util.TreeSet<>();
      ids.forEach(id -> quotes.add(id.substring(0, Math.max(0, id.indexOf('-')))));
      body = get("/v1/ticker/all", "quote_currencies", String.join(",", quotes));
    }
    return body.compose(buf -> parse(buf, b -> parseTickers(b, markets, wanted)));
  }

  /**
   * {@code [{"market":"KRW-BTC","trade_price":..,"acc_trade_price_24h":..,"timestamp":ms,..}]},
   * read in one streaming pass ({@link TickerJson}); timestamped with {@code trade_timestamp}, else
   * {@code timestamp}, else now.
   */
  public static List<Quote> parseTickers(Buffer body, MarketMap markets, Set<String> wanted) {
    return TickerJson.read(
        body,
        p -> {
          TickerJson.expect(p, JsonToken.START_ARRAY, "upbit tickers");
          List<Quote> out = new ArrayList<>();
          long now = System.currentTimeMillis();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            TickerJson.expect(p, JsonToken.START_OBJECT, "upbit ticker");
            String id = null;
            double price = Double.NaN;
            double turnover = Double.NaN;
            long tradeTs = Long.MIN_VALUE;
            long ts = Long.MIN_VALUE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              switch (field) {
                case "market" -> id = TickerJson.string(p);
                case "trade_price" -> price = TickerJson.num(p);
                case "acc_trade_price_24h" -> turnover = TickerJson.num(p);
                case "trade_timestamp" -> tradeTs = TickerJson.longNum(p, Long.MIN_VALUE);
                case "timestamp" -> ts = TickerJson.longNum(p, Long.MIN_VALUE);
                default -> p.skipChildren();
              }
            }
            long when = tradeTs != Long.MIN_VALUE ? tradeTs : ts != Long.MIN_VALUE ? ts : now;
            for (String symbol : markets.symbols(id)) {
              if (!wanted.contains(symbol)) continue;
              out.add(
                  new Quote(
                      "upbit",
                      symbol,
                      markets.market(symbol).quoteCurrency(),
                      price,
                      Double.NaN,
                      Double.NaN,
                      when,
                      turnover,
                      Double.NaN));
            }
          }
          return out;
        });
  }

  @Override
  protected int klinesPerRequest() {
    return 200;
  }

  @Override
  protected Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec) {
    long count = (toSec - fromSec) / 60 + 1;
    // "to" is exclusive: the newest candle returned starts before it.
    return get(
            "/v1/candles/minutes/1",
            "market",
            market.id(),
            "to",
            Instant.ofEpochSecond(toSec + 60).toString(),
            "count",
            Long.toString(count))
        .map(b -> parseKlines(b.toJsonArray(), symbol));
  }

  /**
   * {@code
   * [{"candle_date_time_utc":"2024-01-01T00:00:00","opening_price",..,"candle_acc_trade_volume"}]}.
   */
  public static List<Kline> parseKlines(JsonArray rows, String symbol) {
    List<Kline> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      long time =
          LocalDateTime.parse(r.getString("candle_date_time_utc")).toEpochSecond(ZoneOffset.UTC);
      out.add(
          new Kline(
              "upbit",
              symbol,
              time,
              num(r.getValue("opening_price")),
              num(r.getValue("high_price")),
              num(r.getValue("low_price")),
              num(r.getValue("trade_price")),
              num(r.getValue("candle_acc_trade_volume"))));
    }
    return out;
  }

  /**
   * {@code GET /v1/market/all}: {@code
   * [{"market":"KRW-BTC","korean_name":"비트코인","english_name":"Bitcoin"}]}; the market id is
   * quote-base, and Upbit lists only markets open for trading.
   */
  public static List<Instrument> parseInstruments(JsonArray markets) {
    MarketRule rule = SPEC.markets();
    return Instrument.fromRows(
        "upbit",
        markets,
        m -> {
          String id = m.getString("market", "");
          int dash = id.indexOf('-');
          if (dash <= 0) return null;
          return new Instrument(
              id,
              rule.canonicalAsset(id.substring(dash + 1)),
              rule.canonicalAsset(id.substring(0, dash)),
              true);
        });
  }
}
