package oracle.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import oracle.common.PgFactory;

/**
 * Operator entry point for the schema: {@code java -cp token-price-oracle.jar
 * oracle.storage.MigrateCommand migrate|rollback [steps]}. The database is {@code ORACLE_PG_URL}
 * (default: the local PostgreSQL); {@code ORACLE_STORAGE_FLAVOR} ({@code plain} or {@code
 * timescale}) forces a flavor on an empty database. The oracle also migrates by itself at start-up
 * (flush verticle), so this is for rollbacks and for migrating ahead of a deploy.
 */
public final class MigrateCommand {
  private MigrateCommand() {}

  /** How many migrations to roll back: the second argument, a positive integer (default 1). */
  static int steps(String[] args) {
    if (args.length < 2) return 1;
    try {
      int n = Integer.parseInt(args[1]);
      if (n > 0) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        "rollback steps: expected a positive integer, got '" + args[1] + "'");
  }

  public static void main(String[] args) throws Exception {
    String action = args.length > 0 ? args[0] : "migrate";
    String url =
        System.getenv().getOrDefault("ORACLE_PG_URL", oracle.common.StoreSettings.DEFAULT_PG_URL);
    Optional<StorageFlavor> flavor =
        Optional.ofNullable(System.getenv("ORACLE_STORAGE_FLAVOR"))
            .filter(s -> !s.isBlank())
            .map(StorageFlavor::of);
    Vertx vertx = Vertx.vertx();
    Pool pool = PgFactory.pool(vertx, url, 1);
    int code = 0;
    try {
      Migrator migrator = new Migrator(pool, flavor);
      Future<String> result =
          switch (action) {
            case "migrate" -> migrator.migrate().map(f -> "schema up to date (" + f.id() + ")");
            case "rollback" ->
                migrator.rollback(steps(args)).map(n -> "rolled back " + n + " migration(s)");
            default ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        "usage: MigrateCommand migrate | rollback [steps]"));
          };
      System.out.println(
          result.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS));
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println(e.getCause().getMessage());
      code = 1;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    } finally {
      pool.close();
      vertx.close();
    }
    System.exit(code);
  }
}
