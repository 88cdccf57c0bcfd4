package oracle.leader;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Issues fencing tokens from PostgreSQL, the oracle's durable and linearizable store: one {@code
 * UPDATE} of the {@code oracle_fencing} 'writer' row takes the next token above both the highest
 * one the database has seen and Redis's counter, and records the holder and its lease epoch.
 * Concurrent elections serialise on the row lock, so no two terms ever share a token, whatever
 * Redis forgot; and because the writers' fence is the same row, every writer of an earlier term is
 * refused from this commit on.
 *
 * <p>Only the lease holder gets a token: the request claims the epoch of its lease grant, and the
 * {@code UPDATE} applies only to a claim newer than the last one served (checked under the row
 * lock, after any request queued before it). A request delayed past the loss of its lease (a GC
 * pause, a network stall) carries an older grant than the new holder's and changes nothing.
 */
final class TermLedger {
  /**
   * One row: the token ({@code null} when the claim was refused) and the epoch last served before
   * this statement (the statement's snapshot: a lower bound of the one that refused it).
   */
  private static final String NEXT_TOKEN =
      """
      WITH claim AS (
        UPDATE oracle_fencing SET token = greatest(token, $2) + 1, holder = $1, lease_epoch = $3,
          updated_at = now()
        WHERE name = 'writer' AND lease_epoch < $3 RETURNING token)
      SELECT (SELECT token FROM claim), lease_epoch FROM oracle_fencing WHERE name = 'writer'""";

  /** The database served a lease grant at least as new as the one claimed: no token. */
  static final class StaleLeaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The newest epoch the database has served (as far as the refused statement saw). */
    final long servedEpoch;

    StaleLeaseException(long claimed, long servedEpoch) {
      super(
          "the database served a newer lease (epoch "
              + servedEpoch
              + " or later) than ours ("
              + claimed
              + ")",
          null,
          false,
          false);
      this.servedEpoch = servedEpoch;
    }
  }

  private final Pool pool;

  TermLedger(Pool pool) {
    this.pool = pool;
  }

  /**
   * A token above {@code floor} and above every token issued or written before, for the lease grant
   * {@code epoch}; fails with {@link StaleLeaseException} when a grant as new was served already.
   */
  Future<Long> nextToken(String instanceId, long floor, long epoch) {
    return pool.preparedQuery(NEXT_TOKEN)
        .execute(Tuple.of(instanceId, floor, epoch))
        .compose(
            rows -> {
              if (rows.size() != 1)
                return Future.failedFuture(
                    new IllegalStateException(
                        "oracle_fencing has no 'writer' row (schema not migrated yet?)"));
              Row row = rows.iterator().next();
              Long token = row.getLong(0);
              return token != null
                  ? Future.succeededFuture(token)
                  : Future.failedFuture(new StaleLeaseException(epoch, row.getLong(1)));
            });
  }
}
