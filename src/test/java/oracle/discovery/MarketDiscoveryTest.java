package oracle.discovery;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.config.ConfigReader;
import oracle.deploy.AppSettings;
import oracle.exchange.Instrument;
import oracle.exchange.Market;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.Exchanges;
import oracle.simulator.FakeExchangeServer;
import oracle.simulator.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery against the fake exchange servers' instrument endpoints (each exchange's real format):
 * the minSources rule, a market on one exchange only left out, Kraken's XDG and Upbit's KRW markets
 * mapped to canonical symbols, an exchange down or hanging keeping its previous list, a delisted
 * market removed on the next refresh (and remembered as retired), then listed again.
 */
class MarketDiscoveryTest {
  private static final List<String> CEX =
      List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit");

  private Vertx vertx;
  private FakeExchangeServer fake;
  private MarketDiscovery discovery;
  private List<SourceSettings> sources;
  private final DiscoverySettings settings =
      new DiscoverySettings(2, 3_600_000, DiscoverySettings.DEFAULT_QUOTES, 3_000);

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx));
    for (String e : List.of("binance", "coinbase", "kraken", "okx", "bybit"))
      fake.listMarket(e, "BTC/USDT", 100_000);
    fake.listMarket("upbit", "BTC/USDT", 140_000_000).listMarket("upbit", "USDT/KRW", 1_400);
    fake.listMarket("binance", "ETH/USDT", 3_000).listMarket("okx", "ETH/USDT", 3_000);
    fake.listMarket("binance", "SOLO/USDT", 1); // one exchange only
    fake.listMarket("kraken", "DOGE/USD", 0.1)
        .listMarket("coinbase", "DOGE/USD", 0.1); // Kraken lists it as XDGUSD
    fake.listMarket("upbit", "XRP/USDT", 700)
        .listMarket("bybit", "XRP/USDT", 0.5); // KRW-XRP counts for XRP/USDT
    fake.listMarket("okx", "ETH/EUR", 2_800)
        .listMarket("kraken", "ETH/EUR", 2_800); // EUR is not a wanted quote
    JsonObject config = fake.sourcesConfig();
    sources = new ArrayList<>();
    for (String e : CEX) sources.add(Exchanges.settings(e, new ConfigReader(config).section(e)));
    discovery = new MarketDiscovery(vertx);
  }

  @AfterEach
  void tearDown() {
    discovery.close();
    await(fake.close());
    await(vertx.close());
  }

  @Test
  void discoversMarketsOnTwoExchangesKeepsListsOfFailedExchangesAndDropsDelistedOnes() {
    MarketDiscovery.Round first = await(discovery.refresh(sources, settings));
    System.out.println("discovered: " + first.listing().symbols());
    assertThat(first.complete()).isTrue();
    assertThat(first.listing().symbols())
        .containsExactly("BTC/USDT", "DOGE/USD", "ETH/USDT", "XRP/USDT");
    assertThat(first.retired()).isEmpty();
    // Every exchange reads a symbol through the convention polling uses; unlisted symbols are
    // marked so.
    assertThat(first.listing().markets().get("kraken"))
        .doesNotContainKeys("BTC/USDT", "DOGE/USD")
        .containsEntry("ETH/USDT", null);
    assertThat(first.listing().markets().get("upbit"))
        .doesNotContainKeys("BTC/USDT", "XRP/USDT")
        .containsEntry("DOGE/USD", null);
    assertThat(first.listing().markets().get("coinbase"))
        .containsEntry("ETH/USDT", null)
        .doesNotContainKey("DOGE/USD");

    // Binance answers 500 and Kraken never answers (timeout): their previous lists still count.
    fake.fault("binance", Fault.status(500)).fault("kraken", Fault.hang());
    MarketDiscovery.Round failing = await(discovery.refresh(sources, settings));
    System.out.println("failed exchanges kept: " + failing.failed());
    assertThat(failing.failed()).containsOnlyKeys("binance", "kraken");
    assertThat(failing.listing().symbols())
        .containsExactly("BTC/USDT", "DOGE/USD", "ETH/USDT", "XRP/USDT");

    // OKX delists ETH/USDT (state "suspend"): it is left with one exchange and goes
    // on the next refresh.
    fake.clearFaults();
    fake.delistMarket("okx", "ETH/USDT");
    MarketDiscovery.Round delisted = await(discovery.refresh(sources, settings));
    assertThat(delisted.complete()).isTrue();
    assertThat(delisted.listing().symbols()).containsExactly("BTC/USDT", "DOGE/USD", "XRP/USDT");
    assertThat(delisted.retired()).containsExactly("ETH/USDT");

    // Upbit drops KRW-XRP from /v1/market/all; Bybit still lists XRPUSDT: one source is not enough.
    fake.delistMarket("upbit", "XRP/USDT");
    assertThat(await(discovery.refresh(sources, settings)).listing().symbols())
        .containsExactly("BTC/USDT", "DOGE/USD");

    // Listed again: back, and no longer retired.
    fake.listMarket("okx", "ETH/USDT", 3_000);
    MarketDiscovery.Round relisted = await(discovery.refresh(sources, settings));
    assertThat(relisted.listing().symbols()).containsExactly("BTC/USDT", "DOGE/USD", "ETH/USDT");
    assertThat(relisted.retired()).containsExactly("XRP/USDT");
  }

  @Test
  void anExchangeThatNeverAnsweredCountsForNothingAndAMalformedAnswerFailsOnlyThatExchange() {
    fake.fault("okx", Fault.malformed());
    MarketDiscovery.Round round = await(discovery.refresh(sources, settings));
    assertThat(round.failed()).containsOnlyKeys("okx");
    // ETH/USDT is on Binance and OKX; OKX never answered, so it has one source.
    assertThat(round.listing().symbols()).containsExactly("BTC/USDT", "DOGE/USD", "XRP/USDT");
    assertThat(round.listing().markets().get("okx")).containsEntry("BTC/USDT", null);

    fake.clearFaults();
    assertThat(await(discovery.refresh(sources, settings)).listing().symbols())
        .contains("ETH/USDT");
  }

  @Test
  void aConfigurationChangeReusesTheListUnlessDiscoveryInputsChangeAndFileOverridesWin() {
    JsonObject sourcesJson = fake.sourcesConfig();
    sourcesJson.getJsonObject("kraken").put("markets", new JsonObject().put("BTC/USDT", false));
    JsonObject raw =
        new JsonObject()
            .put("symbols", "auto")
            .put("exchanges", new io.vertx.core.json.JsonArray(CEX))
            .put("sources", sourcesJson)
            .put("discovery", new JsonObject().put("timeoutMs", 2_000));
    WholeMarket wm =
        new WholeMarket(
            vertx,
            json -> AppSettings.from(json).ingestion().sources(),
            () -> io.vertx.core.Future.succeededFuture());
    try {
      AppSettings first = resolve(wm, raw);
      assertThat(first.symbols()).containsExactly("BTC/USDT", "DOGE/USD", "ETH/USDT", "XRP/USDT");
      JsonObject sources = first.json().getJsonObject("sources");
      assertThat(sources.getJsonObject("coinbase").getJsonObject("markets").getValue("ETH/USDT"))
          .isEqualTo(false);
      assertThat(sources.getJsonObject("kraken").getJsonObject("markets").getValue("BTC/USDT"))
          .isEqualTo(false); // the file's
      assertThat(sources.getJsonObject("kraken").getString("url")).isEqualTo(fake.url("kraken"));
      // Polling reads what discovery found, through the same MarketMap.
      oracle.polling.IngestionSettings ingestion = first.ingestion();
      SourceSettings upbit =
          ingestion.sources().stream()
              .filter(x -> x.name().equals("upbit"))
              .findFirst()
              .orElseThrow();
      assertThat(upbit.marketMap(first.symbols()).market("XRP/USDT"))
          .isEqualTo(new Market("KRW-XRP", "KRW"));
      assertThat(upbit.marketMap(first.symbols()).lists("ETH/USDT")).isFalse();

      long before = fake.requests("binance");
      AppSettings flushChanged =
          resolve(wm, raw.copy().put("flush", new JsonObject().put("intervalMs", 5_000)));
      assertThat(fake.requests("binance")).isEqualTo(before); // nothing asked again
      assertThat(flushChanged.symbols()).isEqualTo(first.symbols());

      raw.put("discovery", new JsonObject().put("timeoutMs", 2_000).put("minSources", 1));
      AppSettings one = resolve(wm, raw);
      assertThat(fake.requests("binance")).isGreaterThan(before);
      assertThat(one.symbols()).contains("SOLO/USDT", "ETH/USDT").doesNotContain("ETH/EUR");
    } finally {
      wm.close();
    }
  }

  /** What the deployment does with a loaded configuration in whole-market mode. */
  private static AppSettings resolve(WholeMarket wm, JsonObject raw) {
    return AppSettings.from(await(wm.resolve(AppSettings.from(raw).json())));
  }

  @Test
  void theInstrumentEndpointsSpeakEachExchangesFormat() {
    io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(vertx);
    JsonObject binance =
        await(client.getAbs(fake.url("binance") + "/api/v3/exchangeInfo").send())
            .bodyAsJsonObject();
    assertThat(
            binance.getJsonArray("symbols").stream()
                .map(o -> ((JsonObject) o).getString("symbol"))
                .toList())
        .contains("BTCUSDT", "ETHUSDT", "SOLOUSDT");
    JsonObject kraken =
        await(client.getAbs(fake.url("kraken") + "/0/public/AssetPairs").send()).bodyAsJsonObject();
    assertThat(kraken.getJsonObject("result").getJsonObject("XDGUSD").getString("wsname"))
        .isEqualTo("XDG/USD");
    assertThat(kraken.getJsonObject("result").getJsonObject("XETHZEUR").getString("base"))
        .isEqualTo("XETH");
    assertThat(
            await(client.getAbs(fake.url("upbit") + "/v1/market/all").send())
                .bodyAsJsonArray()
                .encode())
        .contains("\"market\":\"KRW-BTC\"", "\"market\":\"KRW-XRP\"");
    assertThat(
            oracle.exchange.okx.OkxAdapter.parseInstruments(
                await(
                        client
                            .getAbs(fake.url("okx") + "/api/v5/public/instruments?instType=SPOT")
                            .send())
                    .bodyAsJsonObject()))
        .contains(new Instrument("ETH-USDT", "ETH", "USDT", true));
    assertThat(new Market("KRW-XRP", "KRW"))
        .isEqualTo(oracle.exchange.registry.Exchanges.derive("upbit", "XRP/USDT"));
    client.close();
  }
}
