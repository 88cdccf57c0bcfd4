package oracle.exchange;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
          BybitAdapter::new);

  public BybitAdapter(WebClient client, SourceSettings settings, List<String> symbols) {
    super(client, settings, symbols);
  }

  @Override
  public Future<List<Quote>> fetchQuotes(List<String> symbols) {
    if (symbols.stream().noneMatch(markets::lists)) return Future.succeededFuture(List.of());
    return get("/v5/market/tickers", "category", "spot")
        .compose(
            buf -> parse(buf, b -> parseTickers(b.toJsonObject(), markets, Set.copyOf(symbols))));
  }

  /**
   * {@code
   * {"retCode":0,"result":{"list":[{"symbol","lastPrice","bid1Price","ask1Price","turnover24h",..}]},"time":ms}}.
   */
  public static List<Quote> parseTickers(JsonObject body, MarketMap markets, Set<String> wanted) {
    JsonObject result = resultOf(body);
    long ts = longNum(body.getValue("time"), System.currentTimeMillis());
    JsonArray list = result.getJsonArray("list", new JsonArray());
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonObject t = list.getJsonObject(i);
      for (String symbol : markets.symbols(t.getString("symbol"))) {
        if (!wanted.contains(symbol)) continue;
        out.add(
            new Quote(
                "bybit",
                symbol,
                markets.market(symbol).quoteCurrency(),
                num(t.getValue("lastPrice")),
                num(t.getValue("bid1Price")),
                num(t.getValue("ask1Price")),
                ts,
                num(t.getValue("turnover24h")),
                Double.NaN));
      }
    }
    return out;
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
