package oracle.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads {@code conf/config.json} (or {@code ORACLE_CONFIG}) with vertx-config and applies the
 * environment.
 */
public final class ConfigLoader {
  public static final String DEFAULT_PATH = "conf/config.json";

  private final ConfigRetriever retriever;
  private final Map<String, String> env;

  private ConfigLoader(ConfigRetriever retriever, Map<String, String> env) {
    this.retriever = retriever;
    this.env = env;
  }

  /** Creates a loader; {@code scanPeriodMs} > 0 makes vertx-config watch the file for changes. */
  public static ConfigLoader create(Vertx vertx, Map<String, String> env, long scanPeriodMs) {
    String path = env.getOrDefault("ORACLE_CONFIG", DEFAULT_PATH);
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException("ORACLE_CONFIG", "a readable JSON configuration file", path);
    }
    ConfigStoreOptions file =
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("json")
            .setConfig(new JsonObject().put("path", path));
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().addStore(file);
    options.setScanPeriod(scanPeriodMs > 0 ? scanPeriodMs : -1);
    return new ConfigLoader(ConfigRetriever.create(vertx, options), env);
  }

  /** The merged configuration, validated. Fails with a {@link ConfigException} naming a bad key. */
  public Future<OracleConfig> load() {
    return retriever
        .getConfig()
        .recover(
            err ->
                Future.failedFuture(
                    new ConfigException(
                        env.getOrDefault("ORACLE_CONFIG", DEFAULT_PATH),
                        "valid JSON",
                        err.getMessage())))
        .map(json -> OracleConfig.from(EnvironmentOverrides.apply(json, env)));
  }

  /** Calls {@code listener} with each new valid configuration when the file changes. */
  public void onChange(
      java.util.function.Consumer<OracleConfig> listener,
      java.util.function.Consumer<Throwable> onInvalid) {
    retriever.listen(
        change -> {
          try {
            listener.accept(
                OracleConfig.from(EnvironmentOverrides.apply(change.getNewConfiguration(), env)));
          } catch (RuntimeException e) {
            onInvalid.accept(e);
          }
        });
  }

  public void close() {
    retriever.close();
  }
}
