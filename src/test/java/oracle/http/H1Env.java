package oracle.http;

import static oracle.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import oracle.common.PgFactory;
import oracle.storage.Migrator;
import oracle.storage.StorageFlavor;
import oracle.support.TestEnv;

/**
 * The HTTP hardening tests' own stores: Redis DBs 10 and 11, PostgreSQL database h1_http, ports
 * 16500-16599.
 */
public final class H1Env {
  public static final int REDIS_DB = 10;
  public static final int REDIS_DB_2 = 11;
  public static final String PG_DATABASE = "h1_http";

  /** A redis-server the outage tests start and kill themselves. */
  public static final int OWN_REDIS_PORT = 16501;

  private static boolean schemaReady;

  private H1Env() {}

  public static JsonObject config(int redisDb) {
    return TestEnv.baseConfig(redisDb, PG_DATABASE)
        .put("symbols", new JsonArray(ApiTestEnv.SYMBOLS))
        .put("exchanges", new JsonArray().add("binance").add("kraken"))
        .put("rateLimit", new JsonObject().put("requests", 1_000_000));
  }

  public static Pool pg(Vertx vertx) {
    return PgFactory.pool(vertx, TestEnv.pgUrl(PG_DATABASE), 4);
  }

  /** The real schema (plain PostgreSQL migrations), recreated once per test run. */
  public static synchronized void createSchema(Pool pg) {
    if (schemaReady) return;
    await(pg.query("DROP SCHEMA public CASCADE").execute());
    await(pg.query("CREATE SCHEMA public").execute());
    await(new Migrator(pg, Optional.of(StorageFlavor.PLAIN)).migrate());
    schemaReady = true;
  }
}
