package oracle.leader;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Issues fencing tokens from PostgreSQL, the oracle's durable and linearizable store: one {@code
 * UPDATE} of the {@code oracle_fencing} 'writer' row takes the next token above both the highest
 * one the database has seen and Redis's counter, and records the holder. Concurrent elections
 * serialise on the row lock, so no two terms ever share a token, whatever Redis forgot; and because
 * the writers' fence is the same row, every writer of an earlier term is refused from this commit
 * on.
 */
final class TermLedger {
  private static final String NEXT_TOKEN =
      """
      UPDATE oracle_fencing SET token = greatest(token, $2) + 1, holder = $1, updated_at = now()
      WHERE name = 'writer' RETURNING token""";

  private final Pool pool;

  TermLedger(Pool pool) {
    this.pool = pool;
  }

  /** A token above {@code floor} and above every token issued or written before. */
  Future<Long> nextToken(String instanceId, long floor) {
    return pool.preparedQuery(NEXT_TOKEN)
        .execute(Tuple.of(instanceId, floor))
        .compose(
            rows ->
                rows.size() == 1
                    ? Future.succeededFuture(rows.iterator().next().getLong(0))
                    : Future.failedFuture(
                        new IllegalStateException(
                            "oracle_fencing has no 'writer' row (schema not migrated yet?)")));
  }
}
