package oracle.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
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
import oracle.exchange.upbit.UpbitAdapter;
import org.junit.jupiter.api.Test;

/**
 * The streaming batch-ticker parsers ({@link TickerJson}) on real recorded exchange answers
 * (exchanges/recorded-tickers, copied from exchange-recordings), value for value, and on the shapes
 * a tree parser took in its stride: numbers as strings or numbers, fields in any order, envelopes
 * after the data, unknown and nested fields, bad values.
 */
class RecordedTickersTest {
  private static final long NOW = 1_764_068_430_000L;

  private static Buffer recorded(String name) {
    try (InputStream in =
        RecordedTickersTest.class
            .getClassLoader()
            .getResourceAsStream("exchanges/recorded-tickers/" + name)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }

  private static Buffer json(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }

  private static MarketMap markets(String exchange, String... symbols) {
    return MarketMap.of(Exchanges.marketRule(exchange), List.of(symbols), Map.of());
  }

  @Test
  void binanceRecordedTickerInTheAllMarketsArray() {
    // The recording answers ?symbol=BTCUSDT (one object); the all-markets form is an array of them.
    Buffer body =
        Buffer.buffer("[")
            .appendBuffer(recorded("binance_ticker_24hr_BTCUSDT_ccxt_2024-03-13.json"))
            .appendString("]");
    List<Quote> quotes =
        BinanceAdapter.parseTickers(body, markets("binance", "BTC/USDT"), Set.of("BTC/USDT"), NOW);
    assertThat(quotes)
        .containsExactly(
            new Quote(
                "binance",
                "BTC/USDT",
                "USDT",
                73369.84,
                73369.83,
                73369.84,
                1710328245391L, // closeTime, a string in this recording
                5167027510.68728707,
                Double.NaN));
  }

  @Test
  void bybitRecordedTickers() {
    List<Quote> quotes =
        BybitAdapter.parseTickers(
            recorded("bybit_tickers_spot_BTCUSDT_docs-capture_2023-01-16.json"),
            markets("bybit", "BTC/USDT"),
            Set.of("BTC/USDT"));
    assertThat(quotes)
        .containsExactly(
            new Quote(
                "bybit",
                "BTC/USDT",
                "USDT",
                20533.13,
                20517.96,
                20527.77,
                1673859087947L, // the envelope's time, after the list
                243765620.65899866,
                Double.NaN));
  }

  @Test
  void coinbaseRecordedTicker() {
    Quote q =
        CoinbaseAdapter.parseTicker(
            recorded("coinbase_ticker_BTC-USDT_ccxt_2024-03-13.json").toJsonObject(),
            "BTC/USDT",
            new Market("BTC-USDT", "USDT"),
            NOW);
    assertThat(q.price()).isEqualTo(73367.8);
    assertThat(q.bid()).isEqualTo(73360.34);
    assertThat(q.ask()).isEqualTo(73369.19);
    assertThat(q.timestampMs())
        .isEqualTo(java.time.Instant.parse("2024-03-13T11:10:41.270099Z").toEpochMilli());
    assertThat(q.liquidity()).isEqualTo(1207.50668151 * 73367.8);
  }

  @Test
  void krakenRecordedTickersUnderTheirIdAndTheLegacyKey() {
    List<Quote> usdt =
        KrakenAdapter.parseTickers(
            recorded("kraken_ticker_XBTUSDT_ccxt_2024-03-13.json"),
            markets("kraken", "BTC/USDT"),
            Set.of("BTC/USDT"),
            NOW);
    assertThat(usdt)
        .containsExactly(
            new Quote(
                "kraken",
                "BTC/USDT",
                "USDT",
                73380.6,
                73380.6,
                73380.7,
                NOW, // Kraken tickers carry no time
                598.03698452 * 71501.57520,
                Double.NaN));
    List<Quote> eur =
        KrakenAdapter.parseTickers(
            recorded("kraken_ticker_XXBTZEUR_xchange.json"),
            markets("kraken", "BTC/EUR"),
            Set.of("BTC/EUR"),
            NOW);
    assertThat(eur)
        .containsExactly(
            new Quote(
                "kraken",
                "BTC/EUR",
                "EUR",
                560.87711,
                560.46600,
                562.26651,
                NOW,
                600.91850325 * 576.77284,
                Double.NaN));
  }

  @Test
  void okxRecordedTicker() {
    List<Quote> quotes =
        OkxAdapter.parseTickers(
            recorded("okx_ticker_BTC-USDT_ccxt_2024-03-13.json"),
            markets("okx", "BTC/USDT"),
            Set.of("BTC/USDT"));
    assertThat(quotes)
        .containsExactly(
            new Quote(
                "okx",
                "BTC/USDT",
                "USDT",
                73384.8,
                73384.7,
                73384.8,
                1710328243709L,
                1519926359.597266598,
                Double.NaN));
  }

  @Test
  void upbitRecordedTickersWithNumbersAsNumbersAndAsStrings() {
    List<Quote> krw =
        UpbitAdapter.parseTickers(
            recorded("upbit_ticker_KRW-BTC_xchange_2018-07-02.json"),
            markets("upbit", "BTC/USDT"),
            Set.of("BTC/USDT"));
    assertThat(krw)
        .containsExactly(
            new Quote(
                "upbit",
                "BTC/USDT",
                "KRW",
                7050000,
                Double.NaN,
                Double.NaN,
                1530510135000L, // trade_timestamp before timestamp
                20842813224.847,
                Double.NaN));
    MarketMap usdtMarket =
        MarketMap.of(
            Exchanges.marketRule("upbit"),
            List.of("BTC/USDT"),
            Map.of("BTC/USDT", new Market("USDT-BTC", "USDT")));
    List<Quote> usdt =
        UpbitAdapter.parseTickers(
            recorded("upbit_ticker_USDT-BTC_ccxt_2024-03-13.json"), usdtMarket, Set.of("BTC/USDT"));
    assertThat(usdt)
        .containsExactly(
            new Quote(
                "upbit",
                "BTC/USDT",
                "USDT",
                73578.655,
                Double.NaN,
                Double.NaN,
                1710328237798L,
                506342.98398488,
                Double.NaN));
  }

  @Test
  void valuesReadAsTheTreeParsersReadThem() {
    // numbers or strings, missing and unparsable values NaN, unknown and nested fields skipped,
    // the last of duplicate fields wins, unwanted and unknown markets left out, order kept.
    String body =
        "[{\"symbol\":\"ETHUSDT\",\"lastPrice\":3000.5,\"bidPrice\":\"\",\"askPrice\":\"x\","
            + "\"quoteVolume\":12,\"closeTime\":1700000000000.9,\"extra\":{\"a\":[1,{\"b\":2}]}},"
            + "{\"lastPrice\":\"1\",\"symbol\":\"BTCUSDT\",\"lastPrice\":\"97000.5\","
            + "\"closeTime\":\"soon\",\"bidPrice\":null,\"askPrice\":[1]},"
            + "{\"symbol\":\"XRPUSDT\",\"lastPrice\":\"1\"},{\"symbol\":\"DOGEUSDT\"}]";
    List<Quote> quotes =
        BinanceAdapter.parseTickers(
            json(body),
            markets("binance", "BTC/USDT", "ETH/USDT", "DOGE/USDT"),
            Set.of("BTC/USDT", "ETH/USDT"),
            NOW);
    assertThat(quotes)
        .containsExactly(
            new Quote(
                "binance",
                "ETH/USDT",
                "USDT",
                3000.5,
                Double.NaN,
                Double.NaN,
                1700000000000L,
                12,
                Double.NaN),
            new Quote(
                "binance",
                "BTC/USDT",
                "USDT",
                97000.5,
                Double.NaN,
                Double.NaN,
                NOW,
                Double.NaN,
                Double.NaN));
  }

  @Test
  void envelopesAreJudgedWhereverTheyStand() {
    // OKX code after the data; Bybit time before the result; Kraken error after the result.
    List<Quote> okx =
        OkxAdapter.parseTickers(
            json(
                "{\"data\":[{\"instId\":\"BTC-USDT\",\"last\":\"5\",\"ts\":\"7\"}],\"code\":\"0\"}"),
            markets("okx", "BTC/USDT"),
            Set.of("BTC/USDT"));
    assertThat(okx)
        .extracting(Quote::price, Quote::timestampMs)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(5.0, 7L));
    List<Quote> bybit =
        BybitAdapter.parseTickers(
            json(
                "{\"time\":9,\"result\":{\"list\":[{\"symbol\":\"BTCUSDT\",\"lastPrice\":\"5\"}]},\"retCode\":0}"),
            markets("bybit", "BTC/USDT"),
            Set.of("BTC/USDT"));
    assertThat(bybit).extracting(Quote::timestampMs).containsExactly(9L);
    assertThat(
            KrakenAdapter.parseTickers(
                json(
                    "{\"result\":{\"XBTUSDT\":{\"c\":[\"5\",\"1\"]}},\"error\":[\"EGeneral:Warning\"]}"),
                markets("kraken", "BTC/USDT"),
                Set.of("BTC/USDT"),
                NOW))
        .extracting(Quote::price)
        .containsExactly(5.0);

    assertThatThrownBy(
            () ->
                OkxAdapter.parseTickers(
                    json("{\"data\":[],\"code\":\"50011\",\"msg\":\"Too Many Requests\"}"),
                    markets("okx", "BTC/USDT"),
                    Set.of("BTC/USDT")))
        .isInstanceOf(ExchangeHttpException.class)
        .hasMessageContaining("50011");
    assertThatThrownBy(
            () ->
                BybitAdapter.parseTickers(
                    json("{\"retCode\":\"10006\",\"retMsg\":\"Too many visits!\",\"result\":{}}"),
                    markets("bybit", "BTC/USDT"),
                    Set.of("BTC/USDT")))
        .isInstanceOf(ExchangeHttpException.class)
        .hasMessageContaining("10006");
    assertThatThrownBy(
            () ->
                KrakenAdapter.parseTickers(
                    json("{\"error\":[\"EGeneral:Too many requests\"],\"result\":{}}"),
                    markets("kraken", "BTC/USDT"),
                    Set.of("BTC/USDT"),
                    NOW))
        .isInstanceOf(ExchangeHttpException.class)
        .hasMessageContaining("Too many requests");
    assertThatThrownBy(
            () ->
                KrakenAdapter.parseTickers(
                    new JsonObject().put("error", new io.vertx.core.json.JsonArray()).toBuffer(),
                    markets("kraken", "BTC/USDT"),
                    Set.of("BTC/USDT"),
                    NOW))
        .isInstanceOf(ExchangeHttpException.class);
  }

