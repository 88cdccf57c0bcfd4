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
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads {@code conf/config.json} (or {@code ORACLE_CONFIG}) with vertx-config and turns it into the
 * caller's typed settings (the caller applies the environment and validates). The default file is
 * optional (without it the environment and the built-in defaults configure everything); a file
 * named by {@code ORACLE_CONFIG} must exist.
 *
 * @param <T> the typed, validated configuration
 */
public final class ConfigLoader<T> {
  public static final String DEFAULT_PATH = "conf/config.json";

  private final ConfigRetriever retriever;
  private final Map<String, String> env;
  private final Function<JsonObject, T> parse;
  private final String source;

  private ConfigLoader(
      ConfigRetriever retriever,
      Map<String, String> env,
      Function<JsonObject, T> parse,
      String source) {
    this.retriever = retriever;
    this.env = env;
    this.parse = parse;
    this.source = source;
  }

  /**
   * Creates a loader; {@code scanPeriodMs} > 0 makes vertx-config watch the file for changes.
   *
   * @param parse the file's JSON to settings; throws a {@link ConfigException} naming a bad key
   */
  public static <T> ConfigLoader<T> create(
      Vertx vertx, Map<String, String> env, long scanPeriodMs, Function<JsonObject, T> parse) {
    return create(vertx, env, scanPeriodMs, parse, DEFAULT_PATH);
  }

  /** As above, with the file read when {@code ORACLE_CONFIG} is unset (tests use their own). */
  static <T> ConfigLoader<T> create(
      Vertx vertx,
      Map<String, String> env,
      long scanPeriodMs,
      Function<JsonObject, T> parse,
      String defaultPath) {
    String named = env.get("ORACLE_CONFIG");
    boolean asked = named != null && !named.isBlank();
    String path = asked ? named : defaultPath;
    boolean readable = Files.isReadable(Path.of(path));
    if (!readable && asked) {
      throw new ConfigException("ORACLE_CONFIG", "a readable JSON configuration file", path);
    }
    // Without a file, an empty JSON store: vertx-config's default stores would read every
    // environment variable and system property as configuration.
    ConfigStoreOptions store =
        readable
            ? new ConfigStoreOptions()
                .setType("file")
                .setFormat("json")
                .setConfig(new JsonObject().put("path", path))
            : new ConfigStoreOptions().setType("json").setConfig(new JsonObject());
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().addStore(store);
    options.setScanPeriod(readable && scanPeriodMs > 0 ? scanPeriodMs : -1);
    String source = readable ? path : "environment only (no " + defaultPath + ")";
    return new ConfigLoader<>(ConfigRetriever.create(vertx, options), env, parse, source);
  }

  /** The file read, or a note that there is none (for the start-up line). */
  public String source() {
    return source;
  }

  /** The merged configuration, validated. Fails with a {@link ConfigException} naming a bad key. */
  public Future<T> load() {
    return retriever
        .getConfig()
        .recover(
            err ->
                Future.failedFuture(
                    new ConfigException(
                        env.getOrDefault("ORACLE_CONFIG", DEFAULT_PATH),
                        "valid JSON",
                        err.getMessage())))
        .map(parse);
  }

  /** Calls {@code listener} with each new valid configuration when the file changes. */
  public void onChange(Consumer<T> listener, Consumer<Throwable> onInvalid) {
    retriever.listen(
        change -> {
          try {
            listener.accept(parse.apply(change.getNewConfiguration()));
          } catch (RuntimeException e) {
            onInvalid.accept(e);
          }
        });
  }

  public void close() {
    retriever.close();
  }
}
