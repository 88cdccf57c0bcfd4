package oracle.storage;

import static oracle.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import oracle.support.TestEnv;

/**
 * The two databases every storage/flush/backfill contract test runs against: plain PostgreSQL 15
 * (database {@code oracle_storage}) and a real TimescaleDB 2.23 engine (PGlite, one connection).
 */
public enum StorageBackend {
  PLAIN(StorageFlavor.PLAIN, 4),
  TIMESCALE(StorageFlavor.TIMESCALE, 1);

  private final StorageFlavor flavor;
  private final int poolSize;

  StorageBackend(StorageFlavor flavor, int poolSize) {
    this.flavor = flavor;
    this.poolSize = poolSize;
  }

  public StorageFlavor flavor() {
    return flavor;
  }

  public int poolSize() {
    return poolSize;
  }

  public String url() {
    return this == PLAIN ? TestEnv.pgUrl("oracle_storage") : PgliteServer.url();
  }

  public Pool pool(Vertx vertx) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize))
        .connectingTo(PgConnectOptions.fromUri(url()))
        .using(vertx)
        .build();
  }

  /** Drops every object of the oracle, then migrates from scratch. */
  public CandleRepository freshSchema(Pool pool) {
    if (this == PLAIN) {
      await(pool.query("DROP SCHEMA IF EXISTS public CASCADE").execute());
      await(pool.query("CREATE SCHEMA public").execute());
    } else {
      // The engine may be reused from an earlier run: run every undo file (all
      // IF EXISTS), newest first.
      List<Migration> files = new ArrayList<>(Migration.forFlavor(StorageFlavor.TIMESCALE));
      Collections.reverse(files);
      for (Migration m : files) await(pool.query(m.down()).execute());
      await(pool.query("DROP TABLE IF EXISTS schema_migrations").execute());
    }
    StorageFlavor got = await(new Migrator(pool).migrate());
    if (got != flavor)
      throw new IllegalStateException("expected " + flavor + " but migrated to " + got);
    return new CandleRepository(pool, flavor);
  }

  /** Empties ohlcv_1m and the rollups / materialized aggregates. */
  public void emptyTables(Pool pool) {
    await(pool.query("TRUNCATE ohlcv_1m").execute());
    if (this == PLAIN) {
      await(pool.query("TRUNCATE ohlcv_5m, ohlcv_15m, ohlcv_1h, ohlcv_4h, ohlcv_1d").execute());
    } else {
      refreshAggregates(pool);
    }
  }

  /**
   * Brings the continuous aggregates up to date (no-op on the plain path, whose rollups are always
   * current).
   */
  public void refreshAggregates(Pool pool) {
    long now = System.currentTimeMillis() / 1000;
    await(new CandleRepository(pool, flavor).refreshAggregates(now - 30 * 86_400L, now));
  }

  /** Runs every TimescaleDB job of the given procedure ({@code policy_retention}, ...) now. */
  public static void runJobs(Pool pool, String proc) {
    List<Integer> ids =
        await(
                pool.preparedQuery(
                        "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = $1 ORDER BY job_id")
                    .execute(Tuple.of(proc)))
            .stream()
            .map(r -> r.getInteger(0))
            .toList();
    if (ids.isEmpty()) throw new IllegalStateException("no job " + proc);
    for (int id : ids) await(pool.query("CALL run_job(" + id + ")").execute());
  }
}
