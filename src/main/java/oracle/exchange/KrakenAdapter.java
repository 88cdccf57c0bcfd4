package oracle.exchange;

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

/**
 * Kraken spot. Quotes: {@code GET /0/public/Ticker} (a {@code pair=} list up to 50 markets,
 * otherwise every pair). Kraken's ticker has no timestamp, so the receive time is used. Its answer
 * may name a pair by the legacy id ({@code XXBTZUSD} for {@code XBTUSD}); both are matched. Klines:
 * {@code GET /0/public/OHLC?interval=1} (the most recent 720 minutes).
 */
public final class KrakenAdapter extends HttpExchangeAdapter {
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

  /** As {@link #parseTickers(Buffer, MarketMap, java.util.Set, long)}, from a parsed tree. */
  public static List<Quote> parseTickers(
      JsonObject body, MarketMap markets, java.util.Set<String> wanted, long receivedMs) {
    return parseTickers(body.toBuffer(), markets, wanted, receivedMs);
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
      throw new ExchangeHttpException("kraken", 0, errors.encode());
    }
    return result;
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
      JsonArray rows = result.getJsonArray(key);
      for (int i = 0; i < rows.size(); i++) {
        JsonArray r = rows.getJsonArray(i);
        out.add(
            new Kline(
                "kraken",
                symbol,
                longNum(r.getValue(0), 0),
                num(r.getValue(1)),
                num(r.getValue(2)),
                num(r.getValue(3)),
                num(r.getValue(4)),
                num(r.getValue(6))));
      }
    }
    return out;
  }
}
