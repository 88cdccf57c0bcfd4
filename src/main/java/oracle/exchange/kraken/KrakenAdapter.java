package oracle.exchange.kraken;

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
 * Kraken spot. Quotes: {@code GET /0/public/Ticker} (a {@code pair=} list up to 50 markets,
 * otherwise every pair). Kraken's ticker has no timestamp, so the receive time is used. Its answer
 * may name a pair by the legacy id ({@code XXBTZUSD} for {@code XBTUSD}); both are matched. Klines:
 * {@code GET /0/public/OHLC?interval=1} (the most recent 720 minutes).
 */
public final class KrakenAdapter extends HttpExchangeAdapter {
  /** Public limit about 1 request per second. */
  public static final ExchangeSpec SPEC =
      ExchangeSpec.cex(
          "kraken",
          "https://api.kraken.com",
          1,
          new KrakenMarkets(),
          InstrumentEndpoint.get(
              "/0/public/AssetPairs", b -> KrakenAdapter.parseInstruments(b.toJsonObject())),
          KrakenAdapter::new,
          KrakenFake::routes);

  /**
   * Kraken calls bitcoin XBT and dogecoin XDG ({@code XBTUSDT}); its legacy asset names (as in
   * {@code AssetPairs} {@code base}/{@code quote}) are X/Z + a 3-letter code ({@code XXBT}, {@code
   * ZUSD}).
   */
  static final class KrakenMarkets implements MarketRule {
    private static final java.util.Set<String> LEGACY =
        java.util.Set.of(
            "XXBT", "XXDG", "XETH", "XETC", "XLTC", "XXRP", "XXLM", "XXMR", "XZEC", "XMLN", "XREP",
            "ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY", "ZAUD", "ZCHF");

    @Override
    public Market derive(String base, String quote) {
      return new Market(alt(base) + alt(quote), quote);
    }

    private static String alt(String asset) {
      return switch (asset) {
        case "BTC" -> "XBT";
        case "DOGE" -> "XDG";
        default -> asset;
      };
    }

    @Override
    public String canonicalAsset(String asset) {
      String a = asset.toUpperCase(java.util.Locale.ROOT);
      if (LEGACY.contains(a)) a = a.substring(1);
      return switch (a) {
        case "XBT" -> "BTC";
        case "XDG" -> "DOGE";
        default -> a;
      };
    }
  }

