package oracle.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database schema as a verticle sees it: migrated once on first use (instances starting
 * together are serialised by the {@link Migrator}'s advisory lock), and tried again on the next use
 * when the database was down. Every writer waits on {@link #ready()} so nothing runs against
 * missing tables.
 */
public final class Schema {
  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  private final Pool pool;
  private final Optional<StorageFlavor> forced;
  private Future<CandleRepository> ready;

  /**
   * @param forced the flavour to use ({@link #flavorSetting}), or empty to detect it
   */
  public Schema(Pool pool, Optional<StorageFlavor> forced) {
    this.pool = pool;
    this.forced = forced;
  }

  /** {@code storage.flavor}: auto (empty), plain or timescale. */
  public static Optional<StorageFlavor> flavorSetting(ConfigReader storage) {
    String value = storage.string("flavor", "auto");
    if ("auto".equals(value)) return Optional.empty();
    try {
      return Optional.of(StorageFlavor.of(value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(storage.key("flavor"), "auto, plain or timescale", value);
    }
  }

  /** The repository once the schema is current; a failure is forgotten so the next call retries. */
  public Future<CandleRepository> ready() {
    if (ready == null || ready.failed()) {
      ready =
          new Migrator(pool, forced)
              .migrate()
              .map(flavor -> new CandleRepository(pool, flavor))
              .onFailure(
                  err -> log.warn("schema migration failed, will retry: {}", err.getMessage()));
    }
    return ready;
  }
}
