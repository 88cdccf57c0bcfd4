package oracle.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Plain-PostgreSQL stand-in for continuous aggregates: recomputes, inside the writer's transaction,
 * exactly the rollup buckets that the written minutes fall into. It cascades (5m from 1m, 15m from 5m,
 * 1h from 15m, 4h from 1h, 1d from 4h) so each bucket reads a handful of rows; first/max/min/last/sum
 * compose exactly, so the result equals aggregating the 1-minute rows directly (and equals the
 * TimescaleDB views, which use first/last by time and sum over numeric).
 */
final class RollupRefresher {
  private RollupRefresher() {}

  private static String sql(Resolution target, Resolution source) {
    return "INSERT INTO " + target.table() + " (time, symbol, open, high, low, close, volume) "
        + "SELECT to_timestamp(k.t), k.s, (array_agg(x.open ORDER BY x.time))[1], max(x.high), min(x.low), "
        + "(array_agg(x.close ORDER BY x.time DESC))[1], sum(x.volume) "
        + "FROM unnest($1::text[], $2::bigint[]) AS k(s, t) "
        + "JOIN " + source.table() + " x ON x.symbol = k.s AND x.time >= to_timestamp(k.t) "
        + "AND x.time < to_timestamp(k.t + " + target.seconds() + ") "
        + "GROUP BY k.t, k.s "
        + "ON CONFLICT (symbol, time) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, "
        + "close = EXCLUDED.close, volume = EXCLUDED.volume";
  }

  private record Key(String symbol, long bucket) {}

  /** Refreshes every rollup bucket that holds one of the given (symbol, minute) pairs. */
  static Future<Void> refresh(SqlConnection conn, Collection<CandleRow> rows) {
    Future<Void> chain = Future.succeededFuture();
    Resolution source = Resolution.M1;
    for (Resolution target : Resolution.ROLLUPS) {
      Set<Key> keys = new LinkedHashSet<>();
      for (CandleRow r : rows) keys.add(new Key(r.symbol(), target.bucketStart(r.time())));
      String[] symbols = new String[keys.size()];
      Long[] buckets = new Long[keys.size()];
      int i = 0;
      for (Key k : keys) {
        symbols[i] = k.symbol();
        buckets[i++] = k.bucket();
      }
      String statement = sql(target, source);
      chain = chain.compose(v -> conn.preparedQuery(statement).execute(Tuple.tuple().addArrayOfString(symbols).addArrayOfLong(buckets)).mapEmpty());
      source = target;
    }
    return chain;
  }
}
