package oracle.exchange.okx;

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
 * OKX spot. Quotes: {@code GET /api/v5/market/tickers?instType=SPOT} (every market, one request).
 * Klines: {@code GET /api/v5/market/candles?bar=1m} for the last day, {@code history-candles}
 * before that; 100 per request, rows {@code [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]}
 * newest first.
 */
public final class OkxAdapter extends HttpExchangeAdapter {
  /** Public limit 20 requests per 2 s per endpoint. */
  public static final ExchangeSpec SPEC =
      ExchangeSpec.cex(
          "okx",
          "https://www.okx.com",
          8,
          MarketRule.joined("-"),
          InstrumentEndpoint.get(
              "/api/v5/public/instruments",
              b -> OkxAdapter.parseInstruments(b.toJsonObject()),
              "instType",
              "SPOT"),
          OkxAdapter::new,
          OkxFake::routes);

  public OkxAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, symbols);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    if (marketIds(symbols).isEmpty()) return Future.succeededFuture(List.of());
    Set<String> wanted = wanted(symbols);
    return get("/api/v5/market/tickers", "instType", "SPOT")
        .compose(buf -> parse(buf, b -> parseTickers(b, markets, wanted)));
  }

  /**
   * {@code {"code":"0","data":[{"instId","last","bidPx","askPx","volCcy24h","ts",...}]}}; volCcy24h
   * is quote volume for SPOT. Read in one streaming pass ({@link TickerJson}); the envelope's code
   * is checked once the whole answer is read (it may come after the data).
   */
  public static List<Quote> parseTickers(Buffer body, MarketMap markets, Set<String> wanted) {
    return TickerJson.read(
        body,
        p -> {
          TickerJson.expect(p, JsonToken.START_OBJECT, "okx answer");
          List<Quote> out = new ArrayList<>();
          Object code = null;
          String msg = null;
          boolean hasData = false;
          long now = System.currentTimeMillis();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
              case "code" -> code = TickerJson.scalar(p);
              case "msg" -> msg = String.valueOf(TickerJson.string(p));
              case "data" -> {
                hasData = p.currentToken() != JsonToken.VALUE_NULL;
                if (hasData) readData(p, markets, wanted, now, out);
              }
              default -> p.skipChildren();
            }
          }
          // The envelope alone (its data already read), judged by the same rule as the klines'.
          JsonObject envelope = new JsonObject().put("code", code);
          if (msg != null) envelope.put("msg", msg);
          dataOf(envelope.put("data", hasData ? new JsonArray() : null));
          return out;
        });
  }

  private static void readData(
      JsonParser p, MarketMap markets, Set<String> wanted, long now, List<Quote> out)
      throws IOException {
    TickerJson.expect(p, JsonToken.START_ARRAY, "okx data");
    while (p.nextToken() != JsonToken.END_ARRAY) {
      TickerJson.expect(p, JsonToken.START_OBJECT, "okx ticker");
      String id = null;
      double last = Double.NaN;
      double bid = Double.NaN;
      double ask = Double.NaN;
      double volCcy = Double.NaN;
      long ts = now;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "instId" -> id = TickerJson.string(p);
          case "last" -> last = TickerJson.num(p);
          case "bidPx" -> bid = TickerJson.num(p);
          case "askPx" -> ask = TickerJson.num(p);
          case "volCcy24h" -> volCcy = TickerJson.num(p);
          case "ts" -> ts = TickerJson.longNum(p, now);
          default -> p.skipChildren();
        }
      }
      for (String symbol : markets.symbols(id)) {
        if (!wanted.contains(symbol)) continue;
        out.add(
            new Quote(
                "okx",
                symbol,
                markets.market(symbol).quoteCurrency(),
                last,
                bid,
                ask,
                ts,
                volCcy,
                Double.NaN));
      }
    }
  }

  private static JsonArray dataOf(JsonObject body) {
    String code = String.valueOf(body.getValue("code"));
    JsonArray data = body.getJsonArray("data");
    if (!"0".equals(code) || data == null)
      throw ExchangeHttpException.inBody(
          "okx", errorKind(code), "code " + code + " " + body.getString("msg", ""));
    return data;
  }

  /**
   * OKX codes: 50011 / 50061 too many requests, 50001 / 50004 / 50013 / 50026 service unavailable,
   * timeout, busy; code 0 without {@code data} is a broken payload.
   */
  static ExchangeHttpException.Kind errorKind(String code) {
    return switch (code) {
      case "50011", "50061" -> ExchangeHttpException.Kind.RATE_LIMITED;
      case "50001", "50004", "50013", "50026" -> ExchangeHttpException.Kind.UNAVAILABLE;
      case "0" -> ExchangeHttpException.Kind.BAD_PAYLOAD;
      default -> ExchangeHttpException.Kind.REJECTED;
    };
  }

  @Override
  protected int klinesPerRequest() {
    return 100;
  }

  @Override
  protected Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec) {
    boolean recent = fromSec > System.currentTimeMillis() / 1000 - 86_000;
    // after/before are exclusive bounds on the bar's open time, in ms.
    return get(
            recent ? "/api/v5/market/candles" : "/api/v5/market/history-candles",
            "instId",
            market.id(),
            "bar",
            "1m",
            "after",
            Long.toString((toSec + 60) * 1000),
            "before",
            Long.toString(fromSec * 1000 - 1),
            "limit",
            "100")
        .map(b -> parseKlines(b.toJsonObject(), symbol));
  }

  public static List<Kline> parseKlines(JsonObject body, String symbol) {
    return KlineRows.MS_OHLCV.parse("okx", symbol, dataOf(body));
  }

  /**
   * {@code GET /api/v5/public/instruments?instType=SPOT}: {@code
   * {"code":"0","data":[{"instId":"BTC-USDT","baseCcy":"BTC","quoteCcy":"USDT","state":"live",..}]}}.
   */
  public static List<Instrument> parseInstruments(JsonObject body) {
    Object code = body.getValue("code");
    if (!"0".equals(String.valueOf(code)))
      throw ExchangeHttpException.inBody(
          "okx", errorKind(String.valueOf(code)), body.getString("msg", "code " + code));
    MarketRule rule = SPEC.markets();
    return Instrument.fromRows(
        "okx",
        body.getJsonArray("data", new JsonArray()),
        d ->
            !"SPOT".equals(d.getString("instType", "SPOT"))
                ? null
                : new Instrument(
                    d.getString("instId"),
                    rule.canonicalAsset(d.getString("baseCcy", "")),
                    rule.canonicalAsset(d.getString("quoteCcy", "")),
                    "live".equals(d.getString("state"))));
  }
}
