package oracle.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import oracle.config.ConfigReader;
import oracle.deploy.AppSettings;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import org.junit.jupiter.api.Test;

/**
 * The spec list is the one description of each exchange: names, defaults, environment overrides,
 * capabilities and market rules all follow from it, with the values the oracle had before.
 */
class ExchangesTest {
  @Test
  void namesAndDefaultSelectionFollowTheList() {
    assertThat(Exchanges.NAMES)
        .containsExactly("binance", "coinbase", "kraken", "okx", "bybit", "upbit", "uniswap");
    assertThat(Exchanges.DEFAULT_ENABLED)
        .containsExactly("binance", "coinbase", "kraken", "okx", "bybit", "upbit");
    assertThat(AppSettings.from(new JsonObject()).exchanges()).isEqualTo(Exchanges.DEFAULT_ENABLED);
    assertThat(Exchanges.NAMES.stream().filter(Exchanges::hasKlines))
        .containsExactly("binance", "coinbase", "kraken", "okx", "bybit", "upbit");
    assertThat(Exchanges.hasKlines("nope")).isFalse();
    assertThatThrownBy(() -> Exchanges.spec("nope")).hasMessageContaining("nope");
  }

  @Test
  void sourceDefaultsComeFromTheSpecs() {
    Map<String, String> urls =
        Map.of(
            "binance", "https://api.binance.com",
            "coinbase", "https://api.exchange.coinbase.com",
            "kraken", "https://api.kraken.com",
            "okx", "https://www.okx.com",
            "bybit", "https://api.bybit.com",
            "upbit", "https://api.upbit.com",
            "uniswap", "https://ethereum-rpc.publicnode.com");
    Map<String, Double> rps =
        Map.of(
            "binance",
            20.0,
            "coinbase",
            8.0,
            "kraken",
            1.0,
            "okx",
            8.0,
            "bybit",
            20.0,
            "upbit",
            8.0,
            "uniswap",
            5.0);
    for (String name : Exchanges.NAMES) {
      SourceSettings s = Exchanges.settings(name, new ConfigReader(new JsonObject()));
      assertThat(s.url()).as(name).isEqualTo(urls.get(name));
      assertThat(s.requestsPerSecond()).as(name).isEqualTo(rps.get(name));
      assertThat(s.pools().isEmpty()).as(name).isEqualTo(!name.equals("uniswap"));
      // a full bucket's burst stays within the venue's: Coinbase allows 15 in bursts, not 2 x 8
      assertThat(s.burst())
          .as(name + " burst")
          .isEqualTo(
              name.equals("coinbase") ? 10 : (int) Math.max(2, Math.ceil(2 * rps.get(name))));
    }
    JsonObject faster =
        new JsonObject().put("rateLimit", new JsonObject().put("requestsPerSecond", 50));
    assertThat(Exchanges.settings("coinbase", new ConfigReader(faster)).burst())
        .as("a configured faster rate is not capped by the default burst")
        .isEqualTo(100);
    assertThat(
            Exchanges.settings(
                    "coinbase",
                    new ConfigReader(
                        faster.copy().put("rateLimit", new JsonObject().put("burst", 30))))
                .burst())
        .isEqualTo(30);
  }

  @Test
  void everySpecHasItsUrlVariable() {
    Map<String, String> env = new java.util.HashMap<>();
    for (String name : Exchanges.NAMES)
      env.put("ORACLE_" + name.toUpperCase(java.util.Locale.ROOT) + "_URL", "http://h/" + name);
    JsonObject sources =
        AppSettings.withEnvironment(new JsonObject(), env).getJsonObject("sources");
    for (String name : Exchanges.NAMES)
      assertThat(sources.getJsonObject(name).getString("url")).isEqualTo("http://h/" + name);
  }

  @Test
  void marketRulesAndConfiguredIds() {
    assertThat(Exchanges.derive("kraken", "DOGE/USD")).isEqualTo(new Market("XDGUSD", "USD"));
    assertThat(Exchanges.derive("uniswap", "ETH/USDT")).isEqualTo(new Market("ETH/USDT", "USDT"));
    assertThat(Exchanges.derive("unknown", "ETH/USDT")).isEqualTo(new Market("ETH/USDT", "USDT"));
    assertThat(Exchanges.canonicalAsset("kraken", "xxbt")).isEqualTo("BTC");
    assertThat(Exchanges.canonicalAsset("kraken", "ZUSD")).isEqualTo("USD");
    assertThat(Exchanges.canonicalAsset("binance", "xbt")).isEqualTo("XBT");
    JsonObject markets = new JsonObject().put("BTC/USDT", "USDT-BTC").put("ETH/USDT", "ETHKRW");
    SourceSettings upbit =
        Exchanges.settings("upbit", new ConfigReader(new JsonObject().put("markets", markets)));
    assertThat(upbit.markets())
        .containsEntry("BTC/USDT", new Market("USDT-BTC", "USDT"))
        .containsEntry("ETH/USDT", new Market("ETHKRW", "USDT"));
    SourceSettings okx =
        Exchanges.settings("okx", new ConfigReader(new JsonObject().put("markets", markets)));
    assertThat(okx.markets()).containsEntry("BTC/USDT", new Market("USDT-BTC", "USDT"));
  }

  @Test
  void adaptersAreBuiltFromTheirSpec() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(vertx);
      for (ExchangeSpec spec : Exchanges.ALL) {
        ExchangeAdapter a =
            ExchangeAdapters.create(
                client,
                Exchanges.settings(spec.name(), new ConfigReader(new JsonObject())),
                List.of("BTC/USDT"));
        assertThat(a.name()).isEqualTo(spec.name());
      }
    } finally {
      vertx.close();
    }
  }
}
