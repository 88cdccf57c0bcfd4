package oracle.common;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Creates a verticle's PostgreSQL pool. Each verticle owns its pool (not a shared one): a shared
 * pool is closed with the deployment that created it, which would cut off the others on a redeploy.
 *
 * <p>Every session is bounded ({@link SessionLimits}, sent in the startup message): a statement, a
 * lock wait and an idle open transaction all end by themselves. A leader frozen between {@code
 * BEGIN} and {@code COMMIT} (SIGSTOP, a long GC pause; its kernel still answers keepalives) thus
 * loses its session and its fence-row lock, and the next leader's first write goes through.
 */
public final class PgFactory {
  private PgFactory() {}

  /** Server-side bounds of every session, in milliseconds (0 = none). */
  public record SessionLimits(
      long statementTimeoutMs, long lockTimeoutMs, long idleInTransactionTimeoutMs) {
    public static final SessionLimits DEFAULT = new SessionLimits(60_000, 5_000, 10_000);
  }

  public static Pool pool(Vertx vertx, String url, int size) {
    return pool(vertx, url, size, SessionLimits.DEFAULT);
  }

  public static Pool pool(Vertx vertx, String url, int size, SessionLimits limits) {
    PgConnectOptions connect =
        PgConnectOptions.fromUri(url)
            .setCachePreparedStatements(true)
            .setPipeliningLimit(256)
            .addProperty("statement_timeout", Long.toString(limits.statementTimeoutMs()))
            .addProperty("lock_timeout", Long.toString(limits.lockTimeoutMs()))
            .addProperty(
                "idle_in_transaction_session_timeout",
                Long.toString(limits.idleInTransactionTimeoutMs()));
    PoolOptions pool =
        new PoolOptions()
            .setMaxSize(size)
            .setMaxWaitQueueSize(10_000)
            .setConnectionTimeout(5)
            .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
