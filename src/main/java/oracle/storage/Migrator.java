package oracle.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the SQL migrations of {@code sql/} in order ({@link #migrate}) and undoes the latest ones
 * ({@link #rollback}). Applied versions are recorded in {@code schema_migrations} with the SHA-256
 * of their file; if an applied file has since changed, nothing runs and the call fails naming it.
 *
 * <p>The flavor is chosen once, on an empty database: TimescaleDB when {@code CREATE EXTENSION
 * timescaledb} succeeds, plain PostgreSQL otherwise (or as forced by configuration). Later runs
 * keep the recorded flavor. A session advisory lock serialises instances that start together; every
 * migration runs in its own transaction together with its bookkeeping row.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  private static final long LOCK_KEY = 0x6f7261636c65L; // "oracle"

  private final Pool pool;
  private final Optional<StorageFlavor> forced;

  public Migrator(Pool pool) {
    this(pool, Optional.empty());
  }

  public Migrator(Pool pool, Optional<StorageFlavor> forced) {
    this.pool = pool;
    this.forced = forced;
  }

  private record Applied(int version, String name, String checksum, StorageFlavor flavor) {}

  /** Applies every pending migration; returns the flavor the database is on. */
  public Future<StorageFlavor> migrate() {
    return withLock(
        conn ->
            applied(conn)
                .compose(
                    applied ->
                        flavor(conn, applied)
                            .compose(
                                flavor -> {
                                  List<Migration> all = Migration.forFlavor(flavor);
                                  verify(applied, all);
                                  Future<Void> chain = Future.succeededFuture();
                                  for (Migration m : all) {
                                    if (applied.containsKey(m.version())) continue;
                                    chain = chain.compose(v -> apply(conn, m, flavor));
                                  }
                                  return chain.map(flavor);
                                })));
  }

  /**
   * Undoes the latest {@code steps} applied migrations (newest first); returns how many it undid.
   */
  public Future<Integer> rollback(int steps) {
    return withLock(
        conn ->
            applied(conn)
                .compose(
                    applied -> {
                      List<Applied> newestFirst = new ArrayList<>(applied.values());
                      java.util.Collections.reverse(newestFirst);
                      List<Applied> undo =
                          newestFirst.subList(0, Math.min(steps, newestFirst.size()));
                      Future<Void> chain = Future.succeededFuture();
                      for (Applied a : undo) {
                        Migration m =
                            Migration.forFlavor(a.flavor()).stream()
                                .filter(x -> x.version() == a.version())
                                .findFirst()
                                .orElseThrow(
                                    () ->
                                        new MigrationException(
                                            "no file for applied migration "
                                                + a.name()
                                                + " ("
                                                + a.flavor().id()
                                                + ")"));
                        chain =
                            chain.compose(
                                v ->
                                    conn.begin()
                                        .compose(
                                            tx ->
                                                conn.query(m.down())
                                                    .execute()
                                                    .compose(
                                                        r ->
                                                            conn.preparedQuery(
                                                                    "DELETE FROM schema_migrations WHERE version = $1")
                                                                .execute(Tuple.of(m.version())))
                                                    .compose(r -> tx.commit())
                                                    .onSuccess(
                                                        x ->
                                                            log.info(
                                                                "rolled back migration {} ({})",
                                                                m.name(),
                                                                a.flavor().id()))
                                                    .onFailure(err -> tx.rollback())));
                      }
                      return chain.map(undo.size());
                    }));
  }

  /** The flavor recorded in {@code schema_migrations}, or empty when nothing is applied yet. */
  public static Future<Optional<StorageFlavor>> recordedFlavor(Pool pool) {
    return pool.query("SELECT flavor FROM schema_migrations ORDER BY version LIMIT 1")
        .execute()
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<StorageFlavor>empty()
                    : Optional.of(StorageFlavor.of(rows.iterator().next().getString(0))))
        .recover(err -> Future.succeededFuture(Optional.empty()));
  }

  private <T> Future<T> withLock(java.util.function.Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(
        conn ->
            conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")")
                .execute()
                // Checked first so that a routine start does not log "already exists" notices.
                .compose(
                    r ->
                        conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute())
                .compose(
                    r ->
                        r.iterator().next().getBoolean(0)
                            ? Future.succeededFuture()
                            : conn.query(
                                    """
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version    integer PRIMARY KEY,
              name       text NOT NULL,
              checksum   text NOT NULL,
              flavor     text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now())""")
                                .execute()
                                .mapEmpty())
                .compose(r -> work.apply(conn))
                .eventually(
                    () -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()));
  }

  private Future<Map<Integer, Applied>> applied(SqlConnection conn) {
    return conn.query(
            "SELECT version, name, checksum, flavor FROM schema_migrations ORDER BY version")
        .execute()
        .map(
            rows -> {
              Map<Integer, Applied> out = new LinkedHashMap<>();
              for (Row r : rows) {
                out.put(
                    r.getInteger(0),
                    new Applied(
                        r.getInteger(0),
                        r.getString(1),
                        r.getString(2),
                        StorageFlavor.of(r.getString(3))));
              }
              return out;
            });
  }

  private Future<StorageFlavor> flavor(SqlConnection conn, Map<Integer, Applied> applied) {
    if (!applied.isEmpty()) {
      StorageFlavor recorded = applied.values().iterator().next().flavor();
      if (forced.isPresent() && forced.get() != recorded) {
        return Future.failedFuture(
            new MigrationException(
                "database is on the "
                    + recorded.id()
                    + " schema but storage.flavor asks for "
                    + forced.get().id()));
      }
      return Future.succeededFuture(recorded);
    }
    if (forced.isPresent()) return Future.succeededFuture(forced.get());
    return conn.query(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')")
        .execute()
        .compose(
            rows ->
                !rows.iterator().next().getBoolean(0)
                    ? Future.succeededFuture(StorageFlavor.PLAIN)
                    // Listed is not enough (it may be missing
                    // from shared_preload_libraries): try it.
                    : conn.query("CREATE EXTENSION IF NOT EXISTS timescaledb")
                        .execute()
                        .map(StorageFlavor.TIMESCALE)
                        .recover(
                            err -> {
                              log.warn(
                                  "TimescaleDB is listed but cannot be created ({}); using plain PostgreSQL",
                                  err.getMessage());
                              return Future.succeededFuture(StorageFlavor.PLAIN);
                            }))
        .onSuccess(f -> log.info("storage flavor chosen: {}", f.id()));
  }

  private static void verify(Map<Integer, Applied> applied, List<Migration> files) {
    Map<Integer, Migration> byVersion = new LinkedHashMap<>();
    files.forEach(m -> byVersion.put(m.version(), m));
    for (Applied a : applied.values()) {
      Migration m = byVersion.get(a.version());
      if (m == null) {
        throw new MigrationException(
            "applied migration " + a.name() + " has no file in sql/" + a.flavor().id() + ".list");
      }
      if (!m.checksum().equals(a.checksum())) {
        throw new MigrationException(
            "migration sql/"
                + m.path()
                + ".sql changed after it was applied (recorded checksum "
                + a.checksum()
                + ", file "
                + m.checksum()
                + "); add a new migration instead of editing an applied one");
      }
    }
  }

  private Future<Void> apply(SqlConnection conn, Migration m, StorageFlavor flavor) {
    return conn.begin()
        .compose(
            tx ->
                conn.query(m.up())
                    .execute()
                    .compose(
                        r ->
                            conn.preparedQuery(
                                    "INSERT INTO schema_migrations (version, name, checksum, flavor) VALUES ($1, $2, $3, $4)")
                                .execute(
                                    Tuple.of(m.version(), m.name(), m.checksum(), flavor.id())))
                    .compose(r -> tx.commit())
                    .onSuccess(v -> log.info("applied migration {} ({})", m.name(), flavor.id()))
                    .recover(
                        err ->
                            tx.rollback()
                                .transform(
                                    x ->
                                        Future.failedFuture(
                                            new MigrationException(
                                                "migration "
                                                    + m.path()
                                                    + " failed: "
                                                    + err.getMessage())))));
  }
}
