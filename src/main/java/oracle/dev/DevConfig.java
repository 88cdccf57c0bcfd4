package oracle.dev;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import oracle.config.ConfigException;
import oracle.config.ConfigLoader;
import oracle.deploy.AppSettings;

/**
 * The dev mode's configuration: defaults shipped in the jar ({@code oracle/dev/defaults.json}),
 * merged with {@code conf/config.json} (or {@code ORACLE_CONFIG}) only when that file exists, then
 * the environment, except the store URLs: dev mode always uses its embedded stores, so a production
 * {@code ORACLE_REDIS_URL} / {@code ORACLE_PG_URL} in the shell can never point it at a real store.
 */
final class DevConfig {
  static final String DEFAULTS = "oracle/dev/defaults.json";

  /**
   * Top-level key set by dev mode when prices come from the simulator; health and /price report it.
   */
  static final String SIMULATED = "simulated";

  private DevConfig() {}

  static JsonObject base(Map<String, String> env) {
    JsonObject json = defaults();
    Path file = Path.of(env.getOrDefault("ORACLE_CONFIG", ConfigLoader.DEFAULT_PATH));
    if (Files.isReadable(file)) {
      try {
        json.mergeIn(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)), true);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("ORACLE_CONFIG", "valid JSON", file + ": " + e.getMessage());
      }
    }
    Map<String, String> safe = new HashMap<>(env);
    safe.remove("ORACLE_REDIS_URL");
    safe.remove("ORACLE_PG_URL");
    return AppSettings.withEnvironment(json, safe);
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
