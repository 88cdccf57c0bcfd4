package oracle.exchange.bybit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Bybit v5 spot. Quotes: {@code GET /v5/market/tickers?category=spot} (every market, one request;
 * the envelope's {@code time} is the timestamp). Klines: {@code GET /v5/market/kline?interval=1},
 * 1000 per request, rows {@code [startTime, open, high, low, close, volume, turnover]} newest
 * first.
 */
public final class BybitAdapter extends HttpExchangeAdapter {
  /** Public limit 600 requests per 5 s. */
  public static final ExchangeSpec SPEC =
      ExchangeSpec.cex(
          "bybit",
          "https://api.bybit.com",
          20,
          MarketRule.joined(""),
          InstrumentEndpoint.get(
              "/v5/market/instruments-info",
              b -> BybitAdapter.parseInstruments(b.toJsonObject()),
              "category",
              "spot"),
          BybitAdapter::new,
          BybitFake::routes);

  public BybitAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, symbols);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    if (marketIds(symbols).isEmpty()) return Future.succeededFuture(List.of());
    Set<String> wanted = wanted(symbols);
    return get("/v5/market/tickers", "category", "spot")
        .compose(buf -> parse(buf, b -> parseTickers(b, markets, wanted)));
  }

  /**
   * {@code
   * {"retCode":0,"result":{"list":[{"symbol","lastPrice","bid1Price","ask1Price","turnover24h",..}]},"time":ms}},
   * read in one streaming pass ({@link TickerJson}); every quote takes the envelope's {@code time},
   * which comes after the list.
   */
  public static List<Quote> parseTickers(Buffer body, MarketMap markets, Set<String> wanted) {
    return TickerJson.read(
        body,
        p -> {
          TickerJson.expect(p, JsonToken.START_OBJECT, "bybit answer");
          List<Quote> read = new ArrayList<>();
          Object retCode = null;
          String retMsg = null;
          boolean hasResult = false;
          long time = Long.MIN_VALUE;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
              case "retCode" -> retCode = TickerJson.scalar(p);
              case "retMsg" -> retMsg = String.valueOf(TickerJson.string(p));
              case "time" -> time = TickerJson.longNum(p, Long.MIN_VALUE);
              case "result" -> {
                hasResult = p.currentToken() != JsonToken.VALUE_NULL;
                if (hasResult) readResult(p, markets, wanted, read);
              }
              default -> p.skipChildren();
            }
          }
          // The envelope alone (its list already read), judged by the same rule as the klines'.
          JsonObject envelope = new JsonObject().put("retCode", retCode);
          if (retMsg != null) envelope.put("retMsg", retMsg);
          resultOf(envelope.put("result", hasResult ? new JsonObject() : null));
          long ts = time == Long.MIN_VALUE ? System.currentTimeMillis() : time;
          List<Quote> out = new ArrayList<>(read.size());
          for (Quote q : read)
            out.add(
                new Quote(
                    q.exchange(),
                    q.symbol(),
                    q.quoteCurrency(),
                    q.price(),
                    q.bid(),
                    q.ask(),
                    ts,
                    q.liquidity(),
                    q.minuteVolume()));
          return out;
        });
  }

  /** {@code result}: its {@code list} of tickers, as quotes without their timestamp yet. */
  private static void readResult(
      JsonParser p, MarketMap markets, Set<String> wanted, List<Quote> out) throws IOException {
    TickerJson.expect(p, JsonToken.START_OBJECT, "bybit result");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (!field.equals("list") || p.currentToken() == JsonToken.VALUE_NULL) {
        p.skipChildren();
        continue;
      }
      TickerJson.expect(p, JsonToken.START_ARRAY, "bybit list");
      while (p.nextToken() != JsonToken.END_ARRAY) {
        TickerJson.expect(p, JsonToken.START_OBJECT, "bybit ticker");
        String id = null;
        double last = Double.NaN;
        double bid = Double.NaN;
        double ask = Double.NaN;
        double turnover = Double.NaN;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          switch (name) {
            case "symbol" -> id = TickerJson.string(p);
            case "lastPrice" -> last = TickerJson.num(p);
            case "bid1Price" -> bid = TickerJson.num(p);
            case "ask1Price" -> ask = TickerJson.num(p);
            case "turnover24h" -> turnover = TickerJson.num(p);
            default -> p.skipChildren();
          }
        }
        for (String symbol : markets.symbols(id)) {
          if (!wanted.contains(symbol)) continue;
          out.add(
              new Quote(
                  "bybit",
                  symbol,
                  markets.market(symbol).quoteCurrency(),
                  last,
                  bid,
                  ask,
                  0,
                  turnover,
                  Double.NaN));
        }
      }
    }
  }

  private static JsonObject resultOf(JsonObject body) {
    Object code = body.getValue("retCode");
    JsonObject result = body.getJsonObject("result");
    if (longNum(code, -1) != 0 || result == null)
      throw ExchangeHttpException.inBody(
          "bybit",
          errorKind(longNum(code, -1)),
          "retCode " + code + " " + body.getString("retMsg", ""));
    return result;
  }

  /**
   * Bybit v5 return codes: 10006 / 10018 too many requests, 10000 / 10016 server timeout or error;
   * code 0 without a result is a broken payload.
   */
  static ExchangeHttpException.Kind errorKind(long retCode) {
    if (retCode == 10006 || retCode == 10018) return ExchangeHttpException.Kind.RATE_LIMITED;
    if (retCode == 10000 || retCode == 10016) return ExchangeHttpException.Kind.UNAVAILABLE;
    return retCode == 0
        ? ExchangeHttpException.Kind.BAD_PAYLOAD
        : ExchangeHttpException.Kind.REJECTED;
  }

  @Override
  protected int klinesPerRequest() {
    return 1000;
  }

  @Override
  protected Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec) {
    return get(
            "/v5/market/kline",
            "category",
            "spot",
            "symbol",
            market.id(),
            "interval",
            "1",
            "start",
            Long.toString(fromSec * 1000),
            "end",
            Long.toString(toSec * 1000),
            "limit",
            "1000")
        .map(b -> parseKlines(b.toJsonObject(), symbol));
  }

  public static List<Kline> parseKlines(JsonObject body, String symbol) {
    return KlineRows.MS_OHLCV.parse(
        "bybit", symbol, resultOf(body).getJsonArray("list", new JsonArray()));
  }

  /**
   * {@code GET /v5/market/instruments-info?category=spot}: {@code
   * {"retCode":0,"result":{"list":[{"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT","status":"Trading",..}]}}}.
   */
  public static List<Instrument> parseInstruments(JsonObject body) {
    Object code = body.getValue("retCode");
    if (!(code instanceof Number n) || n.intValue() != 0)
      throw ExchangeHttpException.inBody(
          "bybit", errorKind(longNum(code, -1)), body.getString("retMsg", "retCode " + code));
    JsonObject result = body.getJsonObject("result", new JsonObject());
    MarketRule rule = SPEC.markets();
    return Instrument.fromRows(
        "bybit",
        result.getJsonArray("list", new JsonArray()),
        s ->
            new Instrument(
                s.getString("symbol"),
                rule.canonicalAsset(s.getString("baseCoin", "")),
                rule.canonicalAsset(s.getString("quoteCoin", "")),
                "Trading".equals(s.getString("status"))));
  }
}
