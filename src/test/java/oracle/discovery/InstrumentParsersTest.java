package oracle.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import oracle.exchange.Instrument;
import oracle.exchange.Market;
import oracle.exchange.registry.Exchanges;
import org.junit.jupiter.api.Test;

/**
 * The instrument parsers (each adapter's {@code parseInstruments}) and the discovery rule, as pure
 * functions. Kraken is fed a real recorded answer (src/test/resources/discovery/PROVENANCE.md); no
 * recorded instrument answer exists for the other exchanges, so their bodies below follow each
 * exchange's documented format (trimmed to the fields that matter plus a few neighbours).
 */
class InstrumentParsersTest {
  private static final DiscoverySettings DEFAULTS =
      DiscoverySettings.from(new oracle.config.ConfigReader(new JsonObject()));

  @Test
  void krakenRecordedAssetPairsNameBitcoinBtcAndUseTheAltnameAsMarketId() throws Exception {
    JsonObject body =
        new JsonObject(
            Files.readString(
                Path.of("src/test/resources/discovery/kraken_assetpairs_xchange.json")));
    List<Instrument> pairs = oracle.exchange.kraken.KrakenAdapter.parseInstruments(body);
    assertThat(pairs)
        .containsExactlyInAnyOrder(
            new Instrument("ETHUSDT", "ETH", "USDT", true),
            new Instrument("XBTUSDT", "BTC", "USDT", true),
            new Instrument("XBTUSD", "BTC", "USD", true));
    // Discovery and polling agree: each is exactly the market the convention derives.
    Map<String, Market> listed = MarketListing.listed("kraken", pairs, DEFAULTS.quotes());
    assertThat(listed).containsOnlyKeys("BTC/USD", "BTC/USDT", "ETH/USDT");
    listed.forEach((symbol, m) -> assertThat(m).isEqualTo(Exchanges.derive("kraken", symbol)));
  }

  @Test
  void krakenLegacyNamesWithoutWsnameAndNonOnlinePairs() {
    JsonObject body =
        new JsonObject()
            .put("error", new JsonArray())
            .put(
                "result",
                new JsonObject()
                    .put(
                        "XXDGZUSD",
                        new JsonObject()
                            .put("altname", "XDGUSD")
                            .put("base", "XXDG")
                            .put("quote", "ZUSD")
                            .put("status", "online"))
                    .put(
                        "XETHZEUR",
                        new JsonObject()
                            .put("altname", "ETHEUR")
                            .put("wsname", "ETH/EUR")
                            .put("base", "XETH")
                            .put("quote", "ZEUR")
                            .put("status", "cancel_only"))
                    .put(
                        "XXBTZUSD.d",
                        new JsonObject()
                            .put("altname", "XBTUSD.d")
                            .put("base", "XXBT")
                            .put("quote", "ZUSD")));
    assertThat(oracle.exchange.kraken.KrakenAdapter.parseInstruments(body))
        .containsExactly(
            new Instrument("XDGUSD", "DOGE", "USD", true),
            new Instrument("ETHEUR", "ETH", "EUR", false));
    assertThat(Exchanges.derive("kraken", "DOGE/USD").id()).isEqualTo("XDGUSD");
    assertThatThrownBy(
            () ->
                oracle.exchange.kraken.KrakenAdapter.parseInstruments(
                    new JsonObject()
                        .put("error", new JsonArray().add("EGeneral:Too many requests"))))
        .hasMessageContaining("Too many requests");
  }

