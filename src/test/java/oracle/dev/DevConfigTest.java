package oracle.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode's configuration: jar defaults, an optional file, the environment minus the store URLs.
 */
class DevConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsFromTheJarWhenNoFileExists() {
    JsonObject json =
        DevConfig.base(Map.of("ORACLE_CONFIG", dir.resolve("absent.json").toString()));
    AppSettings config = AppSettings.from(json);
    assertThat(config.symbols()).containsExactly("BTC/USDT", "ETH/USDT", "SOL/USDT");
    assertThat(config.exchanges())
        .contains("binance", "coinbase", "kraken", "okx", "bybit", "upbit");
    assertThat(json.getJsonObject("flush").getLong("intervalMs")).isEqualTo(10_000L);
    assertThat(json.containsKey(DevConfig.SIMULATED)).isFalse();
  }

  @Test
  void theProductionStoreVariablesAreNeverRead() {
    JsonObject json =
        DevConfig.base(
            Map.of(
                "ORACLE_CONFIG",
                dir.resolve("absent.json").toString(),
                "ORACLE_REDIS_URL",
                "redis://prod-redis:6379/0",
                "ORACLE_PG_URL",
                "postgresql://prod@prod-db:5432/oracle",
                "ORACLE_HTTP_PORT",
                "16799",
                "ORACLE_SYMBOLS",
                "BTC/USDT"));
    assertThat(json.encode()).doesNotContain("prod-redis").doesNotContain("prod-db");
    AppSettings config = AppSettings.from(json);
    assertThat(config.httpPort()).isEqualTo(16799);
    assertThat(config.symbols()).containsExactly("BTC/USDT");
  }

  @Test
  void aPresentFileIsMergedOverTheDefaults() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"symbols\": [\"ETH/USDT\"], \"flush\": {\"intervalMs\": 30000}}");
    JsonObject json = DevConfig.base(Map.of("ORACLE_CONFIG", file.toString()));
    assertThat(AppSettings.from(json).symbols()).containsExactly("ETH/USDT");
    assertThat(json.getJsonObject("flush").getLong("intervalMs")).isEqualTo(30_000L);
    assertThat(json.getJsonObject("flush").getLong("ttlSeconds"))
        .as("other keys of the section stay")
        .isEqualTo(3600L);

    Files.writeString(file, "{not json");
    assertThatThrownBy(() -> DevConfig.base(Map.of("ORACLE_CONFIG", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ORACLE_CONFIG");
  }

  @Test
  void theSimulatorReplacesEverySourceUrlAndMarksTheConfiguration() {
    JsonObject base =
        DevConfig.base(
            Map.of(
                "ORACLE_CONFIG",
                dir.resolve("absent.json").toString(),
                "ORACLE_BINANCE_URL",
                "https://example.invalid"));
    JsonObject sim =
        DevConfig.withSimulator(
            base,
            new JsonObject().put("binance", new JsonObject().put("url", "http://127.0.0.1:1")));
    assertThat(sim.getJsonObject("sources").getJsonObject("binance").getString("url"))
        .isEqualTo("http://127.0.0.1:1");
    assertThat(sim.getBoolean(DevConfig.SIMULATED)).isTrue();
    assertThat(base.containsKey(DevConfig.SIMULATED)).as("the base is not changed").isFalse();
  }
}
