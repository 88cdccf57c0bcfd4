package oracle.exchange;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import oracle.config.ConfigReader;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import oracle.simulator.FakeExchangeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Driven by the spec list, not by names: every spec's adapter is built from it and, for every
 * capability the spec claims, answered by the fake exchange server. A new exchange whose fake
 * endpoints are missing fails here (docs/architecture.md, "Adding an exchange").
 */
class EverySpecAgainstFakeServerTest {
  private static final String SYMBOL = "BTC/USDT";
  private static Vertx vertx;
  private static FakeExchangeServer fake;
  private static WebClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx));
    client = WebClient.create(vertx);
    for (String e : FakeExchangeServer.MARKET_EXCHANGES) {
      double price = Exchanges.derive(e, SYMBOL).quoteCurrency().equals("KRW") ? 1.4e8 : 1e5;
      fake.price(e, SYMBOL, price).minuteVolume(e, SYMBOL, 1.5);
    }
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  private static ExchangeAdapter adapter(ExchangeSpec spec) {
    io.vertx.core.json.JsonObject sources = fake.sourcesConfig();
    sources.getJsonObject(spec.name()).put("timeoutMs", 5_000); // the test machine is shared
    return ExchangeAdapters.create(
        client,
        Exchanges.settings(spec.name(), new ConfigReader(sources).section(spec.name())),
        List.of(SYMBOL));
  }

  @Test
  void theFakeServesEverySpecAndTheSimulatorListsEveryMarketExchange() {
    assertThat(FakeExchangeServer.EXCHANGES).isEqualTo(Exchanges.NAMES);
    assertThat(fake.sourcesConfig().fieldNames())
        .containsExactlyInAnyOrderElementsOf(Exchanges.NAMES);
    for (ExchangeSpec spec : Exchanges.ALL)
      assertThat(FakeExchangeServer.MARKET_EXCHANGES.contains(spec.name()))
          .as(spec.name())
          .isEqualTo(!spec.pools());
  }

  @Test
  void everyMarketSpecQuotesThroughItsAdapter() {
    for (ExchangeSpec spec : Exchanges.ALL) {
      if (spec.pools()) continue; // pools are scripted separately (AdaptersAgainstFakeServerTest)
      ExchangeAdapter a = adapter(spec);
      assertThat(a.name()).isEqualTo(spec.name());
      assertThat(await(a.fetchQuotes(List.of(SYMBOL))))
          .as(spec.name())
          .singleElement()
          .satisfies(q -> assertThat(q.symbol()).isEqualTo(SYMBOL));
    }
  }

  @Test
  void everySpecWithKlinesServesTheCurrentMinute() {
    long minute = Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60;
    for (ExchangeSpec spec : Exchanges.ALL) {
      if (!spec.klines()) continue;
      assertThat(await(adapter(spec).fetchKlines(SYMBOL, minute, minute)))
          .as(spec.name())
          .singleElement()
          .satisfies(k -> assertThat(k.volume()).isEqualTo(1.5));
    }
  }

  @Test
  void everyInstrumentEndpointListsTheConventionalMarket() {
    for (ExchangeSpec spec : Exchanges.ALL) {
      if (spec.instruments().isEmpty()) continue;
      InstrumentEndpoint endpoint = spec.instruments().get();
      HttpRequest<Buffer> req = client.getAbs(fake.url(spec.name()) + endpoint.path());
      for (int i = 0; i + 1 < endpoint.query().size(); i += 2)
        req.addQueryParam(endpoint.query().get(i), endpoint.query().get(i + 1));
      List<Instrument> listed = endpoint.parser().apply(await(req.send()).body());
      Market m = Exchanges.derive(spec.name(), SYMBOL);
      assertThat(listed)
          .as(spec.name())
          .contains(new Instrument(m.id(), "BTC", m.quoteCurrency(), true));
    }
  }
}
