package oracle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production reads the default file when present and runs from the environment alone without. */
class ConfigLoaderTest {
  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonObject load(ConfigLoader<JsonObject> loader) throws Exception {
    return loader.load().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Before, a missing conf/config.json stopped the server even with every variable set. */
  @Test
  void withoutTheDefaultFileTheConfigurationIsEmptyForTheEnvironmentToFill() throws Exception {
    String absent = dir.resolve("conf/config.json").toString();
    ConfigLoader<JsonObject> loader =
        ConfigLoader.create(vertx, Map.of("ORACLE_HTTP_PORT", "9"), 0, j -> j, absent);
    assertThat(load(loader)).as("no variable leaks in as a key").isEqualTo(new JsonObject());
    assertThat(loader.source()).isEqualTo("environment only (no " + absent + ")");
  }

  @Test
  void thePresentDefaultFileIsRead() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"symbols\": [\"BTC/USDT\"]}");
    ConfigLoader<JsonObject> loader =
        ConfigLoader.create(vertx, Map.of(), 0, j -> j, file.toString());
    assertThat(load(loader).getJsonArray("symbols").getString(0)).isEqualTo("BTC/USDT");
    assertThat(loader.source()).isEqualTo(file.toString());
  }

  @Test
  void aFileNamedByOracleConfigMustExist() {
    String absent = dir.resolve("named.json").toString();
    assertThatThrownBy(
            () ->
                ConfigLoader.create(
                    vertx,
                    Map.of("ORACLE_CONFIG", absent),
                    0,
                    j -> j,
                    dir.resolve("default.json").toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: ORACLE_CONFIG: expected a readable JSON configuration file,"
                + " got '"
                + absent
                + "'");
  }
}
