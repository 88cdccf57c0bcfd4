package oracle.storage;

import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain-PostgreSQL stand-in for continuous aggregates: updates, inside the writer's transaction,
 * exactly the rollup buckets that the written minutes fall into, level by level (5m, 15m, 1h, 4h,
 * 1d).
 *
 * <p>Two ways per bucket, same result:
 *
 * <ul>
 *   <li>the batch holds every minute of the bucket and those values are now what {@code ohlcv_1m}
 *       holds (an upsert): the bucket is computed here from the batch and upserted directly, which
 *       spares the database a read-back (large flushes and backfills);
 *   <li>otherwise the database recomputes it from the level below (5m from 1m, 15m from 5m, 1h from
 *       15m, 4h from 1h, 1d from 4h), a handful of rows per bucket.
 * </ul>
 *
 * first/max/min/last/sum compose exactly (volumes are summed as decimals), so both equal
 * aggregating the 1-minute rows directly, and equal the TimescaleDB views (first/last by time, sum
 * over numeric).
 */
final class RollupRefresher {
  private RollupRefresher() {}

  /** Unchanged buckets are not rewritten (no dead tuples, no WAL when a pass changes nothing). */
  private static String set(Resolution target) {
    String t = target.table();
    return " ON CONFLICT (symbol, time) DO UPDATE SET open = EXCLUDED.open, high = EXCLUDED.high, "
        + "low = EXCLUDED.low, close = EXCLUDED.close, volume = EXCLUDED.volume WHERE ("
        + t
        + ".open, "
        + t
        + ".high, "
        + t
        + ".low, "
        + t
        + ".close, "
        + t
        + ".volume) IS DISTINCT FROM "
        + "(EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume)";
  }

  private static String recompute(Resolution target, Resolution source) {
    return "INSERT INTO "
        + target.table()
        + " (time, symbol, open, high, low, close, volume) "
        + "SELECT to_timestamp(k.t), k.s, (array_agg(x.open ORDER BY x.time))[1], max(x.high), min(x.low), "
        + "(array_agg(x.close ORDER BY x.time DESC))[1], sum(x.volume) "
        + "FROM unnest($1::text[], $2::bigint[]) AS k(s, t) "
        + "JOIN "
        + source.table()
        + " x ON x.symbol = k.s AND x.time >= to_timestamp(k.t) "
        + "AND x.time < to_timestamp(k.t + "
        + target.seconds()
        + ") "
        + "GROUP BY k.t, k.s"
        + set(target);
  }

  /**
   * Buckets computed here; {@code upsert} false for buckets known to be new (a plain INSERT is half
   * the cost).
   */
  private static String direct(Resolution target, boolean upsert) {
    return "INSERT INTO "
        + target.table()
        + " (time, symbol, open, high, low, close, volume) "
        + "SELECT to_timestamp(u.t), u.s, u.o::numeric, u.h::numeric, u.l::numeric, u.c::numeric, u.v::numeric "
        + "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, t, o, h, l, c, v)"
        + (upsert ? set(target) : "");
  }

  /** One bucket as far as the batch covers it: {@code minutes} of its minutes are in the batch. */
  private static final class Bucket {
    final String symbol;
    final long start;
    long firstTime = Long.MAX_VALUE;
    long lastTime = Long.MIN_VALUE;
    double open;
    double high = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    double close;
    BigDecimal volume = BigDecimal.ZERO;
    long minutes;

    /** Minutes whose values {@code ohlcv_1m} holds exactly as in the batch. */
    long exactMinutes;

    Bucket(String symbol, long start) {
      this.symbol = symbol;
      this.start = start;
    }

    /** Folds in a part starting at {@code time}: a minute, or a whole bucket of the level below. */
    void add(
        long time,
        long endTime,
        double o,
        double h,
        double l,
        double c,
        BigDecimal v,
        long m,
        long exact) {
      if (time < firstTime) {
        firstTime = time;
        open = o;
      }
      if (endTime > lastTime) {
        lastTime = endTime;
        close = c;
      }
      high = Math.max(high, h);
      low = Math.min(low, l);
      volume = volume.add(v);
      minutes += m;
      exactMinutes += exact;
    }
  }

