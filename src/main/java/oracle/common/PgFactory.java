package oracle.common;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Creates the PostgreSQL pool; one shared pool per process, whatever verticle asks first. */
public final class PgFactory {
  private PgFactory() {}

  public static Pool pool(Vertx vertx, String url, int size) {
    PgConnectOptions connect = PgConnectOptions.fromUri(url)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256);
    PoolOptions pool = new PoolOptions()
        .setMaxSize(size)
        .setShared(true)
        .setName("oracle-pg-" + url.hashCode())
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(5)
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
