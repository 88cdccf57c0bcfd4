package oracle.common;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Creates a verticle's PostgreSQL pool. Each verticle owns its pool (not a shared one): a shared pool
 * is closed with the deployment that created it, which would cut off the others on a redeploy.
 */
public final class PgFactory {
  private PgFactory() {}

  public static Pool pool(Vertx vertx, String url, int size) {
    PgConnectOptions connect = PgConnectOptions.fromUri(url)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(5)
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
