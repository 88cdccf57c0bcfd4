package oracle.dev;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oracle.config.ConfigReader;
import oracle.exchange.Kline;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dev mode's simulator: a first run's backfill finds the last day on every venue, the venues'
 * histories agree (one walk per asset), and the sources it hands dev mode read its streams.
 */
class MarketSimulatorTest {
  private Vertx vertx;
  private MarketSimulator sim;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sim = await(MarketSimulator.start(vertx, List.of("BTC/USDT", "ETH/USDT")));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void everyVenueServesTheLastDayAndTheirHistoriesAgree() {
    JsonObject sources = sim.sourcesConfig();
    WebClient http = WebClient.create(vertx);
    long now = System.currentTimeMillis() / 1000;
    long from = now / 60 * 60 - 1440 * 60;
    Map<String, Map<Long, Double>> closes = new HashMap<>(); // venue → minute → close in USDT
    for (String e : MarketSimulator.CEX) {
      JsonObject s = sources.getJsonObject(e);
      assertThat(s.getBoolean("stream")).as(e).isEqualTo(MarketSimulator.STREAMS);
      if (MarketSimulator.STREAMS) assertThat(s.getString("wsUrl")).startsWith("ws://127.0.0.1:");
      var adapter =
          ExchangeAdapters.create(
              http,
              Exchanges.settings(e, new ConfigReader(sources).section(e)),
              List.of("BTC/USDT", "USDT/KRW"));
      List<Kline> day = await(adapter.fetchKlines("BTC/USDT", from, from + 59 * 60));
      Map<Long, Double> byMinute = new HashMap<>();
      boolean krw = Exchanges.derive(e, "BTC/USDT").quoteCurrency().equals("KRW");
      for (Kline k : day)
        if (k.time() >= from && k.time() < from + 3600)
          byMinute.put(k.time(), krw ? k.close() / MarketSimulator.KRW_PER_USDT : k.close());
      assertThat(byMinute).as("%s: the day's first hour", e).hasSize(60);
      closes.put(e, byMinute);
    }
    for (long m = from; m < from + 3600; m += 60)
      for (String e : MarketSimulator.CEX)
        assertThat(closes.get(e).get(m) / closes.get("binance").get(m))
            .as("%s at %d, a day ago", e, m)
            .isCloseTo(1, within(0.002));
    assertThat(sources.getJsonObject("kraken").getJsonObject("rateLimit").getInteger("burst"))
        .isEqualTo(10);
  }
}
