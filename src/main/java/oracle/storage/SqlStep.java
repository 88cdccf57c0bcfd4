package oracle.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * One prepared statement with its parameters, planned off the event loop and run later in a
 * transaction.
 */
record SqlStep(String sql, Tuple params) {

  /**
   * Runs the steps one after the other on {@code conn} (a later step may read what an earlier one
   * wrote).
   */
  static Future<Void> runInOrder(SqlConnection conn, List<SqlStep> steps) {
    Future<Void> chain = Future.succeededFuture();
    for (SqlStep step : steps) {
      chain = chain.compose(v -> conn.preparedQuery(step.sql()).execute(step.params()).mapEmpty());
    }
    return chain;
  }
}