  @Test
  void binanceExchangeInfoCountsOnlyTradingSymbols() {
    // Documented shape of GET /api/v3/exchangeInfo (developers.binance.com, "Exchange
    // information").
    JsonObject body =
        new JsonObject(
            """
        {"timezone":"UTC","serverTime":1565246363776,"rateLimits":[],"exchangeFilters":[],"symbols":[
         {"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","baseAssetPrecision":8,"quoteAsset":"BTC","quotePrecision":8,
          "orderTypes":["LIMIT","MARKET"],"isSpotTradingAllowed":true,"filters":[],"permissions":[],"permissionSets":[["SPOT","MARGIN"]]},
         {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[]},
         {"symbol":"LUNAUSDT","status":"BREAK","baseAsset":"LUNA","quoteAsset":"USDT","filters":[]}]}""");
    assertThat(oracle.exchange.binance.BinanceAdapter.parseInstruments(body))
        .containsExactly(
            new Instrument("ETHBTC", "ETH", "BTC", true),
            new Instrument("BTCUSDT", "BTC", "USDT", true),
            new Instrument("LUNAUSDT", "LUNA", "USDT", false));
  }

  @Test
  void coinbaseProductsNeedOnlineAndTradingEnabled() {
    // Documented shape of GET /products (Coinbase Exchange REST API, "Get
    // all known trading pairs").
    JsonArray body =
        new JsonArray(
            """
        [{"id":"BTC-USD","base_currency":"BTC","quote_currency":"USD","quote_increment":"0.01","base_increment":"0.00000001",
          "display_name":"BTC/USD","min_market_funds":"1","margin_enabled":false,"post_only":false,"limit_only":false,
          "cancel_only":false,"status":"online","status_message":"","trading_disabled":false,"fx_stablecoin":false,
          "max_slippage_percentage":"0.02000000","auction_mode":false},
         {"id":"GNT-USDC","base_currency":"GNT","quote_currency":"USDC","status":"delisted","trading_disabled":true},
         {"id":"ETH-USDT","base_currency":"ETH","quote_currency":"USDT","status":"online","trading_disabled":true}]""");
    assertThat(oracle.exchange.coinbase.CoinbaseAdapter.parseInstruments(body))
        .containsExactly(
            new Instrument("BTC-USD", "BTC", "USD", true),
            new Instrument("GNT-USDC", "GNT", "USDC", false),
            new Instrument("ETH-USDT", "ETH", "USDT", false));
  }

  @Test
  void okxAndBybitAndUpbit() {
    // Documented shapes: OKX GET /api/v5/public/instruments?instType=SPOT, Bybit GET
    // /v5/market/instruments-info?category=spot,
    // Upbit GET /v1/market/all.
    JsonObject okx =
        new JsonObject(
            """
        {"code":"0","msg":"","data":[
         {"alias":"","baseCcy":"BTC","category":"1","instFamily":"","instId":"BTC-USDT","instType":"SPOT","listTime":"1606468572000",
          "lotSz":"0.00000001","minSz":"0.00001","quoteCcy":"USDT","settleCcy":"","state":"live","tickSz":"0.1","uly":""},
         {"baseCcy":"XYZ","instId":"XYZ-USDT","instType":"SPOT","quoteCcy":"USDT","state":"suspend"}]}""");
    assertThat(oracle.exchange.okx.OkxAdapter.parseInstruments(okx))
        .containsExactly(
            new Instrument("BTC-USDT", "BTC", "USDT", true),
            new Instrument("XYZ-USDT", "XYZ", "USDT", false));
    assertThatThrownBy(
            () ->
                oracle.exchange.okx.OkxAdapter.parseInstruments(
                    new JsonObject().put("code", "50011").put("msg", "Too Many Requests")))
        .hasMessageContaining("Too Many Requests");

    JsonObject bybit =
        new JsonObject(
            """
        {"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[
         {"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT","innovation":"0","status":"Trading","marginTrading":"both",
          "lotSizeFilter":{"basePrecision":"0.000001","quotePrecision":"0.00000001","minOrderQty":"0.000048","maxOrderQty":"71.73956243",
          "minOrderAmt":"1","maxOrderAmt":"2000000"},"priceFilter":{"tickSize":"0.01"}},
         {"symbol":"OLDUSDT","baseCoin":"OLD","quoteCoin":"USDT","status":"Closed"}]},"retExtInfo":{},"time":1672712468011}""");
    assertThat(oracle.exchange.bybit.BybitAdapter.parseInstruments(bybit))
        .containsExactly(
            new Instrument("BTCUSDT", "BTC", "USDT", true),
            new Instrument("OLDUSDT", "OLD", "USDT", false));
    assertThatThrownBy(
            () ->
                oracle.exchange.bybit.BybitAdapter.parseInstruments(
                    new JsonObject().put("retCode", 10006).put("retMsg", "Too many visits!")))
        .hasMessageContaining("Too many visits");

    JsonArray upbit =
        new JsonArray(
            """
        [{"market":"KRW-BTC","korean_name":"비트코인","english_name":"Bitcoin"},
         {"market":"BTC-ETH","korean_name":"이더리움","english_name":"Ethereum"},
         {"market":"USDT-XRP","korean_name":"리플","english_name":"XRP","market_warning":"NONE"}]""");
    assertThat(oracle.exchange.upbit.UpbitAdapter.parseInstruments(upbit))
        .containsExactly(
            new Instrument("KRW-BTC", "BTC", "KRW", true),
            new Instrument("BTC-ETH", "ETH", "BTC", true),
            new Instrument("USDT-XRP", "XRP", "USDT", true));
    // discovery reads it through the spec's instrument endpoint
    assertThat(
            oracle.exchange.registry.Exchanges.spec("upbit")
                .instruments()
                .orElseThrow()
                .parser()
                .apply(Buffer.buffer(upbit.encode())))
        .hasSize(3);
    assertThat(oracle.exchange.registry.Exchanges.spec("uniswap").instruments()).isEmpty();
  }

