package oracle.storage;

import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain-PostgreSQL stand-in for continuous aggregates: updates, inside the writer's transaction, exactly
 * the rollup buckets that the written minutes fall into, level by level (5m, 15m, 1h, 4h, 1d).
 *
 * <p>Two ways per bucket, same result:
 * <ul>
 *   <li>the batch holds every minute of the bucket and those values are now what {@code ohlcv_1m} holds
 *       (an upsert): the bucket is computed here from the batch and upserted directly, which spares the
 *       database a read-back (large flushes and backfills);</li>
 *   <li>otherwise the database recomputes it from the level below (5m from 1m, 15m from 5m, 1h from 15m,
 *       4h from 1h, 1d from 4h), a handful of rows per bucket.</li>
 * </ul>
 * first/max/min/last/sum compose exactly (volumes are summed as decimals), so both equal aggregating the
 * 1-minute rows directly, and equal the TimescaleDB views (first/last by time, sum over numeric).
 */
final class RollupRefresher {
  private RollupRefresher() {}

  private static final String SET = " ON CONFLICT (symbol, time) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, "
      + "low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume";

  private static String recompute(Resolution target, Resolution source) {
    return "INSERT INTO " + target.table() + " (time, symbol, open, high, low, close, volume) "
        + "SELECT to_timestamp(k.t), k.s, (array_agg(x.open ORDER BY x.time))[1], max(x.high), min(x.low), "
        + "(array_agg(x.close ORDER BY x.time DESC))[1], sum(x.volume) "
        + "FROM unnest($1::text[], $2::bigint[]) AS k(s, t) "
        + "JOIN " + source.table() + " x ON x.symbol = k.s AND x.time >= to_timestamp(k.t) "
        + "AND x.time < to_timestamp(k.t + " + target.seconds() + ") "
        + "GROUP BY k.t, k.s" + SET;
  }

  private static String direct(Resolution target) {
    return "INSERT INTO " + target.table() + " (time, symbol, open, high, low, close, volume) "
        + "SELECT to_timestamp(u.t), u.s, u.o::numeric, u.h::numeric, u.l::numeric, u.c::numeric, u.v::numeric "
        + "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, t, o, h, l, c, v)"
        + SET;
  }

  private record Key(String symbol, long bucket) {}

  /**
   * Plans the statements (pure CPU, no I/O: may run on a worker thread for large batches).
   *
   * @param rows          the distinct (symbol, minute) rows about to be written
   * @param rowsAreStored true when {@code ohlcv_1m} will hold exactly these values for these minutes (upsert);
   *                      false when some may keep what they had (insert-if-missing)
   */
  static List<SqlStep> plan(Collection<CandleRow> rows, boolean rowsAreStored) {
    List<SqlStep> steps = new ArrayList<>();
    Resolution source = Resolution.M1;
    for (Resolution target : Resolution.ROLLUPS) {
      Map<Key, List<CandleRow>> buckets = new LinkedHashMap<>();
      for (CandleRow r : rows) buckets.computeIfAbsent(new Key(r.symbol(), target.bucketStart(r.time())), k -> new ArrayList<>()).add(r);
      long minutesPerBucket = target.seconds() / 60;
      List<Key> partial = new ArrayList<>();
      List<List<CandleRow>> complete = new ArrayList<>();
      buckets.forEach((key, members) -> {
        if (rowsAreStored && members.size() == minutesPerBucket) complete.add(members);
        else partial.add(key);
      });
      if (!complete.isEmpty()) {
        steps.add(new SqlStep(direct(target), directParams(complete, target)));
      }
      if (!partial.isEmpty()) {
        String[] symbols = new String[partial.size()];
        Long[] starts = new Long[partial.size()];
        for (int i = 0; i < partial.size(); i++) {
          symbols[i] = partial.get(i).symbol();
          starts[i] = partial.get(i).bucket();
        }
        steps.add(new SqlStep(recompute(target, source), Tuple.tuple().addArrayOfString(symbols).addArrayOfLong(starts)));
      }
      source = target;
    }
    return steps;
  }

  private static Tuple directParams(List<List<CandleRow>> complete, Resolution target) {
    int n = complete.size();
    String[] s = new String[n], o = new String[n], h = new String[n], l = new String[n], c = new String[n], v = new String[n];
    Long[] t = new Long[n];
    for (int i = 0; i < n; i++) {
      List<CandleRow> members = complete.get(i);
      CandleRow first = members.get(0);
      CandleRow last = first;
      double high = first.high();
      double low = first.low();
      BigDecimal volume = BigDecimal.ZERO;
      for (CandleRow r : members) {
        if (r.time() < first.time()) first = r;
        if (r.time() > last.time()) last = r;
        high = Math.max(high, r.high());
        low = Math.min(low, r.low());
        volume = volume.add(new BigDecimal(Double.toString(r.volume())));
      }
      s[i] = first.symbol();
      t[i] = target.bucketStart(first.time());
      o[i] = Double.toString(first.open());
      h[i] = Double.toString(high);
      l[i] = Double.toString(low);
      c[i] = Double.toString(last.close());
      v[i] = volume.toPlainString();
    }
    return Tuple.tuple().addArrayOfString(s).addArrayOfLong(t).addArrayOfString(o).addArrayOfString(h)
        .addArrayOfString(l).addArrayOfString(c).addArrayOfString(v);
  }
}
