package oracle.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode's configuration: jar defaults, the file of {@code --config} only when given, the
 * environment minus the store URLs, then the command line's port and address.
 */
class DevConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsFromTheJarWhenNoFileIsGiven() {
    JsonObject json = DevConfig.base(Map.of(), Optional.empty());
    AppSettings config = AppSettings.from(json);
    assertThat(config.symbols()).containsExactly("BTC/USDT", "ETH/USDT", "SOL/USDT");
    assertThat(config.exchanges())
        .contains("binance", "coinbase", "kraken", "okx", "bybit", "upbit");
    assertThat(json.getJsonObject("flush").getLong("intervalMs")).isEqualTo(10_000L);
    assertThat(json.containsKey(DevConfig.SIMULATED)).isFalse();
  }

  /**
   * Started from the repository folder, {@code conf/config.json} (rate limit 100) was merged
   * silently, so the page's own polling could hit 429: neither it nor ORACLE_CONFIG is read now.
   */
  @Test
  void aConfigFileInTheWorkingFolderOrInOracleConfigIsNotRead() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"symbols\": [\"ETH/USDT\"], \"rateLimit\": {\"requests\": 100}}");
    JsonObject json = DevConfig.base(Map.of("ORACLE_CONFIG", file.toString()), Optional.empty());
    assertThat(AppSettings.from(json).symbols())
        .containsExactly("BTC/USDT", "ETH/USDT", "SOL/USDT");
    assertThat(json.getJsonObject("rateLimit").getInteger("requests")).isEqualTo(100_000);
  }

  @Test
  void theProductionStoreVariablesAreNeverRead() {
    JsonObject json =
        DevConfig.base(
            Map.of(
                "ORACLE_REDIS_URL",
                "redis://prod-redis:6379/0",
                "ORACLE_PG_URL",
                "postgresql://prod@prod-db:5432/oracle",
                "ORACLE_HTTP_PORT",
                "16799",
                "ORACLE_SYMBOLS",
                "BTC/USDT"),
            Optional.empty());
    assertThat(json.encode()).doesNotContain("prod-redis").doesNotContain("prod-db");
    AppSettings config = AppSettings.from(json);
    assertThat(config.httpPort()).isEqualTo(16799);
    assertThat(config.symbols()).containsExactly("BTC/USDT");
  }

  @Test
  void theFileOfConfigIsMergedOverTheDefaults() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"symbols\": [\"ETH/USDT\"], \"flush\": {\"intervalMs\": 30000}}");
    JsonObject json = DevConfig.base(Map.of(), Optional.of(file));
    assertThat(AppSettings.from(json).symbols()).containsExactly("ETH/USDT");
    assertThat(json.getJsonObject("flush").getLong("intervalMs")).isEqualTo(30_000L);
    assertThat(json.getJsonObject("flush").getLong("ttlSeconds"))
        .as("other keys of the section stay")
        .isEqualTo(3600L);

    Files.writeString(file, "{not json");
    assertThatThrownBy(() -> DevConfig.base(Map.of(), Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--config")
        .hasMessageContaining("valid JSON");
    assertThatThrownBy(() -> DevConfig.base(Map.of(), Optional.of(dir.resolve("absent.json"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--config: expected a readable JSON file")
        .hasMessageContaining("absent.json");
  }

  @Test
  void theCommandLinesPortAndHostWin() {
    JsonObject base = DevConfig.base(Map.of("ORACLE_HTTP_PORT", "16799"), Optional.empty());
    DevOptions loopback =
        new DevOptions(false, false, dir, Optional.empty(), "127.0.0.1", Optional.empty());
    AppSettings config = AppSettings.from(DevConfig.withHttp(base, loopback));
    assertThat(config.httpPort()).as("no --port: the environment's").isEqualTo(16799);
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.http().host()).isEqualTo("127.0.0.1");

    DevOptions everywhere =
        new DevOptions(false, false, dir, Optional.of(9001), "0.0.0.0", Optional.empty());
    config = AppSettings.from(DevConfig.withHttp(base, everywhere));
    assertThat(config.httpPort()).isEqualTo(9001);
    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void theSimulatorReplacesEverySourceUrlAndMarksTheConfiguration() {
    JsonObject base =
        DevConfig.base(Map.of("ORACLE_BINANCE_URL", "https://example.invalid"), Optional.empty());
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