  public KrakenAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, symbols);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    List<String> ids = marketIds(symbols);
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    Future<io.vertx.core.buffer.Buffer> body =
        ids.size() <= 50
            ? get("/0/public/Ticker", "pair", String.join(",", ids))
            : get("/0/public/Ticker");
    java.util.Set<String> wanted = wanted(symbols);
    return body.compose(
        buf -> parse(buf, b -> parseTickers(b, markets, wanted, System.currentTimeMillis())));
  }

  /**
   * {@code
   * {"error":[],"result":{"XBTUSDT":{"a":[ask,..],"b":[bid,..],"c":[last,vol],"v":[today,24h],"p":[vwapToday,vwap24h],..}}}},
   * read in one streaming pass ({@link TickerJson}); the error list is judged once the whole answer
   * is read (it may come after the result).
   */
  public static List<Quote> parseTickers(
      Buffer body, MarketMap markets, java.util.Set<String> wanted, long receivedMs) {
    return TickerJson.read(
        body,
        p -> {
          TickerJson.expect(p, JsonToken.START_OBJECT, "kraken answer");
          List<Quote> out = new ArrayList<>();
          JsonArray errors = new JsonArray();
          boolean hasResult = false;
          int pairs = 0;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
              case "error" -> errors = TickerJson.smallArray(p, "kraken error");
              case "result" -> {
                hasResult = p.currentToken() != JsonToken.VALUE_NULL;
                if (hasResult) pairs = readResult(p, markets, wanted, receivedMs, out);
              }
              default -> p.skipChildren();
            }
          }
          // The envelope alone (its pairs already read), judged by the same rule as the klines'.
          JsonObject result = new JsonObject();
          if (pairs > 0) result.put("pairs", pairs);
          resultOf(new JsonObject().put("error", errors).put("result", hasResult ? result : null));
          return out;
        });
  }

  /** The pairs of {@code result} as quotes; returns how many pairs it holds. */
  private static int readResult(
      JsonParser p,
      MarketMap markets,
      java.util.Set<String> wanted,
      long receivedMs,
      List<Quote> out)
      throws IOException {
    TickerJson.expect(p, JsonToken.START_OBJECT, "kraken result");
    int pairs = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      pairs++;
      List<String> symbols = markets.symbols(key);
      if (symbols.isEmpty()) symbols = markets.symbols(legacyToAltname(key));
      if (p.currentToken() == JsonToken.VALUE_NULL && symbols.stream().noneMatch(wanted::contains))
        continue;
      TickerJson.expect(p, JsonToken.START_OBJECT, "kraken ticker " + key);
      double last = Double.NaN;
      double bid = Double.NaN;
      double ask = Double.NaN;
      double volume24h = Double.NaN;
      double vwap24h = Double.NaN;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "c" -> last = TickerJson.numAt(p, 0, "kraken c");
          case "b" -> bid = TickerJson.numAt(p, 0, "kraken b");
          case "a" -> ask = TickerJson.numAt(p, 0, "kraken a");
          case "v" -> volume24h = TickerJson.numAt(p, 1, "kraken v");
          case "p" -> vwap24h = TickerJson.numAt(p, 1, "kraken p");
          default -> p.skipChildren();
        }
      }
      for (String symbol : symbols) {
        if (!wanted.contains(symbol)) continue;
        out.add(
            new Quote(
                "kraken",
                symbol,
                markets.market(symbol).quoteCurrency(),
                last,
                bid,
                ask,
                receivedMs,
                times(volume24h, vwap24h),
                Double.NaN));
      }
    }
    return pairs;
  }

  /** {@code XXBTZUSD} → {@code XBTUSD}: Kraken's legacy ids put X/Z before 3-letter asset codes. */
  static String legacyToAltname(String key) {
    if (key.length() == 8
        && (key.charAt(0) == 'X' || key.charAt(0) == 'Z')
        && (key.charAt(4) == 'X' || key.charAt(4) == 'Z')) {
      return key.substring(1, 4) + key.substring(5);
    }
    return key;
  }

  private static JsonObject resultOf(JsonObject body) {
    JsonArray errors = body.getJsonArray("error", new JsonArray());
    JsonObject result = body.getJsonObject("result");
    if (result == null || (!errors.isEmpty() && result.isEmpty())) {
      throw ExchangeHttpException.inBody("kraken", errorKind(errors), errors.encode());
    }
    return result;
  }

  /**
   * Kraken's error strings: {@code EAPI:Rate limit exceeded}, {@code EGeneral:Too many requests}
   * (rate limited), {@code EService:Unavailable} / {@code EService:Busy} (down); none at all: a
   * payload without {@code result}.
   */
  static ExchangeHttpException.Kind errorKind(JsonArray errors) {
    String all = errors.encode();
    if (all.contains("Rate limit") || all.contains("Too many requests"))
      return ExchangeHttpException.Kind.RATE_LIMITED;
    if (all.contains("EService:")) return ExchangeHttpException.Kind.UNAVAILABLE;
    return errors.isEmpty()
        ? ExchangeHttpException.Kind.BAD_PAYLOAD
        : ExchangeHttpException.Kind.REJECTED;
  }

  @Override
  protected int klinesPerRequest() {
    return 720;
  }

  @Override
  protected Future<List<Kline>> fetchKlinePage(
      String symbol, Market market, long fromSec, long toSec) {
    return get(
            "/0/public/OHLC",
            "pair",
            market.id(),
            "interval",
            "1",
            "since",
            Long.toString(fromSec - 1))
        .map(b -> parseKlines(b.toJsonObject(), symbol));
  }

  /**
   * {@code result: {"<pair>": [[time, open, high, low, close, vwap, volume, count], ...], "last":
   * n}}.
   */
  public static List<Kline> parseKlines(JsonObject body, String symbol) {
    JsonObject result = resultOf(body);
    List<Kline> out = new ArrayList<>();
    for (String key : result.fieldNames()) {
      if (key.equals("last")) continue;
      if (!(result.getValue(key) instanceof JsonArray rows))
        throw ExchangeHttpException.badPayload("kraken", "OHLC " + key + " is not an array");
      out.addAll(ROWS.parse("kraken", symbol, rows));
    }
    return out;
  }

  /** Rows {@code [time, open, high, low, close, vwap, volume, count]}, time in seconds. */
  private static final KlineRows ROWS = new KlineRows(false, 1, 2, 3, 4, 6, 7);

  /**
   * {@code GET /0/public/AssetPairs}: {@code
   * {"error":[],"result":{"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD",
   * "base":"XXBT","quote":"ZUSD","status":"online",..}}}}. The market id is the altname (what the
   * ticker takes); assets come from {@code wsname} (altnames) or else the legacy {@code
   * base}/{@code quote}; {@code .d} dark pools are skipped.
   */
  public static List<Instrument> parseInstruments(JsonObject body) {
    JsonObject result = resultOf(body);
    MarketRule rule = SPEC.markets();
    List<Instrument> out = new ArrayList<>(result.size());
    for (String key : result.fieldNames()) {
      if (!(result.getValue(key) instanceof JsonObject p))
        throw ExchangeHttpException.badPayload("kraken", "pair " + key + " is not an object");
      String altname = p.getString("altname", key);
      if (key.endsWith(".d") || altname.endsWith(".d")) continue;
      String ws = p.getString("wsname");
      boolean hasWs = ws != null && ws.indexOf('/') > 0;
      String base = hasWs ? ws.substring(0, ws.indexOf('/')) : p.getString("base", "");
      String quote = hasWs ? ws.substring(ws.indexOf('/') + 1) : p.getString("quote", "");
      // Absent status: older answers predate the field, and then every listed pair traded.
      boolean trading = "online".equals(p.getString("status", "online"));
      out.add(
          new Instrument(altname, rule.canonicalAsset(base), rule.canonicalAsset(quote), trading));
    }
    return out;
  }
}
