package oracle.discovery;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;
import oracle.deploy.AppSettings;
import org.junit.jupiter.api.Test;

/**
 * The whole-market keys: defaults, validation naming the key, the environment switch, and "no auto,
 * no change".
 */
class DiscoverySettingsTest {

  @Test
  void defaults() {
    DiscoverySettings d =
        DiscoverySettings.from(new ConfigReader(new JsonObject()).section("discovery"));
    assertThat(d)
        .isEqualTo(
            new DiscoverySettings(2, 3_600_000, List.of("USDT", "USDC", "USD", "KRW"), 10_000));
  }

  @Test
  void badValuesNameTheirKey() {
    JsonObject auto = new JsonObject().put("symbols", "auto");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    auto.copy().put("discovery", new JsonObject().put("minSources", 0))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("discovery.minSources");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    auto.copy().put("discovery", new JsonObject().put("refreshMs", "hourly"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("discovery.refreshMs");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    auto.copy()
                        .put(
                            "discovery",
                            new JsonObject().put("quotes", new JsonArray().add("usdt")))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("discovery.quotes");
    // Not "auto": a plain list is still checked symbol by symbol.
    assertThatThrownBy(() -> AppSettings.from(new JsonObject().put("symbols", "automatic")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("symbols");
  }

  @Test
  void oracleSymbolsAutoSwitchesItOn() {
    JsonObject file = new JsonObject().put("symbols", new JsonArray().add("BTC/USDT"));
    JsonObject merged = AppSettings.withEnvironment(file, Map.of("ORACLE_SYMBOLS", "auto"));
    assertThat(DiscoverySettings.auto(merged)).isTrue();
    assertThat(AppSettings.from(merged).symbols())
        .isEmpty(); // filled in by discovery before anything runs
    assertThat(DiscoverySettings.auto(file)).isFalse();
  }

  @Test
  void withoutAutoTheConfigurationPassesThroughUnchanged() {
    Vertx vertx = Vertx.vertx();
    try {
      WholeMarket wm =
          new WholeMarket(
              vertx,
              json -> AppSettings.from(json).ingestion().sources(),
              () -> io.vertx.core.Future.succeededFuture());
      AppSettings plain =
          AppSettings.from(new JsonObject().put("symbols", new JsonArray().add("BTC/USDT")));
      assertThat(await(wm.resolve(plain.json()))).isSameAs(plain.json());
      assertThat(WholeMarket.servedSymbols(plain.symbols(), plain.json()))
          .containsExactly("BTC/USDT");
      wm.close();
    } finally {
      await(vertx.close());
    }
  }
}
