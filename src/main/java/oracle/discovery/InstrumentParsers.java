package oracle.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.exchange.ExchangeHttpException;
import oracle.exchange.MarketIds;

/**
 * Parsers of each exchange's instrument (market list) answer. Pure functions of the body, so tests
 * feed them recorded answers; large bodies are parsed off the event loop by the caller.
 */
public final class InstrumentParsers {
  private InstrumentParsers() {}

  public static List<Instrument> parse(String exchange, io.vertx.core.buffer.Buffer body) {
    return switch (exchange) {
      case "binance" -> binance(body.toJsonObject());
      case "coinbase" -> coinbase(body.toJsonArray());
      case "kraken" -> kraken(body.toJsonObject());
      case "okx" -> okx(body.toJsonObject());
      case "bybit" -> bybit(body.toJsonObject());
      case "upbit" -> upbit(body.toJsonArray());
      default -> throw new IllegalArgumentException("no instrument endpoint for " + exchange);
    };
  }

  /**
   * {@code GET /api/v3/exchangeInfo}: {@code
   * {"symbols":[{"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT",..}]}}.
   */
  public static List<Instrument> binance(JsonObject body) {
    JsonArray symbols = body.getJsonArray("symbols");
    if (symbols == null)
      throw new ExchangeHttpException("binance", 0, "exchangeInfo without symbols");
    List<Instrument> out = new ArrayList<>(symbols.size());
    for (int i = 0; i < symbols.size(); i++) {
      JsonObject s = symbols.getJsonObject(i);
      out.add(
          new Instrument(
              s.getString("symbol"),
              MarketIds.canonicalAsset("binance", s.getString("baseAsset", "")),
              MarketIds.canonicalAsset("binance", s.getString("quoteAsset", "")),
              "TRADING".equals(s.getString("status"))));
    }
    return out;
  }

  /**
   * {@code GET /products}: {@code
   * [{"id":"BTC-USD","base_currency":"BTC","quote_currency":"USD","status":"online","trading_disabled":false,..}]}.
   */
  public static List<Instrument> coinbase(JsonArray products) {
    List<Instrument> out = new ArrayList<>(products.size());
    for (int i = 0; i < products.size(); i++) {
      JsonObject p = products.getJsonObject(i);
      boolean trading =
          "online".equals(p.getString("status"))
              && !Boolean.TRUE.equals(p.getBoolean("trading_disabled"));
      out.add(
          new Instrument(
              p.getString("id"),
              MarketIds.canonicalAsset("coinbase", p.getString("base_currency", "")),
              MarketIds.canonicalAsset("coinbase", p.getString("quote_currency", "")),
              trading));
    }
    return out;
  }

  /**
   * {@code GET /0/public/AssetPairs}: {@code
   * {"error":[],"result":{"XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD",
   * "base":"XXBT","quote":"ZUSD","status":"online",..}}}}. The market id is the altname (what the
   * ticker takes); assets come from {@code wsname} (altnames) or else the legacy {@code
   * base}/{@code quote}; {@code .d} dark pools are skipped.
   */
  public static List<Instrument> kraken(JsonObject body) {
    JsonArray errors = body.getJsonArray("error", new JsonArray());
    JsonObject result = body.getJsonObject("result");
    if (result == null || (!errors.isEmpty() && result.isEmpty()))
      throw new ExchangeHttpException("kraken", 0, errors.encode());
    List<Instrument> out = new ArrayList<>(result.size());
    for (String key : result.fieldNames()) {
      JsonObject p = result.getJsonObject(key);
      String altname = p.getString("altname", key);
      if (key.endsWith(".d") || altname.endsWith(".d")) continue;
      String ws = p.getString("wsname");
      String base;
      String quote;
      if (ws != null && ws.indexOf('/') > 0) {
        base = ws.substring(0, ws.indexOf('/'));
        quote = ws.substring(ws.indexOf('/') + 1);
      } else {
        base = p.getString("base", "");
        quote = p.getString("quote", "");
      }
      // Absent status: older answers predate the field, and then every listed pair traded.
      boolean trading = "online".equals(p.getString("status", "online"));
      out.add(
          new Instrument(
              altname,
              MarketIds.canonicalAsset("kraken", base),
              MarketIds.canonicalAsset("kraken", quote),
              trading));
    }
    return out;
  }

  /**
   * {@code GET /api/v5/public/instruments?instType=SPOT}: {@code
   * {"code":"0","data":[{"instId":"BTC-USDT","baseCcy":"BTC","quoteCcy":"USDT","state":"live",..}]}}.
   */
  public static List<Instrument> okx(JsonObject body) {
    if (!"0".equals(String.valueOf(body.getValue("code"))))
      throw new ExchangeHttpException(
          "okx", 0, body.getString("msg", "code " + body.getValue("code")));
    JsonArray data = body.getJsonArray("data", new JsonArray());
    List<Instrument> out = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      JsonObject d = data.getJsonObject(i);
      if (!"SPOT".equals(d.getString("instType", "SPOT"))) continue;
      out.add(
          new Instrument(
              d.getString("instId"),
              MarketIds.canonicalAsset("okx", d.getString("baseCcy", "")),
              MarketIds.canonicalAsset("okx", d.getString("quoteCcy", "")),
              "live".equals(d.getString("state"))));
    }
    return out;
  }

  /**
   * {@code GET /v5/market/instruments-info?category=spot}: {@code
   * {"retCode":0,"result":{"list":[{"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT","status":"Trading",..}]}}}.
   */
  public static List<Instrument> bybit(JsonObject body) {
    Object code = body.getValue("retCode");
    if (!(code instanceof Number n) || n.intValue() != 0)
      throw new ExchangeHttpException("bybit", 0, body.getString("retMsg", "retCode " + code));
    JsonObject result = body.getJsonObject("result", new JsonObject());
    JsonArray list = result.getJsonArray("list", new JsonArray());
    List<Instrument> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonObject s = list.getJsonObject(i);
      out.add(
          new Instrument(
              s.getString("symbol"),
              MarketIds.canonicalAsset("bybit", s.getString("baseCoin", "")),
              MarketIds.canonicalAsset("bybit", s.getString("quoteCoin", "")),
              "Trading".equals(s.getString("status"))));
    }
    return out;
  }

  /**
   * {@code GET /v1/market/all}: {@code
   * [{"market":"KRW-BTC","korean_name":"비트코인","english_name":"Bitcoin"}]}; the market id is
   * quote-base, and Upbit lists only markets open for trading.
   */
  public static List<Instrument> upbit(JsonArray markets) {
    List<Instrument> out = new ArrayList<>(markets.size());
    for (int i = 0; i < markets.size(); i++) {
      String id = markets.getJsonObject(i).getString("market", "");
      int dash = id.indexOf('-');
      if (dash <= 0) continue;
      out.add(
          new Instrument(
              id,
              MarketIds.canonicalAsset("upbit", id.substring(dash + 1)),
              MarketIds.canonicalAsset("upbit", id.substring(0, dash)),
              true));
    }
    return out;
  }
}
