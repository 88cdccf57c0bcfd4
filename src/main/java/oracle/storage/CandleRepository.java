package oracle.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import oracle.common.Candle;

/**
 * Reads and writes candles in PostgreSQL, on either schema flavor. Writes are fenced by the
 * leader's token and fail with {@link StaleFencingTokenException} once a higher one was seen
 * ({@link FencedWriter}).
 */
public final class CandleRepository {
  /** Two years, as in the TimescaleDB retention policies. */
  public static final String RETENTION = "2 years";

  private final Pool pool;
  private final FencedWriter writer;
  private final AggregateRefresher aggregates;
  private Future<StorageFlavor> flavor;

  /**
   * For a database already migrated (the flavor is read from {@code schema_migrations} on first
   * write).
   */
  public CandleRepository(Pool pool) {
    this.pool = pool;
    this.writer = new FencedWriter(pool);
    this.aggregates = new AggregateRefresher(pool, () -> System.currentTimeMillis() / 1000);
  }

  public CandleRepository(Pool pool, StorageFlavor flavor) {
    this(pool);
    this.flavor = Future.succeededFuture(flavor);
  }

  public Future<StorageFlavor> flavor() {
    if (flavor == null || flavor.failed()) {
      flavor =
          Migrator.recordedFlavor(pool)
              .map(
                  f ->
                      f.orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "database not migrated: schema_migrations is empty")));
    }
    return flavor;
  }

  /**
   * Candles of {@code symbol} at {@code resolution} ({@code 1m, 5m, 15m, 1h, 4h, 1d}) whose bucket
   * start lies in {@code [fromSec, toSec]}, ascending by time, at most {@code limit} (the earliest
   * ones). Rows come back with {@code updatedAt = flushedAt = 0}; 1-minute rows with their trade
   * count and origin. An unknown resolution fails the future with {@link IllegalArgumentException}.
   */
  public Future<List<Candle>> read(
      String symbol, String resolution, long fromSec, long toSec, int limit) {
    Resolution res;
    try {
      res = Resolution.parse(resolution);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String sql =
        "SELECT extract(epoch FROM time)::bigint, open::float8, high::float8, low::float8, close::float8, volume::float8"
            + (res == Resolution.M1 ? ", trades, origin " : " ")
            + "FROM "
            + res.table()
            + " WHERE symbol = $1 AND time >= to_timestamp($2) AND time <= to_timestamp($3) "
            + "ORDER BY time ASC LIMIT $4";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(symbol, fromSec, toSec, Math.max(0, limit)))
        .map(
            rows -> {
              List<Candle> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new Candle(
                        symbol,
                        r.getLong(0),
                        r.getDouble(1),
                        r.getDouble(2),
                        r.getDouble(3),
                        r.getDouble(4),
                        r.getDouble(5),
                        0L,
                        0L,
                        r.size() > 6 ? r.getLong(6) : null,
                        r.size() > 7 ? r.getString(7) : null));
              }
              return out;
            });
  }

  /**
   * Upserts the rows, fenced by {@code fencingToken}, with the rollup buckets they touch on the
   * plain path (see {@link FencedWriter}). Duplicate (symbol, time) pairs in the batch keep the
   * last one. Returns the number of distinct rows sent.
   */
  public Future<Integer> upsert(Collection<CandleRow> rows, long fencingToken) {
    return flavor()
        .compose(
            f ->
                writer
                    .write(rows, fencingToken, f, FencedWriter.Mode.UPSERT)
                    .onSuccess(n -> afterWrite(f, rows)));
  }

  /**
   * TimescaleDB: minutes older than a refresh policy's window (a backlog flushed after a long
   * outage) are re-materialized into the aggregates; the policies cover the rest.
   */
  private void afterWrite(StorageFlavor f, Collection<CandleRow> rows) {
    if (f != StorageFlavor.TIMESCALE || rows.isEmpty()) return;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (CandleRow r : rows) {
      min = Math.min(min, r.time());
      max = Math.max(max, r.time());
    }
    aggregates.afterWrite(min, max);
  }

  /**
   * Makes {@code rows} ready for {@link #upsert(CandleBatch, long)}: the CPU part of a write (on
   * worker threads when large), which depends neither on the token nor on what the tables hold. A
   * caller writing batch after batch prepares the next one while the database writes the one
   * before.
   */
  public Future<CandleBatch> prepare(Collection<CandleRow> rows) {
    return FencedWriter.encode(rows);
  }

  /** {@link #upsert(Collection, long)} of a prepared batch. */
  public Future<Integer> upsert(CandleBatch batch, long fencingToken) {
    return flavor()
        .compose(
            f ->
                writer
                    .write(batch, fencingToken, f, FencedWriter.Mode.UPSERT)
                    .onSuccess(
                        n -> {
                          if (f == StorageFlavor.TIMESCALE && batch.size() > 0)
                            aggregates.afterWrite(batch.minTime(), batch.maxTime());
                        }));
  }

  /**
   * Like {@link #upsert} but never replaces an existing row: for backfill, so exchange klines
   * cannot overwrite a minute the flush wrote meanwhile from the live aggregate.
   */
  public Future<Integer> insertMissing(Collection<CandleRow> rows, long fencingToken) {
    return flavor()
        .compose(f -> writer.write(rows, fencingToken, f, FencedWriter.Mode.INSERT_MISSING));
  }

  /** The highest fencing token the database has accepted (0 before the first write). */
  public Future<Long> storedFencingToken() {
    return pool.query("SELECT token FROM oracle_fencing WHERE name = 'writer'")
        .execute()
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /**
   * Minute starts in {@code [fromSec, toSec]} (both minute-aligned) with no {@code ohlcv_1m} row
   * for the symbol.
   */
  public Future<List<Long>> missingMinutes(String symbol, long fromSec, long toSec) {
    String sql =
        """
        SELECT extract(epoch FROM g)::bigint
        FROM generate_series(to_timestamp($2), to_timestamp($3), interval '1 minute') AS g
        WHERE NOT EXISTS (SELECT 1 FROM ohlcv_1m m WHERE m.symbol = $1 AND m.time = g)
        ORDER BY 1""";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(symbol, fromSec, toSec))
        .map(
            rows -> {
              List<Long> out = new ArrayList<>(rows.size());
              for (Row r : rows) out.add(r.getLong(0));
              return out;
            });
  }

  /**
   * A stored minute never closed out ({@code origin} NULL): built from live ticks only (a leader
   * change or crash before the close-out, Redis lost), possibly partial.
   *
   * @param trades its stored trade count, null when unknown
   */
  public record Unclosed(long time, double volume, Long trades) {}

  /**
   * The newest {@code limit} minutes in {@code [fromSec, toSec]} stored for the symbol without an
   * origin (never closed out), oldest first. Reads the (symbol, time DESC) index backwards from
   * {@code toSec}: at most {@code limit} rows.
   */
  public Future<List<Unclosed>> unclosedMinutes(
      String symbol, long fromSec, long toSec, int limit) {
    String sql =
        """
        SELECT extract(epoch FROM time)::bigint, volume::float8, trades FROM ohlcv_1m
        WHERE symbol = $1 AND time >= to_timestamp($2) AND time <= to_timestamp($3) AND origin IS NULL
        ORDER BY time DESC LIMIT $4""";
    return pool.preparedQuery(sql)
        .execute(Tuple.of(symbol, fromSec, toSec, limit))
        .map(
            rows -> {
              List<Unclosed> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                Double v = r.getDouble(1);
                out.add(new Unclosed(r.getLong(0), v == null ? 0 : v, r.getLong(2)));
              }
              java.util.Collections.reverse(out);
              return out;
            });
  }

  /**
   * {@link #refreshAggregates} without waiting: a backfill job asks for it and goes on, and the
   * requests of a market-wide backfill (a job per symbol) merge into a few refreshes. A failure is
   * logged and tried again with the next write.
   */
  public void refreshAggregatesSoon(long fromSec, long toSec) {
    flavor()
        .onSuccess(
            f -> {
              if (f == StorageFlavor.TIMESCALE) aggregates.refreshAllSoon(fromSec, toSec);
            });
  }

  /**
   * TimescaleDB: re-materializes the continuous aggregates over {@code [fromSec, toSec]} (widened
   * to whole days), merged with other pending requests (see {@link AggregateRefresher}). Plain
   * path: nothing to do, the rollups were updated in the write transaction.
   */
  public Future<Void> refreshAggregates(long fromSec, long toSec) {
    return flavor()
        .compose(
            f -> {
              if (f != StorageFlavor.TIMESCALE) return Future.succeededFuture();
              return aggregates.refreshAll(fromSec, toSec);
            });
  }

  /** Refresh rounds run so far (tests: requests coalesce). */
  long aggregateRefreshes() {
    return aggregates.refreshes();
  }

  /**
   * Plain path housekeeping: creates the weekly partitions for the next {@code weeksAhead} weeks
   * and drops partitions (and rollup rows) older than {@link #RETENTION}. TimescaleDB does both
   * itself. Returns the number of partitions dropped.
   */
  public Future<Integer> maintain(int weeksAhead) {
    return flavor()
        .compose(
            f ->
                f != StorageFlavor.PLAIN
                    ? Future.succeededFuture(0)
                    : pool.query(
                            "SELECT oracle_ensure_ohlcv_partitions(now() - interval '1 week', now() + interval '"
                                + weeksAhead
                                + " weeks')")
                        .execute()
                        .compose(
                            r ->
                                pool.query(
                                        "SELECT oracle_drop_ohlcv_before(now() - interval '"
                                            + RETENTION
                                            + "')")
                                    .execute())
                        .map(rows -> rows.iterator().next().getInteger(0)));
  }

  public Pool pool() {
    return pool;
  }
}