  @Test
  void marketsOnFewerThanMinSourcesAreLeftOutAndKrwCountsForUsdt() {
    Map<String, List<Instrument>> answers =
        Map.of(
            "binance",
                List.of(
                    new Instrument("BTCUSDT", "BTC", "USDT", true),
                    new Instrument("ONLYUSDT", "ONLY", "USDT", true),
                    new Instrument("ETHBTC", "ETH", "BTC", true),
                    new Instrument("HALTUSDT", "HALT", "USDT", false)),
            "okx",
                List.of(
                    new Instrument("HALT-USDT", "HALT", "USDT", true),
                    new Instrument("ETH-BTC", "ETH", "BTC", true)),
            "upbit",
                List.of(
                    new Instrument("KRW-BTC", "BTC", "KRW", true),
                    new Instrument("KRW-USDT", "USDT", "KRW", true),
                    new Instrument("USDT-XRP", "XRP", "USDT", true)),
            "bybit", List.of(new Instrument("XRPUSDT", "XRP", "USDT", true)));
    MarketListing listing = MarketListing.compute(new java.util.TreeMap<>(answers), DEFAULTS);
    // ONLY: one exchange; HALT: trading on one only; ETH/BTC: BTC is not a
    // wanted quote; USDT/USDT never.
    assertThat(listing.symbols()).containsExactly("BTC/USDT", "XRP/USDT");
    // Upbit's KRW-BTC is its convention for BTC/USDT (no override); its XRP market
    // is USDT-XRP (an override).
    assertThat(listing.markets().get("upbit"))
        .doesNotContainKey("BTC/USDT")
        .containsEntry("XRP/USDT", new Market("USDT-XRP", "USDT"));
    assertThat(listing.markets().get("okx"))
        .containsEntry("BTC/USDT", null)
        .containsEntry("XRP/USDT", null);
    assertThat(listing.markets().get("binance"))
        .doesNotContainKey("BTC/USDT")
        .containsEntry("XRP/USDT", null);

    DiscoverySettings three = new DiscoverySettings(3, 1000, List.of("USDT", "KRW"), 1000);
    assertThat(MarketListing.compute(new java.util.TreeMap<>(answers), three).symbols()).isEmpty();
    DiscoverySettings noKrw = new DiscoverySettings(2, 1000, List.of("USDT"), 1000);
    assertThat(MarketListing.compute(new java.util.TreeMap<>(answers), noKrw).symbols())
        .containsExactly("XRP/USDT");
  }
}
