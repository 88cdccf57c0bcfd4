package oracle.exchange;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import oracle.config.ConfigReader;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import oracle.simulator.FakeExchangeServer;
import oracle.simulator.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every adapter over real HTTP against the fake server: requests, parsing, klines and faults. */
class AdaptersAgainstFakeServerTest {
  private static final List<String> SYMBOLS = List.of("BTC/USDT", "ETH/USDT", "USDT/KRW");
  private static Vertx vertx;
  private static FakeExchangeServer fake;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx));
    client = WebClient.create(vertx);
    for (String e : List.of("binance", "coinbase", "kraken", "okx", "bybit")) {
      fake.price(e, "BTC/USDT", 100_000)
          .price(e, "ETH/USDT", 3_000)
          .minuteVolume(e, "BTC/USDT", 1.25);
    }
    fake.price("upbit", "BTC/USDT", 140_000_000)
        .price("upbit", "ETH/USDT", 4_200_000)
        .price("upbit", "USDT/KRW", 1_400)
        .minuteVolume("upbit", "BTC/USDT", 0.75);
    fake.uniswapPool(
        "ETH/USDT",
        new UniswapPool("0x4e68ccd3e89f51c3074ca5072bbac773960dfa36", 18, 6, true, "USDT"),
        2_999.5);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private static ExchangeAdapter adapter(String name) {
    io.vertx.core.json.JsonObject sources = fake.sourcesConfig();
    sources.getJsonObject(name).put("timeoutMs", 2_000); // generous: the test machine is shared
    ConfigReader r = new ConfigReader(sources);
    return ExchangeAdapters.create(client, Exchanges.settings(name, r.section(name)), SYMBOLS);
  }

  @Test
  void everyCexReturnsQuotesAndTheCurrentMinuteKline() {
    long minute = Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60;
    for (String e : List.of("binance", "coinbase", "kraken", "okx", "bybit")) {
      List<Quote> quotes = await(adapter(e).fetchQuotes(List.of("BTC/USDT", "ETH/USDT")));
      assertThat(quotes)
          .as(e)
          .extracting(Quote::symbol)
          .containsExactlyInAnyOrder("BTC/USDT", "ETH/USDT");
      assertThat(quotes).as(e).allSatisfy(q -> assertThat(q.price()).isIn(100_000.0, 3_000.0));
      List<Kline> klines = await(adapter(e).fetchKlines("BTC/USDT", minute, minute));
      assertThat(klines)
          .as(e)
          .singleElement()
          .satisfies(
              k -> {
                assertThat(k.time()).isEqualTo(minute);
                assertThat(k.volume()).isEqualTo(1.25);
              });
    }
  }

  @Test
  void upbitQuotesKrwAndTheRatePair() {
    List<Quote> quotes = await(adapter("upbit").fetchQuotes(SYMBOLS));
    assertThat(quotes)
        .extracting(q -> q.symbol() + "=" + q.price() + q.quoteCurrency())
        .containsExactlyInAnyOrder(
            "BTC/USDT=1.4E8KRW", "ETH/USDT=4200000.0KRW", "USDT/KRW=1400.0KRW");
    long minute = Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60;
    assertThat(await(adapter("upbit").fetchKlines("BTC/USDT", minute, minute)))
        .extracting(Kline::volume)
        .containsExactly(0.75);
  }

  @Test
  void upbitUsesTheAllTickersEndpointForManyMarkets() {
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      String s = String.format("T%03d/USDT", i);
      many.add(s);
      fake.price("upbit", s, 1_000 + i);
    }
    ConfigReader r = new ConfigReader(fake.sourcesConfig());
    ExchangeAdapter upbit =
        ExchangeAdapters.create(client, Exchanges.settings("upbit", r.section("upbit")), many);
    assertThat(upbit.requestsFor(many.size())).isEqualTo(1);
    List<Quote> quotes = await(upbit.fetchQuotes(many));
    assertThat(quotes).hasSize(150);
    assertThat(quotes)
        .extracting(Quote::symbol)
        .doesNotContain("BTC/USDT"); // listed at the fake, not asked for
  }

  @Test
  void uniswapReadsTheScriptedPoolOverJsonRpc() {
    List<Quote> quotes = await(adapter("uniswap").fetchQuotes(SYMBOLS));
    assertThat(quotes)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.symbol()).isEqualTo("ETH/USDT");
              // the pool's TWAP: tick cumulatives are integers, so the mean tick is
              // exact to 1/60 tick
              assertThat(q.price()).isCloseTo(2_999.5, within(2_999.5 * 1e-5));
              assertThat(q.rejected()).isNull();
              assertThat(q.liquidity())
                  .isCloseTo(2 * 1_000 * 2_999.5, within(1.0)); // 1,000 ETH + their value in USDT
              assertThat(q.timestampMs())
                  .isCloseTo(System.currentTimeMillis(), within(5_000L)); // the latest block's time
            });
  }

  @Test
  void historicalKlinesArePagedAndAscending() {
    long base = 1_764_000_000L / 60 * 60;
    List<Kline> history = new java.util.ArrayList<>();
    for (int i = 0; i < 250; i++)
      history.add(new Kline("okx", "ETH/USDT", base + i * 60L, 1, 2, 0.5, 1.5, i));
    fake.klines("okx", "ETH/USDT", history);
    List<Kline> got = await(adapter("okx").fetchKlines("ETH/USDT", base, base + 249 * 60));
    assertThat(got).hasSize(250); // OKX serves 100 per request: three pages
    assertThat(got.get(0).time()).isEqualTo(base);
    assertThat(got.get(249).volume()).isEqualTo(249);
  }

  @Test
  void faultsFailTheCall() {
    try {
      fake.fault("bybit", Fault.status(429));
      assertThatThrownBy(() -> await(adapter("bybit").fetchQuotes(List.of("BTC/USDT"))))
          .hasMessageContaining("429");
      fake.clearFaults("bybit").fault("bybit", Fault.malformed());
      assertThatThrownBy(() -> await(adapter("bybit").fetchQuotes(List.of("BTC/USDT"))))
          .isInstanceOf(RuntimeException.class);
      fake.clearFaults("bybit").fault("bybit", Fault.delay(2_500));
      assertThatThrownBy(() -> await(adapter("bybit").fetchQuotes(List.of("BTC/USDT"))))
          .hasMessageContaining("timeout");
    } finally {
      fake.clearFaults("bybit");
    }
  }
}