  @Test
  void malformedBodiesFailTheCall() {
    MarketMap m = markets("binance", "BTC/USDT");
    Set<String> wanted = Set.of("BTC/USDT");
    for (String bad :
        List.of(
            "",
            "{\"symbol\":\"BTCUSDT\"}",
            "[{\"symbol\":\"BTCUSDT\"}",
            "[{\"symbol\":\"BTCUSDT\"}] []",
            "[1]",
            "[null]",
            "[{\"symbol\":\"BTCUSDT\",}]")) {
      assertThatThrownBy(() -> BinanceAdapter.parseTickers(json(bad), m, wanted, NOW))
          .as(bad)
          .isInstanceOf(DecodeException.class);
    }
    assertThatThrownBy(
            () ->
                KrakenAdapter.parseTickers(
                    json("{\"error\":[],\"result\":{\"XBTUSDT\":{\"c\":\"5\"}}}"),
                    markets("kraken", "BTC/USDT"),
                    Set.of("BTC/USDT"),
                    NOW))
        .isInstanceOf(DecodeException.class);
    assertThatThrownBy(
            () ->
                UpbitAdapter.parseTickers(
                    json("{\"market\":\"KRW-BTC\"}"), markets("upbit", "BTC/USDT"), wanted))
        .isInstanceOf(DecodeException.class);
  }
}
