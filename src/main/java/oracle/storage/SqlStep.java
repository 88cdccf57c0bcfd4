package oracle.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * One prepared statement with its parameters, planned off the event loop and run later in a
 * transaction.
 */
record SqlStep(String sql, Tuple params) {

  /**
   * Runs the steps one after the other on {@code conn} (a later step may read what an earlier one
   * wrote). They are sent at once: the connection pipelines them and the server runs them in order,
   * so it never waits for the client between two steps. Fails with the first step's error in order
   * (after an error, the transaction's later steps fail only because it is aborted).
   */
  static Future<Void> runInOrder(SqlConnection conn, List<SqlStep> steps) {
    List<Future<?>> sent = new ArrayList<>(steps.size());
    for (SqlStep step : steps) sent.add(conn.preparedQuery(step.sql()).execute(step.params()));
    return firstFailureInOrder(sent);
  }

  /** Waits for every future; fails with the first failure in list order. */
  static Future<Void> firstFailureInOrder(List<Future<?>> futures) {
    return Future.join(futures)
        .transform(
            ar -> {
              for (Future<?> f : futures) if (f.failed()) return Future.failedFuture(f.cause());
              return Future.succeededFuture();
            });
  }
}
