package oracle.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oracle.exchange.binance.BinanceAdapter;
import oracle.exchange.bybit.BybitAdapter;
import oracle.exchange.coinbase.CoinbaseAdapter;
import oracle.exchange.kraken.KrakenAdapter;
import oracle.exchange.okx.OkxAdapter;
import oracle.exchange.registry.Exchanges;
import oracle.exchange.uniswap.UniswapV3Adapter;
import oracle.exchange.upbit.UpbitAdapter;
import org.junit.jupiter.api.Test;

/**
 * Each adapter parses payloads in its exchange's documented format (test resources under
 * exchanges/).
 */
class ExchangePayloadParsingTest {
  private static final long NOW = 1_764_068_430_000L;
  private static final List<String> SYMBOLS = List.of("BTC/USDT", "ETH/USDT");

  private static String resource(String path) {
    try (InputStream in =
        ExchangePayloadParsingTest.class
            .getClassLoader()
            .getResourceAsStream("exchanges/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + path, e);
    }
  }

  private static MarketMap markets(
      String exchange, List<String> symbols, Map<String, Market> overrides) {
    return MarketMap.of(Exchanges.marketRule(exchange), symbols, overrides);
  }

  @Test
  void marketIdsFollowEachExchangesConvention() {
    assertThat(Exchanges.derive("binance", "BTC/USDT")).isEqualTo(new Market("BTCUSDT", "USDT"));
    assertThat(Exchanges.derive("bybit", "ETH/USDC")).isEqualTo(new Market("ETHUSDC", "USDC"));
    assertThat(Exchanges.derive("okx", "BTC/USDT")).isEqualTo(new Market("BTC-USDT", "USDT"));
    assertThat(Exchanges.derive("coinbase", "BTC/USDT")).isEqualTo(new Market("BTC-USDT", "USDT"));
    assertThat(Exchanges.derive("kraken", "BTC/USDT")).isEqualTo(new Market("XBTUSDT", "USDT"));
    assertThat(Exchanges.derive("upbit", "BTC/USDT")).isEqualTo(new Market("KRW-BTC", "KRW"));
    assertThat(Exchanges.derive("upbit", "USDT/KRW")).isEqualTo(new Market("KRW-USDT", "KRW"));
    MarketMap m =
        markets("coinbase", SYMBOLS, java.util.Collections.singletonMap("ETH/USDT", null));
    assertThat(m.lists("ETH/USDT")).isFalse();
  }

  @Test
  void binanceTickersAndKlines() {
    List<Quote> quotes =
        BinanceAdapter.parseTickers(
            new JsonArray(resource("binance/ticker_24hr.json")).toBuffer(),
            markets("binance", SYMBOLS, Map.of()),
            Set.copyOf(SYMBOLS),
            NOW);
    assertThat(quotes).hasSize(2);
    Quote btc =
        quotes.stream().filter(q -> q.symbol().equals("BTC/USDT")).findFirst().orElseThrow();
    assertThat(btc.price()).isEqualTo(97123.45);
    assertThat(btc.bid()).isEqualTo(97123.44);
    assertThat(btc.ask()).isEqualTo(97123.46);
    assertThat(btc.liquidity()).isEqualTo(1.5e9);
    assertThat(btc.timestampMs()).isEqualTo(1764154799999L);
    assertThat(btc.quoteCurrency()).isEqualTo("USDT");
    assertThat(btc.minuteVolume()).isNaN();

    List<Kline> klines =
        BinanceAdapter.parseKlines(new JsonArray(resource("binance/klines.json")), "BTC/USDT");
    assertThat(klines)
        .containsExactly(
            new Kline("binance", "BTC/USDT", 1764068400L, 97000, 97100, 96950, 97050, 12.5)
                .withTrades(308),
            new Kline("binance", "BTC/USDT", 1764068460L, 97050, 97200, 97040, 97180, 3.25)
                .withTrades(120));
  }

  @Test
  void coinbaseTickerAndCandles() {
    Quote q =
        CoinbaseAdapter.parseTicker(
            new JsonObject(resource("coinbase/ticker.json")),
            "BTC/USDT",
            new Market("BTC-USD", "USD"),
            NOW);
    assertThat(q.price()).isEqualTo(97125.00);
    assertThat(q.bid()).isEqualTo(97124.99);
    assertThat(q.quoteCurrency()).isEqualTo("USD");
    assertThat(q.timestampMs())
        .isEqualTo(java.time.Instant.parse("2025-11-25T11:00:29.833897Z").toEpochMilli());
    assertThat(q.liquidity()).isCloseTo(15234.58721045 * 97125.00, within(1e-3));

    List<Kline> klines =
        CoinbaseAdapter.parseKlines(new JsonArray(resource("coinbase/candles.json")), "BTC/USDT");
    assertThat(klines).extracting(Kline::time).containsExactly(1764068460L, 1764068400L);
    assertThat(klines.get(1))
        .isEqualTo(
            new Kline("coinbase", "BTC/USDT", 1764068400L, 97000, 97100, 96950, 97050, 12.5));
  }

  @Test
  void krakenTickersMatchLegacyPairNamesAndOhlc() {
    List<String> symbols = List.of("BTC/USD", "BTC/USDT");
    List<Quote> quotes =
        KrakenAdapter.parseTickers(
            new JsonObject(resource("kraken/ticker.json")).toBuffer(),
            markets("kraken", symbols, Map.of()),
            Set.copyOf(symbols),
            NOW);
    assertThat(quotes).extracting(Quote::symbol).containsExactlyInAnyOrder("BTC/USD", "BTC/USDT");
    Quote usd = quotes.stream().filter(q -> q.symbol().equals("BTC/USD")).findFirst().orElseThrow();
    assertThat(usd.price()).isEqualTo(97130.0);
    assertThat(usd.bid()).isEqualTo(97129.9);
    assertThat(usd.ask()).isEqualTo(97130.0);
    assertThat(usd.timestampMs()).isEqualTo(NOW);
    assertThat(usd.liquidity()).isCloseTo(2500 * 96000.0, within(1e-6));

    List<Kline> klines =
        KrakenAdapter.parseKlines(new JsonObject(resource("kraken/ohlc.json")), "BTC/USD");
    assertThat(klines)
        .containsExactly(
            new Kline("kraken", "BTC/USD", 1764068400L, 97000, 97100, 96950, 97050, 12.5)
                .withTrades(308),
            new Kline("kraken", "BTC/USD", 1764068460L, 97050, 97200, 97040, 97180, 3.25)
                .withTrades(120));
  }

  @Test
  void okxTickersAndCandles() {
    List<Quote> quotes =
        OkxAdapter.parseTickers(
            new JsonObject(resource("okx/tickers.json")).toBuffer(),
            markets("okx", SYMBOLS, Map.of()),
            Set.copyOf(SYMBOLS));
    assertThat(quotes)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.symbol()).isEqualTo("BTC/USDT");
              assertThat(q.price()).isEqualTo(97118.1);
              assertThat(q.ask()).isEqualTo(97118.2);
              assertThat(q.liquidity()).isEqualTo(812345678.9);
              assertThat(q.timestampMs()).isEqualTo(1764068429123L);
            });
    List<Kline> klines =
        OkxAdapter.parseKlines(new JsonObject(resource("okx/candles.json")), "BTC/USDT");
    assertThat(klines).extracting(Kline::time).containsExactly(1764068460L, 1764068400L);
    assertThat(klines.get(0).volume()).isEqualTo(3.25);
  }

  @Test
  void bybitTickersAndKlines() {
    List<Quote> quotes =
        BybitAdapter.parseTickers(
            new JsonObject(resource("bybit/tickers.json")).toBuffer(),
            markets("bybit", SYMBOLS, Map.of()),
            Set.copyOf(SYMBOLS));
    assertThat(quotes)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.price()).isEqualTo(97121.6);
              assertThat(q.bid()).isEqualTo(97121.5);
              assertThat(q.liquidity()).isEqualTo(643765620.65899866);
              assertThat(q.timestampMs()).isEqualTo(1764068429947L);
            });
    List<Kline> klines =
        BybitAdapter.parseKlines(new JsonObject(resource("bybit/kline.json")), "BTC/USDT");
    assertThat(klines.get(1))
        .isEqualTo(new Kline("bybit", "BTC/USDT", 1764068400L, 97000, 97100, 96950, 97050, 12.5));
  }

  @Test
  void upbitTickersInKrwAndMinuteCandles() {
    List<String> symbols = List.of("BTC/USDT", "USDT/KRW");
    List<Quote> quotes =
        UpbitAdapter.parseTickers(
            new JsonArray(resource("upbit/ticker.json")).toBuffer(),
            markets("upbit", symbols, Map.of()),
            Set.copyOf(symbols));
    assertThat(quotes).hasSize(2);
    Quote btc = quotes.get(0);
    assertThat(btc.symbol()).isEqualTo("BTC/USDT");
    assertThat(btc.quoteCurrency()).isEqualTo("KRW");
    assertThat(btc.price()).isEqualTo(141_000_000);
    assertThat(btc.bid()).isNaN();
    assertThat(btc.liquidity()).isEqualTo(282000000000.5);
    assertThat(btc.timestampMs()).isEqualTo(1764068429000L);
    assertThat(quotes.get(1).symbol()).isEqualTo("USDT/KRW");
    assertThat(quotes.get(1).price()).isEqualTo(1452);

    List<Kline> klines =
        UpbitAdapter.parseKlines(
            new JsonArray(resource("upbit/candles_minutes_1.json")), "BTC/USDT");
    assertThat(klines.get(1))
        .isEqualTo(
            new Kline(
                "upbit",
                "BTC/USDT",
                1764068400L,
                140_800_000,
                141_000_000,
                140_700_000,
                141_000_000,
                12.5));
  }

  @Test
  void uniswapSlot0ToPriceWithBothTokensDecimalsAndEitherBaseSide() {
    UniswapPool wethUsdt =
        new UniswapPool("0x4e68ccd3e89f51c3074ca5072bbac773960dfa36", 18, 6, true, "USDT");
    UniswapPool usdcWeth =
        new UniswapPool("0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640", 6, 18, false, "USDC");
    Map<String, UniswapPool> pools = Map.of("ETH/USDT", wethUsdt, "ETH/USDC", usdcWeth);
    JsonArray batch = new JsonArray(resource("uniswap/eth_call_slot0_batch.json"));
    // element 0 answers id 1 (ETH/USDT), element 1 id 0 (ETH/USDC); id 2 with an error (the full
    // tick is in UniswapTwapTest)
    assertThat(
            UniswapV3Adapter.priceFromSlot0(
                batch.getJsonObject(0).getString("result"), pools.get("ETH/USDT")))
        .isCloseTo(3000.0, within(1e-6));
    assertThat(
            UniswapV3Adapter.priceFromSlot0(
                batch.getJsonObject(1).getString("result"), pools.get("ETH/USDC")))
        .isCloseTo(2000.0, within(1e-6));
    // the inverse used by the fake server round-trips
    assertThat(
            UniswapV3Adapter.priceFromSlot0(
                String.format("%064x", UniswapV3Adapter.sqrtPriceX96For(2345.678, usdcWeth)),
                usdcWeth))
        .isCloseTo(2345.678, within(1e-6));
  }

  @Test
  void errorEnvelopesFailTheCall() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                OkxAdapter.parseTickers(
                    new JsonObject()
                        .put("code", "50011")
                        .put("msg", "Too Many Requests")
                        .toBuffer(),
                    markets("okx", SYMBOLS, Map.of()),
                    Set.copyOf(SYMBOLS)))
        .isInstanceOf(ExchangeHttpException.class)
        .hasMessageContaining("50011");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                KrakenAdapter.parseTickers(
                    new JsonObject()
                        .put("error", new JsonArray().add("EGeneral:Too many requests"))
                        .put("result", new JsonObject())
                        .toBuffer(),
                    markets("kraken", SYMBOLS, Map.of()),
                    Set.copyOf(SYMBOLS),
                    NOW))
        .isInstanceOf(ExchangeHttpException.class)
        .hasMessageContaining("Too many requests");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                BybitAdapter.parseTickers(
                    new JsonObject()
                        .put("retCode", 10006)
                        .put("retMsg", "Too many visits!")
                        .toBuffer(),
                    markets("bybit", SYMBOLS, Map.of()),
                    Set.copyOf(SYMBOLS)))
        .isInstanceOf(ExchangeHttpException.class);
  }
}
