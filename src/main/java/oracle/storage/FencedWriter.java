package oracle.storage;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import oracle.common.OffLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code ohlcv_1m} rows (and, on the plain path, the rollup buckets they touch) in
 * transactions fenced by the writer's token: each one first raises the token in {@code
 * oracle_fencing}, or checks it is still ours, and fails with {@link StaleFencingTokenException} if
 * a higher one was seen.
 *
 * <p>A usual flush (one or two minutes of every symbol) is one transaction with one {@code unnest
 * ... ON CONFLICT} statement. A large batch (catching up after an outage, a backfill) is written as
 * {@link #PARALLEL_CHUNKS} concurrent transactions split by symbol, and the rows the table does not
 * have yet go in with a plain {@code INSERT}: the speculative insertion behind {@code ON CONFLICT}
 * costs about a third more per row, and almost every row of a catch-up is new.
 */
class FencedWriter {
  private static final Logger log = LoggerFactory.getLogger(FencedWriter.class);

  private static final String FENCE =
      """
      INSERT INTO oracle_fencing (name, token) VALUES ('writer', $1)
      ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token, updated_at = now()
        WHERE oracle_fencing.token <= EXCLUDED.token
      RETURNING token""";

  /**
   * The token is still ours; shares the row with our other chunks, blocks a newer leader's raise.
   */
  private static final String SHARED_FENCE =
      "SELECT token FROM oracle_fencing WHERE name = 'writer' AND token = $1 FOR SHARE";

  /**
   * Chunks of different batches (a flush's backlog and a backfill both take the fencing row FOR
   * SHARE) may write one rollup bucket at once; under READ COMMITTED each would recompute it
   * without the other's uncommitted minute and the later commit would drop the earlier one's. Each
   * chunk first takes a transaction lock per slot of its symbols, in ascending order (no deadlock),
   * so writers of a symbol's buckets take turns; a chunk's later statements then see what the one
   * before committed. Slots, not symbols: a 10,000-symbol chunk must not fill the lock table.
   */
  static final int LOCK_SLOTS = 256;

  private static final int LOCK_CLASS = 0x0C0FFEE;

  private static final String LOCK_SLOTS_SQL =
      "SELECT count(pg_advisory_xact_lock(" + LOCK_CLASS + ", s)) FROM unnest($1::int[]) AS s";

  static int lockSlot(String symbol) {
    return Math.floorMod(symbol.hashCode(), LOCK_SLOTS);
  }

  /**
   * Parallel arrays unnested into rows: one statement for a whole batch. The rows come sorted in
   * the order of the (symbol, time DESC) index, so each insert lands next to the one before (about
   * a quarter less time than random order). Tick times go through float8 seconds, which is exactly
   * the value the numeric division gave (both are the double nearest to ms / 1000), at a fraction
   * of its cost.
   */
  private static final String INSERT =
      """
      INSERT INTO ohlcv_1m (time, symbol, open, high, low, close, volume, quote_volume, sources, first_tick_at, last_tick_at,
                            trades, origin)
      SELECT to_timestamp(u.t), u.s, u.o::numeric, u.h::numeric, u.l::numeric, u.c::numeric, u.v::numeric,
             u.qv::numeric, string_to_array(u.src, ','), to_timestamp(u.ft::float8 / 1000), to_timestamp(u.lt::float8 / 1000),
             u.tr, u.og
      FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                  $10::bigint[], $11::bigint[], $12::bigint[], $13::text[])
           AS u(s, t, o, h, l, c, v, qv, src, ft, lt, tr, og)
      """;

  /** The keys a statement inserted or changed, so the rollups know which buckets moved. */
  private static final String RETURNING_KEYS =
      "\nRETURNING symbol, extract(epoch FROM time)::bigint";

  private static final String INSERT_MISSING =
      INSERT + "ON CONFLICT (symbol, time) DO NOTHING" + RETURNING_KEYS;

  /**
   * Both the stored row and the candle come from live ticks (their tick times are known) and the
   * candle was not closed out (no origin): they are merged, so a candle rebuilt after Redis lost
   * data (only the later ticks of a minute already partly stored) never makes the stored minute
   * less complete. Otherwise the candle, the newer version, replaces the row: a closed-out candle
   * (origin set) always does, unless {@link #KEEP} says the stored row is better.
   */
  private static final String MERGE =
      "(ohlcv_1m.first_tick_at IS NOT NULL AND EXCLUDED.first_tick_at IS NOT NULL AND EXCLUDED.origin IS NULL)";

  /**
   * The stored row stays as it is (the statement's WHERE): a candle of live ticks not closed out
   * never undoes a close-out (a closed-out row: origin live or repaired), and a repaired candle
   * never replaces a complete one (origin live: closed out from every source's whole trade stream)
   * with less: lower volume or fewer trades. A kline row (origin backfill) is replaced as before.
   * coalesce: an unknown trade count decides nothing, and a NULL must not turn the WHERE false.
   */
  static final String KEEP =
      """
      coalesce((EXCLUDED.origin IS NULL AND ohlcv_1m.origin IN ('live', 'repaired'))
        OR (EXCLUDED.origin = 'repaired' AND ohlcv_1m.origin = 'live'
            AND (EXCLUDED.volume < ohlcv_1m.volume OR coalesce(EXCLUDED.trades < ohlcv_1m.trades, false))), false)""";

  // Unchanged rows are not rewritten (no dead tuples,
  // no aggregate invalidation when a flush repeats).
  private static final String UPSERT =
      INSERT
          + """
      ON CONFLICT (symbol, time) DO UPDATE SET
        open = CASE WHEN %1$s AND ohlcv_1m.first_tick_at < EXCLUDED.first_tick_at THEN ohlcv_1m.open ELSE EXCLUDED.open END,
        high = CASE WHEN %1$s THEN greatest(ohlcv_1m.high, EXCLUDED.high) ELSE EXCLUDED.high END,
        low = CASE WHEN %1$s THEN least(ohlcv_1m.low, EXCLUDED.low) ELSE EXCLUDED.low END,
        close = CASE WHEN %1$s AND ohlcv_1m.last_tick_at > EXCLUDED.last_tick_at THEN ohlcv_1m.close ELSE EXCLUDED.close END,
        volume = CASE WHEN %1$s THEN greatest(ohlcv_1m.volume, EXCLUDED.volume) ELSE EXCLUDED.volume END,
        quote_volume = CASE WHEN %1$s THEN greatest(ohlcv_1m.quote_volume, EXCLUDED.quote_volume) ELSE EXCLUDED.quote_volume END,
        sources = CASE WHEN %1$s THEN coalesce(ohlcv_1m.sources, '{}')
            || ARRAY(SELECT x FROM unnest(EXCLUDED.sources) x WHERE x <> ALL (coalesce(ohlcv_1m.sources, '{}')))
          ELSE EXCLUDED.sources END,
        first_tick_at = least(ohlcv_1m.first_tick_at, EXCLUDED.first_tick_at),
        last_tick_at = greatest(ohlcv_1m.last_tick_at, EXCLUDED.last_tick_at),
        trades = CASE WHEN %1$s THEN greatest(ohlcv_1m.trades, EXCLUDED.trades) ELSE EXCLUDED.trades END,
        origin = EXCLUDED.origin
      WHERE NOT %2$s
        AND (ohlcv_1m.open, ohlcv_1m.high, ohlcv_1m.low, ohlcv_1m.close, ohlcv_1m.volume, ohlcv_1m.quote_volume, ohlcv_1m.sources,
             ohlcv_1m.first_tick_at, ohlcv_1m.last_tick_at, ohlcv_1m.trades, ohlcv_1m.origin)
            IS DISTINCT FROM
            (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.volume, EXCLUDED.quote_volume, EXCLUDED.sources,
             EXCLUDED.first_tick_at, EXCLUDED.last_tick_at, EXCLUDED.trades, EXCLUDED.origin)"""
              .formatted(MERGE, KEEP)
          + RETURNING_KEYS;
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * The tables whose keys decide between INSERT and ON CONFLICT: ohlcv_1m, and the rollups on the
   * plain path.
   */
  private static List<Resolution> keyedTables(StorageFlavor flavor) {
    return flavor == StorageFlavor.PLAIN ? List.of(Resolution.values()) : List.of(Resolution.M1);
  }

  /**
   * The keys each table holds for the batch's symbols ($1) up to its last minute ($2), each table
   * from the first bucket the batch touches in it ($3, $4, ...), tagged with the table.
   */
  private static String storedKeys(StorageFlavor flavor) {
    List<Resolution> tables = keyedTables(flavor);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      Resolution r = tables.get(i);
      parts.add(
          "SELECT "
              + r.ordinal()
              + ", symbol, extract(epoch FROM time)::bigint FROM "
              + r.table()
              + " WHERE symbol = ANY($1::text[]) AND time >= to_timestamp($"
              + (i + 3)
              + ") AND time <= to_timestamp($2)");
    }
    return String.join(" UNION ALL ", parts);
  }

  /** What happens to a row the table already has. */
  enum Mode {
    /** It is replaced (the flush: Redis holds the newer version). */
    UPSERT,
    /** It is kept (backfill: exchange klines never overwrite a minute written from live prices). */
    INSERT_MISSING
  }

  /**
   * Batches from this size are split by symbol and written on {@link #PARALLEL_CHUNKS} connections
   * at once.
   */
  static final int PARALLEL_ROWS = 20_000;

  private static final int PARALLEL_CHUNKS = 2;

  /** Batches above this size are prepared on a worker thread, not the event loop. */
  private static final int OFFLOAD_ROWS = 5_000;

  private final Pool pool;

  FencedWriter(Pool pool) {
    this.pool = pool;
  }

  /**
   * The keys of a batch's range that are already stored: minutes of {@code ohlcv_1m}, and on the
   * plain path bucket starts of each rollup table. Anything else can be inserted without {@code ON
   * CONFLICT}.
   */
  record Stored(Map<Resolution, Set<MinuteKey>> keys) {
    Set<MinuteKey> of(Resolution table) {
      return keys.getOrDefault(table, Set.of());
    }
  }

  /** Everything a transaction sends, computed before it opens. */
  private record WritePlan(
      int rows,
      long minTime,
      long maxTime,
      List<SqlStep> rowSteps,
      List<CandleRow> inserted,
      List<RollupRefresher.Step> rollupSteps,
      Integer[] lockSlots) {}

  /**
   * Writes {@code rows}; duplicate (symbol, time) pairs keep the last one. Returns the number of
   * distinct rows.
   */
  Future<Integer> write(Collection<CandleRow> rows, long token, StorageFlavor flavor, Mode mode) {
    return encode(rows).compose(batch -> write(batch, token, flavor, mode));
  }

  /**
   * De-duplicates, orders and encodes {@code rows} for {@link #write(CandleBatch, long,
   * StorageFlavor, Mode)}: the CPU work of a write that neither the token nor what the table holds
   * changes, on worker threads for a large batch (the chunks of a parallel write side by side). A
   * caller can encode the next batch while the database writes the one before.
   */
  static Future<CandleBatch> encode(Collection<CandleRow> rows) {
    if (rows.size() < PARALLEL_ROWS) {
      return OffLoop.compute(
          rows.size(), OFFLOAD_ROWS, () -> new CandleBatch(null, List.of(Encoded.of(rows))));
    }
    return OffLoop.compute(rows.size(), OFFLOAD_ROWS, () -> Split.of(rows))
        .compose(
            split -> {
              List<Future<Encoded>> encoding = new ArrayList<>();
              for (List<CandleRow> chunk : split.chunks())
                encoding.add(OffLoop.compute(chunk.size(), OFFLOAD_ROWS, () -> Encoded.of(chunk)));
              return Future.all(encoding)
                  .map(
                      all -> {
                        List<Encoded> encoded = new ArrayList<>(encoding.size());
                        for (int i = 0; i < encoding.size(); i++)
                          encoded.add(all.<Encoded>resultAt(i));
                        return new CandleBatch(split, encoded);
                      });
            });
  }

  /** Writes an encoded batch (see {@link #write(Collection, long, StorageFlavor, Mode)}). */
  Future<Integer> write(CandleBatch batch, long token, StorageFlavor flavor, Mode mode) {
    if (batch.split() != null) return writeInParallel(batch, token, flavor, mode);
    return prepare(batch.chunks().get(0), flavor, mode, null)
        .compose(
            plan ->
                pool.withTransaction(
                    conn -> {
                      // Sent at once (pipelined): a refused token fails the fence, and the
                      // transaction with everything after it is rolled back.
                      List<Future<?>> sent = new ArrayList<>();
                      sent.add(fence(conn, token));
                      if (plan.rows() > 0) {
                        sent.add(ensurePartitions(conn, flavor, plan.minTime(), plan.maxTime()));
                        sent.add(run(conn, plan));
                      }
                      return SqlStep.firstFailureInOrder(sent).map(plan.rows());
                    }));
  }

  /**
   * The large-batch path. The token is raised once, in a first transaction that also creates the
   * partitions; one query then finds which rows and rollup buckets of the batch are already stored.
   * Every chunk takes the fencing row {@code FOR SHARE} and checks the token is still ours, so the
   * chunks run side by side while a newer leader's raise waits for them and, once committed, fails
   * any chunk of ours that starts later. Each chunk holds every row of its symbols, so its rollup
   * buckets are its own.
   *
   * <p>A row that appears between the check and the insert (a concurrent backfill of the same
   * minute) fails its chunk with a unique violation; that chunk is then written again with {@code
   * ON CONFLICT}. A chunk that fails otherwise leaves the batch unconfirmed: the caller marks
   * nothing and writes the whole batch again (every write is idempotent).
   */
  private Future<Integer> writeInParallel(
      CandleBatch batch, long token, StorageFlavor flavor, Mode mode) {
    Split split = batch.split();
    return pool.withTransaction(
            conn ->
                fence(conn, token)
                    .compose(v -> ensurePartitions(conn, flavor, split.min(), split.max())))
        .compose(v -> stored(flavor, split.symbols(), split.min(), split.max()))
        .compose(
            stored -> {
              List<Future<Integer>> writes = new ArrayList<>();
              for (Encoded chunk : batch.chunks()) {
                writes.add(
                    writeChunk(chunk, token, flavor, mode, stored)
                        .recover(
                            err -> {
                              if (!isUniqueViolation(err)) return Future.failedFuture(err);
                              log.info(
                                  "a row of the batch appeared while it was written; writing its chunk again with ON CONFLICT");
                              return writeChunk(chunk, token, flavor, mode, null);
                            }));
              }
              return Future.all(writes)
                  .map(
                      all -> {
                        int n = 0;
                        for (int i = 0; i < writes.size(); i++) n += all.<Integer>resultAt(i);
                        return n;
                      });
            });
  }

  /** A large batch's time range, symbols and chunks (computed off the event loop). */
  record Split(long min, long max, String[] symbols, List<List<CandleRow>> chunks) {
    static Split of(Collection<CandleRow> rows) {
      long min = rows.stream().mapToLong(CandleRow::time).min().orElse(0);
      long max = rows.stream().mapToLong(CandleRow::time).max().orElse(0);
      String[] symbols = rows.stream().map(CandleRow::symbol).distinct().toArray(String[]::new);
      return new Split(min, max, symbols, splitBySymbol(rows, PARALLEL_CHUNKS));
    }
  }

  /**
   * One chunk of a parallel write; {@code stored} null means "unknown": every row goes through ON
   * CONFLICT.
   */
  private Future<Integer> writeChunk(
      Encoded chunk, long token, StorageFlavor flavor, Mode mode, Stored stored) {
    return prepare(chunk, flavor, mode, stored)
        .compose(
            plan ->
                pool.withTransaction(
                    conn ->
                        SqlStep.firstFailureInOrder(
                                List.of(
                                    sharedFence(conn, token),
                                    conn.preparedQuery(LOCK_SLOTS_SQL)
                                        .execute(Tuple.tuple().addArrayOfInteger(plan.lockSlots())),
                                    run(conn, plan)))
                            .map(plan.rows())));
  }

  /**
   * Rows grouped by symbol into {@code n} chunks of similar size (largest groups first); the
   * symbols of one {@link #lockSlot} go to one chunk, so a batch's own chunks never wait for each
   * other.
   */
  static List<List<CandleRow>> splitBySymbol(Collection<CandleRow> rows, int n) {
    Map<Integer, List<CandleRow>> bySlot = new LinkedHashMap<>();
    for (CandleRow r : rows)
      bySlot.computeIfAbsent(lockSlot(r.symbol()), k -> new ArrayList<>()).add(r);
    List<List<CandleRow>> groups = new ArrayList<>(bySlot.values());
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

  /** What the tables hold for these symbols from the buckets of {@code min} to {@code max}. */
  Future<Stored> stored(StorageFlavor flavor, String[] symbols, long min, long max) {
    Tuple params = Tuple.tuple().addArrayOfString(symbols).addLong(max);
    for (Resolution r : keyedTables(flavor)) params.addLong(r.bucketStart(min));
    return pool.preparedQuery(storedKeys(flavor))
        .execute(params)
        .map(
            rows -> {
              Map<Resolution, Set<MinuteKey>> keys = new EnumMap<>(Resolution.class);
              for (Row r : rows) {
                keys.computeIfAbsent(Resolution.values()[r.getInteger(0)], k -> new HashSet<>())
                    .add(new MinuteKey(r.getString(1), r.getLong(2)));
              }
              return new Stored(keys);
            });
  }

  private static boolean isUniqueViolation(Throwable err) {
    return err instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static Future<Void> fence(SqlConnection conn, long token) {
    return conn.preparedQuery(FENCE)
        .execute(Tuple.of(token))
        .compose(
            rows ->
                rows.size() == 1
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new StaleFencingTokenException(token)));
  }

  private static Future<Void> sharedFence(SqlConnection conn, long token) {
    return conn.preparedQuery(SHARED_FENCE)
        .execute(Tuple.of(token))
        .compose(
            rows ->
                rows.size() == 1
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new StaleFencingTokenException(token)));
  }

  private static Future<Void> ensurePartitions(
      SqlConnection conn, StorageFlavor flavor, long min, long max) {
    if (flavor != StorageFlavor.PLAIN) return Future.succeededFuture();
    return conn.preparedQuery(
            "SELECT oracle_ensure_ohlcv_partitions(to_timestamp($1), to_timestamp($2))")
        .execute(Tuple.of(min, max))
        .mapEmpty();
  }

  /**
   * The rows first (pipelined), then the rollups: fixed buckets, and the partial ones that the
   * minutes inserted or changed (plain INSERTs, and what the ON CONFLICT statements return) make
   * necessary.
   */
  private static Future<Void> run(SqlConnection conn, WritePlan plan) {
    long started = System.nanoTime();
    List<Future<RowSet<Row>>> sent = new ArrayList<>();
    for (SqlStep step : plan.rowSteps())
      sent.add(conn.preparedQuery(step.sql()).execute(step.params()));
    return SqlStep.firstFailureInOrder(new ArrayList<>(sent))
        .compose(
            v -> {
              long rowsDone = System.nanoTime();
              if (!RollupRefresher.needsChanges(plan.rollupSteps())) {
                return SqlStep.runInOrder(
                        conn, RollupRefresher.resolve(plan.rollupSteps(), List.of()))
                    .map(rowsDone);
              }
              return OffLoop.compute(
                      plan.rows(),
                      OFFLOAD_ROWS,
                      () -> RollupRefresher.resolve(plan.rollupSteps(), changed(plan, sent)))
                  .compose(steps -> SqlStep.runInOrder(conn, steps))
                  .map(rowsDone);
            })
        .onSuccess(
            rowsDone -> {
              if (log.isDebugEnabled()) {
                log.debug(
                    "wrote {} candles: ohlcv_1m {} ms, rollups {} ms",
                    plan.rows(),
                    (rowsDone - started) / 1_000_000,
                    (System.nanoTime() - rowsDone) / 1_000_000);
              }
            })
        .mapEmpty();
  }

  /** The minutes a transaction's row statements inserted or changed. */
  private static List<MinuteKey> changed(WritePlan plan, List<Future<RowSet<Row>>> results) {
    List<MinuteKey> out = new ArrayList<>();
    for (CandleRow r : plan.inserted()) out.add(new MinuteKey(r.symbol(), r.time()));
    for (Future<RowSet<Row>> f : results)
      for (Row r : f.result())
        if (r.size() == 2) out.add(new MinuteKey(r.getString(0), r.getLong(1)));
    return out;
  }

  /**
   * Plans a transaction's statements: pure CPU, on a worker thread for large batches. With {@code
   * stored} known, rows (and rollup buckets) not in it get a plain INSERT and the others the mode's
   * statement.
   */
  private static Future<WritePlan> prepare(
      Encoded rows, StorageFlavor flavor, Mode mode, Stored stored) {
    Callable<WritePlan> work =
        () -> {
          int n = rows.size();
          Set<MinuteKey> storedMinutes = stored == null ? null : stored.of(Resolution.M1);
          boolean[] isStored = new boolean[n];
          int present = 0;
          for (int i = 0; i < n; i++) {
            CandleRow r = rows.rows().get(i);
            isStored[i] =
                storedMinutes == null
                    || (!storedMinutes.isEmpty()
                        && storedMinutes.contains(new MinuteKey(r.symbol(), r.time())));
            if (isStored[i]) present++;
          }
          int[] freshAt = new int[n - present];
          int[] presentAt = new int[present];
          List<CandleRow> fresh = new ArrayList<>(n - present);
          for (int i = 0, f = 0, p = 0; i < n; i++) {
            if (isStored[i]) {
              presentAt[p++] = i;
            } else {
              freshAt[f++] = i;
              fresh.add(rows.rows().get(i));
            }
          }
          List<SqlStep> rowSteps = new ArrayList<>();
          if (freshAt.length > 0) rowSteps.add(new SqlStep(INSERT, rows.arrays(freshAt)));
          if (presentAt.length > 0 && (stored == null || mode == Mode.UPSERT)) {
            rowSteps.add(
                new SqlStep(mode == Mode.UPSERT ? UPSERT : INSERT_MISSING, rows.arrays(presentAt)));
          }
          // A row is stored exactly as sent when it is new, or replaces the stored one; a live row
          // that may merge into a stored one is not, nor a closed-out one that the stored row may
          // keep out (KEEP): their buckets are recomputed from the table.
          java.util.function.Predicate<CandleRow> exact =
              r ->
                  mode == Mode.UPSERT
                      && ((r.firstTickAt() == null && r.origin() == null)
                          || (storedMinutes != null
                              && !storedMinutes.contains(new MinuteKey(r.symbol(), r.time()))));
          List<RollupRefresher.Step> rollups =
              flavor == StorageFlavor.PLAIN && n > 0
                  ? RollupRefresher.plan(rows.rows(), exact, stored)
                  : List.of();
          java.util.TreeSet<Integer> slots = new java.util.TreeSet<>();
          for (CandleRow r : rows.rows()) slots.add(lockSlot(r.symbol()));
          return new WritePlan(
              n, rows.min(), rows.max(), rowSteps, fresh, rollups, slots.toArray(Integer[]::new));
        };
    return OffLoop.compute(rows.size(), OFFLOAD_ROWS, work); // parallel chunks prepare side by side
  }

  /** The order of ohlcv_1m's unique index (symbol, time DESC). */
  private static final java.util.Comparator<CandleRow> INDEX_ORDER =
      (a, b) -> {
        int bySymbol = a.symbol().compareTo(b.symbol());
        return bySymbol != 0 ? bySymbol : Long.compare(b.time(), a.time());
      };

  /**
   * Distinct rows (the last of a (symbol, time) pair wins) in the index's order, with the text of
   * their columns computed once: a transaction sends all of them or picks the new and the stored
   * ones by position.
   */
  static final class Encoded {
    private final List<CandleRow> rows;
    private final long min;
    private final long max;
    private final String[] s, o, h, l, c, v, qv, src, og;
    private final Long[] t, ft, lt, tr;

    private Encoded(List<CandleRow> rows) {
      this.rows = rows;
      int n = rows.size();
      s = new String[n];
      o = new String[n];
      h = new String[n];
      l = new String[n];
      c = new String[n];
      v = new String[n];
      qv = new String[n];
      src = new String[n];
      t = new Long[n];
      ft = new Long[n];
      lt = new Long[n];
      tr = new Long[n];
      og = new String[n];
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      List<String> lastSources = null;
      String lastJoined = null;
      for (int i = 0; i < n; i++) {
        CandleRow r = rows.get(i);
        s[i] = r.symbol();
        t[i] = r.time();
        o[i] = Decimals.text(r.open());
        h[i] = Decimals.text(r.high());
        l[i] = Decimals.text(r.low());
        c[i] = Decimals.text(r.close());
        v[i] = Decimals.text(r.volume());
        qv[i] = r.quoteVolume() == null ? null : Decimals.text(r.quoteVolume());
        // Consecutive rows mostly share their sources: joined once per run.
        if (!r.sources().equals(lastSources)) {
          lastSources = r.sources();
          lastJoined = String.join(",", lastSources);
        }
        src[i] = lastJoined;
        ft[i] = r.firstTickAt();
        lt[i] = r.lastTickAt();
        tr[i] = r.trades();
        og[i] = r.origin();
        lo = Math.min(lo, r.time());
        hi = Math.max(hi, r.time());
      }
      min = lo;
      max = hi;
    }

    static Encoded of(Collection<CandleRow> batch) {
      List<CandleRow> sorted = new ArrayList<>(batch);
      // Stable: of equal (symbol, time) rows the last one of the batch ends its run.
      sorted.sort(INDEX_ORDER);
      List<CandleRow> distinct = new ArrayList<>(sorted.size());
      for (int i = 0; i < sorted.size(); i++) {
        CandleRow r = sorted.get(i);
        if (i + 1 < sorted.size()) {
          CandleRow next = sorted.get(i + 1);
          if (next.time() == r.time() && next.symbol().equals(r.symbol())) continue;
        }
        distinct.add(r);
      }
      return new Encoded(distinct);
    }

    List<CandleRow> rows() {
      return rows;
    }

    int size() {
      return rows.size();
    }

    long min() {
      return min;
    }

    long max() {
      return max;
    }

    /** The statements' parallel arrays for the rows at {@code at} (all of them: no copy). */
    Tuple arrays(int[] at) {
      boolean all = at.length == rows.size();
      // Built one by one: Tuple.of(Object, Object...) would spread a trailing array into elements.
      return Tuple.tuple()
          .addArrayOfString(all ? s : pick(s, at, new String[at.length]))
          .addArrayOfLong(all ? t : pick(t, at, new Long[at.length]))
          .addArrayOfString(all ? o : pick(o, at, new String[at.length]))
          .addArrayOfString(all ? h : pick(h, at, new String[at.length]))
          .addArrayOfString(all ? l : pick(l, at, new String[at.length]))
          .addArrayOfString(all ? c : pick(c, at, new String[at.length]))
          .addArrayOfString(all ? v : pick(v, at, new String[at.length]))
          .addArrayOfString(all ? qv : pick(qv, at, new String[at.length]))
          .addArrayOfString(all ? src : pick(src, at, new String[at.length]))
          .addArrayOfLong(all ? ft : pick(ft, at, new Long[at.length]))
          .addArrayOfLong(all ? lt : pick(lt, at, new Long[at.length]))
          .addArrayOfLong(all ? tr : pick(tr, at, new Long[at.length]))
          .addArrayOfString(all ? og : pick(og, at, new String[at.length]));
    }

    private static <T> T[] pick(T[] from, int[] at, T[] into) {
      for (int i = 0; i < at.length; i++) into[i] = from[at[i]];
      return into;
    }
  }
}
