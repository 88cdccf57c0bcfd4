package oracle.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;
import oracle.exchange.SourceSettings;
import org.junit.jupiter.api.Test;

/**
 * The configuration keys of issue 12: quorum and the Uniswap TWAP guard, with defaults and
 * validation.
 */
class PriceIntegritySettingsTest {
  private static JsonObject base() {
    return new JsonObject()
        .put("symbols", new JsonArray().add("BTC/USDT").add("ETH/USDT"))
        .put("exchanges", new JsonArray().add("binance").add("uniswap"));
  }

  private static SourceSettings uniswap(IngestionSettings s) {
    return s.sources().stream().filter(x -> x.name().equals("uniswap")).findFirst().orElseThrow();
  }

  @Test
  void defaults() {
    IngestionSettings s = AppSettings.from(base()).ingestion();
    assertThat(s.quorum().minSources()).isEqualTo(2);
    assertThat(s.quorum().maxDivergence()).isEqualTo(0.01);
    assertThat(s.quorum().minSourcesFor("ETH/USDT")).isEqualTo(2);
    assertThat(uniswap(s).twapSeconds()).isEqualTo(60);
    assertThat(uniswap(s).maxSpotDeviation()).isEqualTo(0.02);
    assertThat(s.maxWeightShare()).isEqualTo(0.5);
    assertThat(s.rules().maxWeightShare()).isEqualTo(0.5);
    assertThat(s.aggregation(5_000).rules().maxWeightShare()).isEqualTo(0.5);
  }

  @Test
  void theWeightCapIsANumberAboveZeroUpToOne() {
    for (Object ok : new Object[] {1, 0.25, "0.4"}) {
      IngestionSettings s =
          AppSettings.from(base().put("ingestion", new JsonObject().put("maxWeightShare", ok)))
              .ingestion();
      assertThat(s.rules().maxWeightShare()).isEqualTo(Double.parseDouble(ok.toString()));
    }
    for (Object bad : new Object[] {0, -0.1, 1.5, "half", "NaN", "Infinity", true}) {
      assertThatThrownBy(
              () ->
                  AppSettings.from(
                      base().put("ingestion", new JsonObject().put("maxWeightShare", bad))))
          .as("%s", bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("ingestion.maxWeightShare")
          .hasMessageContaining("(0, 1]");
    }
  }

  @Test
  void overridesAndPerSymbolOptIn() {
    JsonObject cfg =
        base()
            .put(
                "ingestion",
                new JsonObject()
                    .put("minSources", 3)
                    .put("maxDivergence", 0.005)
                    .put(
                        "perSymbol",
                        new JsonObject().put("ETH/USDT", new JsonObject().put("minSources", 1))))
            .put(
                "sources",
                new JsonObject()
                    .put(
                        "uniswap",
                        new JsonObject().put("twapSeconds", 1800).put("maxSpotDeviation", 0.05)));
    IngestionSettings s = AppSettings.from(cfg).ingestion();
    assertThat(s.quorum().minSourcesFor("BTC/USDT")).isEqualTo(3);
    assertThat(s.quorum().minSourcesFor("ETH/USDT")).isEqualTo(1);
    assertThat(s.quorum().maxDivergence()).isEqualTo(0.005);
    assertThat(s.rules().quorum()).isEqualTo(s.quorum());
    assertThat(uniswap(s).twapSeconds()).isEqualTo(1800);
    assertThat(uniswap(s).maxSpotDeviation()).isEqualTo(0.05);
  }

  @Test
  void badValuesFailNamingTheKey() {
    assertThatThrownBy(
            () -> AppSettings.from(base().put("ingestion", new JsonObject().put("minSources", 0))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingestion.minSources");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base().put("ingestion", new JsonObject().put("maxDivergence", "wide"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingestion.maxDivergence");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "ingestion",
                            new JsonObject()
                                .put(
                                    "perSymbol",
                                    new JsonObject()
                                        .put(
                                            "BTC/USDT",
                                            new JsonObject().put("minSources", "one"))))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingestion.perSymbol.BTC/USDT.minSources");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "ingestion",
                            new JsonObject()
                                .put(
                                    "perSymbol",
                                    new JsonObject()
                                        .put("btc", new JsonObject().put("minSources", 1))))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ingestion.perSymbol.btc");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "sources",
                            new JsonObject()
                                .put("uniswap", new JsonObject().put("twapSeconds", 0)))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.uniswap.twapSeconds");
    assertThatThrownBy(
            () ->
                AppSettings.from(
                    base()
                        .put(
                            "sources",
                            new JsonObject()
                                .put("uniswap", new JsonObject().put("maxSpotDeviation", 2)))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sources.uniswap.maxSpotDeviation");
  }
}
