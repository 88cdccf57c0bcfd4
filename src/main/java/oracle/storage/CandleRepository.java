package oracle.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import oracle.common.Candle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes candles in PostgreSQL, on either schema flavor. Writes are fenced: every write
 * transaction first upserts the caller's fencing token into {@code oracle_fencing} (which row-locks it
 * until commit) and fails with {@link StaleFencingTokenException} if a higher token was seen before.
 */
public final class CandleRepository {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CandleRepository.class);
  /** Two years, as in the TimescaleDB retention policies. */
  public static final String RETENTION = "2 years";

  private static final String FENCE = """
      INSERT INTO oracle_fencing (name, token) VALUES ('writer', $1)
      ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token, updated_at = now()
        WHERE oracle_fencing.token <= EXCLUDED.token
      RETURNING token""";
  /** The token is still ours; shares the row with our other chunks, blocks a newer leader's raise. */
  private static final String SHARED_FENCE = "SELECT token FROM oracle_fencing WHERE name = 'writer' AND token = $1 FOR SHARE";

  // One statement for the whole batch: parallel arrays unnested into rows. Unchanged rows are not
  // rewritten (no dead tuples, no aggregate invalidation when a flush repeats).
  private static final String INSERT = """
      INSERT INTO ohlcv_1m (time, symbol, open, high, low, close, volume, quote_volume, sources)
      SELECT to_timestamp(u.t), u.s, u.o::numeric, u.h::numeric, u.l::numeric, u.c::numeric, u.v::numeric,
             u.qv::numeric, string_to_array(u.src, ',')
      FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS u(s, t, o, h, l, c, v, qv, src)
      """;
  private static final String INSERT_MISSING = INSERT + "ON CONFLICT (symbol, time) DO NOTHING";
  private static final String UPSERT = INSERT + """
      ON CONFLICT (symbol, time) DO UPDATE SET
        open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
        volume = EXCLUDED.volume, quote_volume = EXCLUDED.quote_volume, sources = EXCLUDED.sources
      WHERE (ohlcv_1m.open, ohlcv_1m.high, ohlcv_1m.low, ohlcv_1m.close, ohlcv_1m.volume, ohlcv_1m.quote_volume, ohlcv_1m.sources)
            IS DISTINCT FROM
            (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume, EXCLUDED.quote_volume, EXCLUDED.sources)""";

  private final Pool pool;
  private Future<StorageFlavor> flavor;

  /** For a database already migrated (the flavor is read from {@code schema_migrations} on first write). */
  public CandleRepository(Pool pool) {
    this.pool = pool;
  }

  public CandleRepository(Pool pool, StorageFlavor flavor) {
    this.pool = pool;
    this.flavor = Future.succeededFuture(flavor);
  }

  public Future<StorageFlavor> flavor() {
    if (flavor == null || flavor.failed()) {
      flavor = Migrator.recordedFlavor(pool).map(f -> f.orElseThrow(
          () -> new IllegalStateException("database not migrated: schema_migrations is empty")));
    }
    return flavor;
  }

  /**
   * Candles of {@code symbol} at {@code resolution} ({@code 1m, 5m, 15m, 1h, 4h, 1d}) whose bucket start
   * lies in {@code [fromSec, toSec]}, ascending by time, at most {@code limit} (the earliest ones).
   * Rows come back with {@code updatedAt = flushedAt = 0}. An unknown resolution fails the future with
   * {@link IllegalArgumentException}.
   */
  public Future<List<Candle>> read(String symbol, String resolution, long fromSec, long toSec, int limit) {
    Resolution res;
    try {
      res = Resolution.parse(resolution);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String sql = "SELECT extract(epoch FROM time)::bigint, open::float8, high::float8, low::float8, close::float8, volume::float8 "
        + "FROM " + res.table() + " WHERE symbol = $1 AND time >= to_timestamp($2) AND time <= to_timestamp($3) "
        + "ORDER BY time ASC LIMIT $4";
    return pool.preparedQuery(sql).execute(Tuple.of(symbol, fromSec, toSec, Math.max(0, limit))).map(rows -> {
      List<Candle> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        out.add(new Candle(symbol, r.getLong(0), r.getDouble(1), r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5), 0L, 0L));
      }
      return out;
    });
  }

  /**
   * Upserts the rows in one transaction fenced by {@code fencingToken}: one {@code INSERT ... ON CONFLICT}
   * for the whole batch, plus (plain path) the partitions it needs and the rollup buckets it touched.
   * Duplicate (symbol, time) pairs in the batch keep the last one. Returns the number of distinct rows sent.
   */
  public Future<Integer> upsert(Collection<CandleRow> rows, long fencingToken) {
    return write(rows, fencingToken, UPSERT);
  }

  /**
   * Like {@link #upsert} but never replaces an existing row: for backfill, so exchange klines cannot
   * overwrite a minute the flush wrote meanwhile from the live aggregate.
   */
  public Future<Integer> insertMissing(Collection<CandleRow> rows, long fencingToken) {
    return write(rows, fencingToken, INSERT_MISSING);
  }

  /** Everything a write sends, computed before the transaction opens. */
  private record WritePlan(StorageFlavor flavor, int rows, long minTime, long maxTime, Tuple params, List<RollupRefresher.Step> rollups) {}

  /** Batches above this size are prepared on a worker thread, not the event loop. */
  private static final int OFFLOAD_ROWS = 5_000;

  private Future<Integer> write(Collection<CandleRow> rows, long fencingToken, String statement) {
    if (rows.size() >= PARALLEL_ROWS) return writeInParallel(rows, fencingToken, statement);
    return flavor().compose(f -> prepare(rows, f, statement)).compose(plan -> pool.withTransaction(conn -> fence(conn, fencingToken)
        .compose(v -> plan.rows() == 0 ? Future.succeededFuture() : write(conn, plan, statement, true))
        .map(plan.rows())));
  }

  /** Batches from this size are split by symbol and written on {@link #PARALLEL_CHUNKS} connections at once. */
  private static final int PARALLEL_ROWS = 20_000;
  private static final int PARALLEL_CHUNKS = 2;

  /**
   * A large batch (a flush after an outage, a backfill) written as {@link #PARALLEL_CHUNKS} concurrent
   * transactions, each holding every row of its symbols, so each chunk's rollup buckets are its own.
   * Fencing: the token is raised once, in its own transaction (which also creates the partitions);
   * then every chunk takes the fencing row {@code FOR SHARE} and checks the token is still ours, so the
   * chunks run side by side while a newer leader's raise waits for them and, once committed, fails any
   * chunk of ours that starts later. A chunk that fails leaves the batch unconfirmed: the caller marks
   * nothing and writes the whole batch again (the upsert is idempotent).
   */
  private Future<Integer> writeInParallel(Collection<CandleRow> rows, long fencingToken, String statement) {
    List<List<CandleRow>> chunks = splitBySymbol(rows, PARALLEL_CHUNKS);
    long min = rows.stream().mapToLong(CandleRow::time).min().orElse(0);
    long max = rows.stream().mapToLong(CandleRow::time).max().orElse(0);
    return flavor().compose(f -> pool.withTransaction(conn -> fence(conn, fencingToken)
            .compose(v -> ensurePartitions(conn, f, min, max)))
        .compose(v -> {
          List<Future<Integer>> writes = new ArrayList<>();
          for (List<CandleRow> chunk : chunks) {
            writes.add(prepare(chunk, f, statement).compose(plan -> pool.withTransaction(conn -> sharedFence(conn, fencingToken)
                .compose(x -> write(conn, plan, statement, false))
                .map(plan.rows()))));
          }
          return Future.all(writes).map(all -> {
            int n = 0;
            for (int i = 0; i < writes.size(); i++) n += all.<Integer>resultAt(i);
            return n;
          });
        }));
  }

  /** Rows grouped by symbol into {@code n} chunks of similar size (largest symbols first). */
  static List<List<CandleRow>> splitBySymbol(Collection<CandleRow> rows, int n) {
    Map<String, List<CandleRow>> bySymbol = new LinkedHashMap<>();
    for (CandleRow r : rows) bySymbol.computeIfAbsent(r.symbol(), k -> new ArrayList<>()).add(r);
    List<List<CandleRow>> groups = new ArrayList<>(bySymbol.values());
    groups.sort((a, b) -> Integer.compare(b.size(), a.size()));
    List<List<CandleRow>> chunks = new ArrayList<>();
    for (int i = 0; i < n; i++) chunks.add(new ArrayList<>());
    for (List<CandleRow> g : groups) {
      List<CandleRow> smallest = chunks.get(0);
      for (List<CandleRow> c : chunks) if (c.size() < smallest.size()) smallest = c;
      smallest.addAll(g);
    }
    chunks.removeIf(List::isEmpty);
    return chunks;
  }

  private static Future<Void> sharedFence(SqlConnection conn, long token) {
    return conn.preparedQuery(SHARED_FENCE).execute(Tuple.of(token)).compose(rows -> rows.size() == 1
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(new StaleFencingTokenException(token)));
  }

  private static Future<Void> ensurePartitions(SqlConnection conn, StorageFlavor flavor, long min, long max) {
    if (flavor != StorageFlavor.PLAIN) return Future.succeededFuture();
    return conn.preparedQuery("SELECT oracle_ensure_ohlcv_partitions(to_timestamp($1), to_timestamp($2))")
        .execute(Tuple.of(min, max)).mapEmpty();
  }

  private static Future<WritePlan> prepare(Collection<CandleRow> rows, StorageFlavor flavor, String statement) {
    java.util.concurrent.Callable<WritePlan> work = () -> {
      Map<String, CandleRow> distinct = new LinkedHashMap<>();
      for (CandleRow r : rows) distinct.put(r.symbol() + '\u0000' + r.time(), r);
      List<CandleRow> batch = new ArrayList<>(distinct.values());
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (CandleRow r : batch) {
        min = Math.min(min, r.time());
        max = Math.max(max, r.time());
      }
      List<RollupRefresher.Step> rollups = flavor == StorageFlavor.PLAIN && !batch.isEmpty()
          ? RollupRefresher.plan(batch, statement.equals(UPSERT))
          : List.of();
      return new WritePlan(flavor, batch.size(), min, max, arrays(batch), rollups);
    };
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context == null || rows.size() < OFFLOAD_ROWS) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return context.owner().executeBlocking(work, false); // unordered: parallel chunks prepare side by side
  }

  private static Future<Void> fence(SqlConnection conn, long token) {
    return conn.preparedQuery(FENCE).execute(Tuple.of(token)).compose(rows -> rows.size() == 1
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(new StaleFencingTokenException(token)));
  }

  private static Future<Void> write(SqlConnection conn, WritePlan plan, String statement, boolean withPartitions) {
    // plain path: make sure the weekly partitions exist (a parallel write made them beforehand)
    Future<Void> ready = withPartitions ? ensurePartitions(conn, plan.flavor(), plan.minTime(), plan.maxTime()) : Future.succeededFuture();
    long started = System.nanoTime();
    long[] upserted = new long[1];
    return ready.compose(v -> conn.preparedQuery(statement).execute(plan.params()).<Void>mapEmpty())
        .onSuccess(v -> upserted[0] = System.nanoTime())
        .compose(v -> RollupRefresher.run(conn, plan.rollups()))
        .onSuccess(v -> {
          if (log.isDebugEnabled()) {
            log.debug("wrote {} candles: ohlcv_1m {} ms, rollups {} ms", plan.rows(),
                (upserted[0] - started) / 1_000_000, (System.nanoTime() - upserted[0]) / 1_000_000);
          }
        });
  }

  private static Tuple arrays(List<CandleRow> batch) {
    int n = batch.size();
    String[] s = new String[n], o = new String[n], h = new String[n], l = new String[n], c = new String[n],
        v = new String[n], qv = new String[n], src = new String[n];
    Long[] t = new Long[n];
    for (int i = 0; i < n; i++) {
      CandleRow r = batch.get(i);
      s[i] = r.symbol();
      t[i] = r.time();
      o[i] = Double.toString(r.open());
      h[i] = Double.toString(r.high());
      l[i] = Double.toString(r.low());
      c[i] = Double.toString(r.close());
      v[i] = Double.toString(r.volume());
      qv[i] = r.quoteVolume() == null ? null : Double.toString(r.quoteVolume());
      src[i] = String.join(",", r.sources());
    }
    // Built one by one: Tuple.of(Object, Object...) would spread a trailing array into elements.
    return Tuple.tuple().addArrayOfString(s).addArrayOfLong(t).addArrayOfString(o).addArrayOfString(h).addArrayOfString(l)
        .addArrayOfString(c).addArrayOfString(v).addArrayOfString(qv).addArrayOfString(src);
  }

  /** Minute starts in {@code [fromSec, toSec]} (both minute-aligned) with no {@code ohlcv_1m} row for the symbol. */
  public Future<List<Long>> missingMinutes(String symbol, long fromSec, long toSec) {
    String sql = """
        SELECT extract(epoch FROM g)::bigint
        FROM generate_series(to_timestamp($2), to_timestamp($3), interval '1 minute') AS g
        WHERE NOT EXISTS (SELECT 1 FROM ohlcv_1m m WHERE m.symbol = $1 AND m.time = g)
        ORDER BY 1""";
    return pool.preparedQuery(sql).execute(Tuple.of(symbol, fromSec, toSec)).map(rows -> {
      List<Long> out = new ArrayList<>(rows.size());
      for (Row r : rows) out.add(r.getLong(0));
      return out;
    });
  }

  /**
   * TimescaleDB: re-materializes the continuous aggregates over {@code [fromSec, toSec]} (widened to whole
   * days), for writes older than the refresh policies' windows (backfill). Plain path: nothing to do, the
   * rollups were updated in the write transaction. Must not run inside a transaction.
   */
  public Future<Void> refreshAggregates(long fromSec, long toSec) {
    return flavor().compose(f -> {
      if (f != StorageFlavor.TIMESCALE) return Future.succeededFuture();
      long from = Resolution.D1.bucketStart(fromSec);
      long to = Resolution.D1.bucketStart(toSec) + 2 * Resolution.D1.seconds();
      Future<Void> chain = Future.succeededFuture();
      for (Resolution r : Resolution.ROLLUPS) {
        chain = chain.compose(v -> pool.query("CALL refresh_continuous_aggregate('" + r.table() + "', to_timestamp(" + from
            + "), to_timestamp(" + to + "))").execute().mapEmpty());
      }
      return chain;
    });
  }

  /**
   * Plain path housekeeping: creates the weekly partitions for the next {@code weeksAhead} weeks and drops
   * partitions (and rollup rows) older than {@link #RETENTION}. TimescaleDB does both itself.
   * Returns the number of partitions dropped.
   */
  public Future<Integer> maintain(int weeksAhead) {
    return flavor().compose(f -> f != StorageFlavor.PLAIN ? Future.succeededFuture(0)
        : pool.query("SELECT oracle_ensure_ohlcv_partitions(now() - interval '1 week', now() + interval '" + weeksAhead + " weeks')").execute()
            .compose(r -> pool.query("SELECT oracle_drop_ohlcv_before(now() - interval '" + RETENTION + "')").execute())
            .map(rows -> rows.iterator().next().getInteger(0)));
  }

  public Pool pool() {
    return pool;
  }
}