  /**
   * Plans the statements (pure CPU, no I/O: may run on a worker thread for large batches). Each
   * level is folded from the one below (5m from the rows, 15m from the 5m buckets, ...), so a row
   * is read once.
   *
   * @param rows the distinct (symbol, minute) rows about to be written
   * @param exact whether {@code ohlcv_1m} will hold exactly a row's values (a replacing upsert or a
   *     new row); not when it may keep or merge with what it had (insert-if-missing, merge)
   * @param stored the buckets the rollup tables already hold in the batch's range, or null if
   *     unknown
   */
  static List<Step> plan(
      Collection<CandleRow> rows,
      java.util.function.Predicate<CandleRow> exact,
      FencedWriter.Stored stored) {
    List<Step> steps = new ArrayList<>();
    Resolution source = Resolution.M1;
    Collection<Bucket> below = null;
    for (Resolution target : Resolution.ROLLUPS) {
      Map<MinuteKey, Bucket> buckets = new LinkedHashMap<>();
      if (below == null) {
        for (CandleRow r : rows) {
          bucket(buckets, r.symbol(), target.bucketStart(r.time()))
              .add(
                  r.time(),
                  r.time(),
                  r.open(),
                  r.high(),
                  r.low(),
                  r.close(),
                  Decimals.decimal(r.volume()),
                  1,
                  exact.test(r) ? 1 : 0);
        }
      } else {
        for (Bucket b : below) {
          bucket(buckets, b.symbol, target.bucketStart(b.start))
              .add(
                  b.firstTime,
                  b.lastTime,
                  b.open,
                  b.high,
                  b.low,
                  b.close,
                  b.volume,
                  b.minutes,
                  b.exactMinutes);
        }
      }
      long minutesPerBucket = target.seconds() / 60;
      List<Bucket> complete = new ArrayList<>();
      List<Bucket> partial = new ArrayList<>();
      for (Bucket b : buckets.values())
        (b.exactMinutes == minutesPerBucket ? complete : partial).add(b);
      List<Bucket> fresh = new ArrayList<>();
      List<Bucket> present = new ArrayList<>();
      for (Bucket b : complete) {
        (stored == null || stored.of(target).contains(new MinuteKey(b.symbol, b.start))
                ? present
                : fresh)
            .add(b);
      }
      if (!fresh.isEmpty())
        steps.add(Step.fixed(new SqlStep(direct(target, false), directParams(fresh))));
      if (!present.isEmpty())
        steps.add(Step.fixed(new SqlStep(direct(target, true), directParams(present))));
      if (!partial.isEmpty()) {
        List<MinuteKey> keys = new ArrayList<>(partial.size());
        for (Bucket b : partial) keys.add(new MinuteKey(b.symbol, b.start));
        steps.add(new Step(null, target, source, keys));
      }
      below = buckets.values();
      source = target;
    }
    return steps;
  }

  /**
   * One planned step: a fixed statement (buckets computed here), or the partial buckets of {@code
   * target} to recompute from {@code source}, which only the minutes the write changed make
   * necessary.
   */
  record Step(SqlStep fixed, Resolution target, Resolution source, List<MinuteKey> partial) {
    static Step fixed(SqlStep step) {
      return new Step(step, null, null, List.of());
    }
  }

  /** Whether any step depends on which minutes changed. */
  static boolean needsChanges(List<Step> steps) {
    for (Step s : steps) if (s.fixed() == null) return true;
    return false;
  }

  /**
   * The statements, in level order, once the write of {@code ohlcv_1m} has told which minutes it
   * inserted or changed: a partial bucket none of whose minutes changed still matches the level
   * below (every write keeps the rollups in step in its own transaction), so it is not recomputed.
   * A pass that rewrites unchanged candles (repeated after a crash, a tick that moved nothing)
   * costs no rollup work.
   */
  static List<SqlStep> resolve(List<Step> steps, Collection<MinuteKey> changed) {
    List<SqlStep> out = new ArrayList<>(steps.size());
    for (Step step : steps) {
      if (step.fixed() != null) {
        out.add(step.fixed());
        continue;
      }
      java.util.Set<MinuteKey> wanted = new java.util.HashSet<>(step.partial());
      java.util.Set<MinuteKey> needed = new java.util.HashSet<>();
      // The changed minutes come in the index's order, mostly runs of one bucket: each run is
      // looked up once (was a set lookup per minute and level, a tenth of a large write's CPU).
      String runSymbol = null;
      long runStart = Long.MIN_VALUE;
      for (MinuteKey m : changed) {
        long start = step.target().bucketStart(m.time());
        if (start == runStart && m.symbol().equals(runSymbol)) continue;
        runSymbol = m.symbol();
        runStart = start;
        MinuteKey bucket = new MinuteKey(runSymbol, start);
        if (wanted.contains(bucket)) needed.add(bucket);
      }
      if (needed.isEmpty()) continue;
      String[] symbols = new String[needed.size()];
      Long[] starts = new Long[needed.size()];
      int i = 0;
      for (MinuteKey b : needed) {
        symbols[i] = b.symbol();
        starts[i++] = b.time();
      }
      out.add(
          new SqlStep(
              recompute(step.target(), step.source()),
              Tuple.tuple().addArrayOfString(symbols).addArrayOfLong(starts)));
    }
    return out;
  }

  private static Bucket bucket(Map<MinuteKey, Bucket> buckets, String symbol, long start) {
    return buckets.computeIfAbsent(new MinuteKey(symbol, start), k -> new Bucket(symbol, start));
  }

  private static Tuple directParams(List<Bucket> complete) {
    int n = complete.size();
    String[] s = new String[n],
        o = new String[n],
        h = new String[n],
        l = new String[n],
        c = new String[n],
        v = new String[n];
    Long[] t = new Long[n];
    for (int i = 0; i < n; i++) {
      Bucket b = complete.get(i);
      s[i] = b.symbol;
      t[i] = b.start;
      o[i] = Decimals.text(b.open);
      h[i] = Decimals.text(b.high);
      l[i] = Decimals.text(b.low);
      c[i] = Decimals.text(b.close);
      v[i] = b.volume.toPlainString();
    }
    return Tuple.tuple()
        .addArrayOfString(s)
        .addArrayOfLong(t)
        .addArrayOfString(o)
        .addArrayOfString(h)
        .addArrayOfString(l)
        .addArrayOfString(c)
        .addArrayOfString(v);
  }
}
