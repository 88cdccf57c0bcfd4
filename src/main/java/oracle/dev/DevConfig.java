package oracle.dev;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;

/**
 * The dev mode's configuration: defaults shipped in the jar ({@code oracle/dev/defaults.json}),
 * merged with the file of {@code --config} only when given (never a {@code conf/config.json} that
 * happens to be in the working folder, nor {@code ORACLE_CONFIG}: a production file would quietly
 * change the dev defaults), then the environment, except the store URLs: dev mode always uses its
 * embedded stores, so a production {@code ORACLE_REDIS_URL} / {@code ORACLE_PG_URL} in the shell
 * can never point it at a real store.
 */
final class DevConfig {
  static final String DEFAULTS = "oracle/dev/defaults.json";

  /**
   * Top-level key set by dev mode when prices come from the simulator; health and /price report it.
   */
  static final String SIMULATED = "simulated";

  private DevConfig() {}

  static JsonObject base(Map<String, String> env, Optional<Path> config) {
    JsonObject json = defaults();
    if (config.isPresent()) {
      Path file = config.get();
      if (!Files.isReadable(file)) {
        throw new ConfigException("--config", "a readable JSON file", file);
      }
      try {
        json.mergeIn(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)), true);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("--config", "valid JSON", file + ": " + e.getMessage());
      }
    }
    Map<String, String> safe = new HashMap<>(env);
    safe.remove("ORACLE_REDIS_URL");
    safe.remove("ORACLE_PG_URL");
    safe.remove("ORACLE_CONFIG");
    return AppSettings.withEnvironment(json, safe);
  }

  /** The command line's port and bind address, over the environment and the file. */
  static JsonObject withHttp(JsonObject json, DevOptions options) {
    JsonObject http = section(json, "http").copy().put("host", options.host());
    options.port().ifPresent(p -> http.put("port", p));
    return json.copy().put("http", http);
  }

  /** Points the configuration at the embedded stores. */
  static JsonObject withStores(JsonObject json, EmbeddedStores stores) {
    JsonObject out = json.copy();
    out.put("redis", section(out, "redis").put("url", stores.redisUrl(0)));
    out.put("postgres", section(out, "postgres").put("url", stores.pgUrl("postgres")));
    return out;
  }

  /** Every source's URL pointed at the simulator, and the flag the API reports. */
  static JsonObject withSimulator(JsonObject json, JsonObject simulatorSources) {
    JsonObject out = json.copy();
    out.put("sources", section(out, "sources").mergeIn(simulatorSources, true));
    return out.put(SIMULATED, true);
  }

  private static JsonObject section(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v instanceof JsonObject o ? o : new JsonObject();
  }

  private static JsonObject defaults() {
    try (InputStream in = DevConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) throw new IllegalStateException(DEFAULTS + " missing from the jar");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
