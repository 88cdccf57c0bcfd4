package oracle.storage;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import oracle.common.Candle;
import oracle.storage.FencedWriter.Stored;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One suite, two schemas: the plain PostgreSQL path (PostgreSQL 15) and the TimescaleDB path (real
 * TimescaleDB 2.23 engine in PGlite). Every test here must pass on both, which is what "both paths
 * return the same rows for the same input" means in practice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StorageContractTest {
  /** Fencing tokens only ever grow during a run, like the real counter. */
  static final AtomicLong TOKENS = new AtomicLong(1_000);

  protected Vertx vertx;
  protected Pool pool;
  protected CandleRepository repo;

  abstract StorageBackend backend();

  StorageFlavor flavor() {
    return backend().flavor();
  }

  /** Runs the retention of ohlcv_1m and the rollups now. */
  abstract void runRetention();

  @BeforeAll
  void setUpDatabase() {
    vertx = Vertx.vertx();
    pool = backend().pool(vertx);
    repo = backend().freshSchema(pool);
  }

  @BeforeEach
  void emptyTables() {
    backend().emptyTables(pool);
  }

  @AfterAll
  void tearDown() {
    if (pool != null) await(pool.close()); // null when a missing engine skipped the class
    await(vertx.close());
  }

  static long token() {
    return TOKENS.incrementAndGet();
  }

  /**
   * Start of the UTC day two days ago: recent enough for every refresh policy, old enough to be
   * closed.
   */
  static long baseMinute() {
    long now = System.currentTimeMillis() / 1000;
    return Resolution.D1.bucketStart(now) - 2 * 86_400;
  }

  static CandleRow row(String symbol, long time, double close) {
    return new CandleRow(
        symbol,
        time,
        close - 1,
        close + 2,
        close - 3,
        close,
        1.5,
        close * 1.5,
        List.of("binance", "okx"));
  }

  void refreshAll() {
    backend().refreshAggregates(pool);
  }

  // ---- migrations -------------------------------------------------------------------------------

  @Test
  void migrateRecordsEveryFileWithItsChecksumAndIsIdempotent() {
    assertThat(await(new Migrator(pool).migrate())).isEqualTo(flavor());
    var rows =
        await(
            pool.query(
                    "SELECT version, name, checksum, flavor FROM schema_migrations ORDER BY version")
                .execute());
    List<Migration> files = Migration.forFlavor(flavor());
    assertThat(rows.size()).isEqualTo(files.size());
    int i = 0;
    for (var r : rows) {
      assertThat(r.getInteger("version")).isEqualTo(files.get(i).version());
      assertThat(r.getString("checksum")).isEqualTo(files.get(i).checksum());
      assertThat(r.getString("flavor")).isEqualTo(flavor().id());
      i++;
    }
  }

  @Test
  void refusesToRunWhenAnAppliedFileChanged() {
    String real =
        await(pool.query("SELECT checksum FROM schema_migrations WHERE version = 2").execute())
            .iterator()
            .next()
            .getString(0);
    await(
        pool.query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2").execute());
    try {
      assertThatThrownBy(() -> await(new Migrator(pool).migrate()))
          .isInstanceOf(MigrationException.class)
          .hasMessageContaining("002_ohlcv.sql changed after it was applied");
    } finally {
      await(
          pool.preparedQuery("UPDATE schema_migrations SET checksum = $1 WHERE version = 2")
              .execute(io.vertx.sqlclient.Tuple.of(real)));
    }
  }

  @Test
  void rollbackUndoesTheLatestMigrationAndMigrateReappliesIt() {
    assertThat(await(new Migrator(pool).rollback(1))).isEqualTo(1);
    assertThat(
            await(
                    pool.query(
                            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'ohlcv_1m' "
                                + "AND column_name IN ('trades', 'origin')")
                        .execute())
                .iterator()
                .next()
                .getLong(0))
        .as("006 undone")
        .isZero();
    assertThat(await(new Migrator(pool).rollback(1))).isEqualTo(1);
    assertThat(
            await(
                    pool.query(
                            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'oracle_fencing' "
                                + "AND column_name = 'lease_epoch'")
                        .execute())
                .iterator()
                .next()
                .getLong(0))
        .as("005 undone")
        .isZero();
    assertThat(await(new Migrator(pool).rollback(1))).isEqualTo(1);
    assertThat(
            await(
                    pool.query(
                            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'ohlcv_1m' "
                                + "AND column_name IN ('first_tick_at', 'last_tick_at')")
                        .execute())
                .iterator()
                .next()
                .getLong(0))
        .as("004 undone")
        .isZero();
    assertThat(await(new Migrator(pool).rollback(2))).isEqualTo(2);
    assertThat(
            await(
                    pool.query(
                            "SELECT to_regclass('ohlcv_1m') IS NULL, to_regclass('ohlcv_5m') IS NULL, "
                                + "to_regclass('oracle_fencing') IS NOT NULL")
                        .execute())
                .iterator()
                .next()
                .toJson()
                .getMap()
                .values())
        .containsOnly(true);
    assertThat(await(new Migrator(pool).migrate())).isEqualTo(flavor());
    assertThat(
            await(pool.query("SELECT count(*) FROM schema_migrations").execute())
                .iterator()
                .next()
                .getLong(0))
        .isEqualTo(6L);
    await(repo.upsert(List.of(row("BTC/USDT", baseMinute(), 100)), token()));
    assertThat(await(repo.read("BTC/USDT", "1m", baseMinute(), baseMinute(), 10))).hasSize(1);
  }

  // ---- writes and reads -------------------------------------------------------------------------

  @Test
  void batchInsertWritesEveryRowInOneCall() {
    long base = baseMinute();
    List<CandleRow> rows = new ArrayList<>();
    for (String s : List.of("BTC/USDT", "ETH/USDT", "SOL/USDT")) {
      for (int m = 0; m < 120; m++) rows.add(row(s, base + m * 60L, 100 + m));
    }
    assertThat(await(repo.upsert(rows, token()))).isEqualTo(360);
    List<Candle> eth = await(repo.read("ETH/USDT", "1m", base, base + 7200, 1000));
    assertThat(eth).hasSize(120);
    assertThat(eth.get(0).time()).isEqualTo(base);
    assertThat(eth.get(119).close()).isEqualTo(219.0);
    assertThat(eth).isSortedAccordingTo(Comparator.comparingLong(Candle::time));
    assertThat(await(repo.read("ETH/USDT", "1m", base, base + 7200, 5)))
        .hasSize(5)
        .first()
        .extracting(Candle::time)
        .isEqualTo(base);
    var stored =
        await(
                pool.query(
                        "SELECT quote_volume::float8, sources FROM ohlcv_1m WHERE symbol = 'BTC/USDT' ORDER BY time LIMIT 1")
                    .execute())
            .iterator()
            .next();
    assertThat(stored.getDouble(0)).isEqualTo(150.0);
    assertThat(stored.getArrayOfStrings(1)).containsExactly("binance", "okx");
  }

  @Test
  void upsertReplacesTheRowOnConflict() {
    long t = baseMinute() + 600;
    await(repo.upsert(List.of(row("BTC/USDT", t, 100)), token()));
    await(repo.upsert(List.of(row("BTC/USDT", t, 105.25), row("BTC/USDT", t + 60, 106)), token()));
    List<Candle> got = await(repo.read("BTC/USDT", "1m", t, t + 60, 10));
    assertThat(got).extracting(Candle::close).containsExactly(105.25, 106.0);
    assertThat(got.get(0).high()).isEqualTo(107.25);
    assertThat(
            await(pool.query("SELECT count(*) FROM ohlcv_1m").execute())
                .iterator()
                .next()
                .getLong(0))
        .isEqualTo(2L);
  }

  /** A candle of one minute, with tick times (a live one) and its trade count and origin. */
  static CandleRow provenance(
      String symbol, long t, double close, double volume, Long trades, String origin) {
    return new CandleRow(
        symbol,
        t,
        close,
        close + 1,
        close - 1,
        close,
        volume,
        null,
        List.of("binance"),
        t * 1000 + 1_000,
        t * 1000 + 59_000,
        trades,
        origin);
  }

  /** close, volume, trades (null: -1), origin (null: "-") of the stored minute. */
  String storedProvenance(String symbol, long t) {
    var r =
        await(
                pool.preparedQuery(
                        "SELECT close::float8, volume::float8, trades, origin FROM ohlcv_1m "
                            + "WHERE symbol = $1 AND time = to_timestamp($2)")
                    .execute(io.vertx.sqlclient.Tuple.of(symbol, t)))
            .iterator()
            .next();
    Long trades = r.getLong(2);
    String origin = r.getString(3);
    return r.getDouble(0)
        + " "
        + r.getDouble(1)
        + " "
        + (trades == null ? -1 : trades)
        + " "
        + (origin == null ? "-" : origin);
  }

  @Test
  void aClosedOutCandleReplacesTheRowAndOnlyABetterOneReplacesACompleteLiveOne() {
    long t = baseMinute() + 1200;
    // live ticks, not closed out: two flushes merge (greatest volume and trades)
    await(repo.upsert(List.of(provenance("A/USDT", t, 10, 5, 40L, null)), token()));
    await(repo.upsert(List.of(provenance("A/USDT", t, 11, 4, 30L, null)), token()));
    assertThat(storedProvenance("A/USDT", t)).isEqualTo("11.0 5.0 40 -");

    // the close-out replaces the merged row, lower volume and all
    await(repo.upsert(List.of(provenance("A/USDT", t, 12, 3, 25L, "repaired")), token()));
    assertThat(storedProvenance("A/USDT", t)).isEqualTo("12.0 3.0 25 repaired");

    // a late candle of live ticks never undoes a close-out
    await(repo.upsert(List.of(provenance("A/USDT", t, 99, 99, 99L, null)), token()));
    assertThat(storedProvenance("A/USDT", t)).isEqualTo("12.0 3.0 25 repaired");

    // a complete (live) close-out replaces a repaired one
    await(repo.upsert(List.of(provenance("A/USDT", t, 13, 6, 50L, "live")), token()));
    assertThat(storedProvenance("A/USDT", t)).isEqualTo("13.0 6.0 50 live");

    // a repaired one with fewer trades, or less volume, or less volume and no trade count, is kept
    // out
    await(repo.upsert(List.of(provenance("A/USDT", t, 14, 7, 49L, "repaired")), token()));
    await(repo.upsert(List.of(provenance("A/USDT", t, 14, 5.5, 60L, "repaired")), token()));
    await(repo.upsert(List.of(provenance("A/USDT", t, 14, 5.5, null, "repaired")), token()));
    assertThat(storedProvenance("A/USDT", t)).isEqualTo("13.0 6.0 50 live");

    // ... and one with no less of either replaces it (an unknown count decides nothing)
    await(repo.upsert(List.of(provenance("A/USDT", t, 15, 6, null, "repaired")), token()));
    assertThat(storedProvenance("A/USDT", t)).isEqualTo("15.0 6.0 -1 repaired");
  }

  @Test
  void aBackfillRowFillsOnlyAMissingMinuteAndALiveCandleReplacesIt() {
    long t = baseMinute() + 1800;
    CandleRow kline =
        new CandleRow("B/USDT", t, 1, 2, 0.5, 1.5, 8, null, List.of("binance"))
            .withProvenance(77L, "backfill");
    await(repo.insertMissing(List.of(kline), token()));
    assertThat(storedProvenance("B/USDT", t)).isEqualTo("1.5 8.0 77 backfill");

    // a close-out replaces the kline; a kline never replaces the close-out
    await(repo.upsert(List.of(provenance("B/USDT", t, 2, 9, 80L, "live")), token()));
    await(repo.insertMissing(List.of(kline), token()));
    assertThat(storedProvenance("B/USDT", t)).isEqualTo("2.0 9.0 80 live");

    // live ticks not closed out replace a kline row (it has no tick times), as before
    await(repo.insertMissing(List.of(kline.withProvenance(77L, "backfill")), token()));
    long u = t + 60;
    await(
        repo.insertMissing(
            List.of(
                new CandleRow("B/USDT", u, 1, 2, 0.5, 1.5, 8, null, List.of())
                    .withProvenance(null, "backfill")),
            token()));
    await(repo.upsert(List.of(provenance("B/USDT", u, 3, 1, 4L, null)), token()));
    assertThat(storedProvenance("B/USDT", u)).isEqualTo("3.0 1.0 4 -");
  }

  @Test
  void anUnknownOriginIsRefused() {
    assertThatThrownBy(() -> provenance("C/USDT", baseMinute(), 1, 1, 1L, "guessed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("origin");
  }

  @Test
  void aStaleFencingTokenIsRejectedAndWritesNothing() {
    long t = baseMinute();
    long newer = token();
    long older = newer - 5;
    await(repo.upsert(List.of(row("BTC/USDT", t, 100)), newer));
    assertThatThrownBy(
            () ->
                await(
                    repo.upsert(List.of(row("BTC/USDT", t, 1), row("BTC/USDT", t + 60, 1)), older)))
        .isInstanceOf(StaleFencingTokenException.class);
    assertThat(await(repo.read("BTC/USDT", "1m", t, t + 60, 10)))
        .extracting(Candle::close)
        .containsExactly(100.0);
    // The current leader keeps writing with its own token.
    await(repo.upsert(List.of(row("BTC/USDT", t + 60, 101)), newer));
    assertThat(await(repo.read("BTC/USDT", "1m", t, t + 60, 10))).hasSize(2);
  }

  @Test
  void unknownResolutionFails() {
    assertThatThrownBy(() -> await(repo.read("BTC/USDT", "2m", 0, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2m");
  }

  // ---- rollups / continuous aggregates ----------------------------------------------------------

  @Test
  void rollupsAgreeWithTheOneMinuteRows() {
    long base = baseMinute();
    Random random = new Random(42);
    Map<String, TreeMap<Long, CandleRow>> input = new TreeMap<>();
    List<CandleRow> first = new ArrayList<>();
    for (String s : List.of("BTC/USDT", "ETH/USDT")) {
      for (int m = 0; m < 2 * 1440; m++) {
        if (random.nextInt(10) == 0) continue; // gaps
        double close = 1000 + Math.round(random.nextGaussian() * 10_000) / 100.0;
        CandleRow r =
            new CandleRow(
                s,
                base + m * 60L,
                close + 0.5,
                close + random.nextInt(300) / 100.0,
                close - random.nextInt(300) / 100.0,
                close,
                random.nextInt(100_000) / 1000.0,
                null,
                List.of("binance"));
        first.add(r);
        input.computeIfAbsent(s, k -> new TreeMap<>()).put(r.time(), r);
      }
    }
    await(repo.upsert(first, token()));
    // A second flush rewrites some minutes (late updates) in buckets already aggregated.
    List<CandleRow> second = new ArrayList<>();
    for (int m = 0; m < 2 * 1440; m += 97) {
      CandleRow r =
          new CandleRow(
              "BTC/USDT", base + m * 60L, 2000, 2100, 1900, 2050, 7.25, null, List.of("kraken"));
      second.add(r);
      input.get("BTC/USDT").put(r.time(), r);
    }
    await(repo.upsert(second, token()));
    refreshAll();

    for (Resolution res : Resolution.values()) {
      for (String s : input.keySet()) {
        List<Candle> expected = aggregate(s, input.get(s).values(), res);
        List<Candle> actual = await(repo.read(s, res.label(), base, base + 2 * 86_400, 10_000));
        assertThat(actual).as("%s %s", s, res.label()).containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void aLargeBatchIsWrittenInParallelChunksWithTheSameResultAndFencing() {
    long base = baseMinute() - 3 * 86_400; // 5,200 minutes from here end in the past
    Map<String, TreeMap<Long, CandleRow>> input = new TreeMap<>();
    List<CandleRow> batch = new ArrayList<>();
    for (String s : List.of("BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT")) {
      for (int m = 0; m < 5_200; m++) {
        CandleRow r = row(s, base + m * 60L, 100 + (m % 97) + s.length());
        batch.add(r);
        input.computeIfAbsent(s, k -> new TreeMap<>()).put(r.time(), r);
      }
    }
    long newer = token();
    assertThat(await(repo.upsert(batch, newer))).isEqualTo(batch.size());
    assertThatThrownBy(() -> await(repo.upsert(batch, newer - 3)))
        .isInstanceOf(StaleFencingTokenException.class);
    refreshAll();
    long to = base + 5_200 * 60L;
    for (Resolution res : List.of(Resolution.M1, Resolution.H1, Resolution.D1)) {
      for (String s : input.keySet()) {
        assertThat(await(repo.read(s, res.label(), base, to, 10_000)))
            .as("%s %s", s, res.label())
            .containsExactlyElementsOf(aggregate(s, input.get(s).values(), res));
      }
    }
  }

  @Test
  void aPreparedBatchIsWrittenLikeItsRowsWithTheLastOfADuplicatePairAndFencing() {
    long base = baseMinute() - 3 * 86_400;
    for (List<CandleRow> rows : List.<List<CandleRow>>of(List.of(), largeBatch(base, 0))) {
      emptyTables();
      List<CandleRow> batch = new ArrayList<>(rows);
      // Small (one transaction) or large (parallel chunks); duplicates: the last one wins.
      batch.add(row("ADA/USDT", base, 1));
      batch.add(row("ADA/USDT", base + 60, 2));
      batch.add(0, row("ADA/USDT", base, 7));
      batch.add(row("ADA/USDT", base + 60, 3));
      CandleBatch prepared = await(repo.prepare(batch));
      assertThat(prepared.size()).isEqualTo(rows.size() + 2);
      long newer = token();
      assertThat(await(repo.upsert(prepared, newer))).isEqualTo(rows.size() + 2);
      assertThatThrownBy(() -> await(repo.upsert(prepared, newer - 3)))
          .isInstanceOf(StaleFencingTokenException.class);
      Map<String, TreeMap<Long, CandleRow>> expected = bySymbol(batch.subList(1, batch.size()));
      assertStored(expected, base, base + 5_200 * 60L);
    }
  }

  /** Four symbols × 5,200 minutes ending in the past: a batch above the parallel threshold. */
  static List<CandleRow> largeBatch(long base, double offset) {
    List<CandleRow> batch = new ArrayList<>();
    for (String s : List.of("BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT")) {
      for (int m = 0; m < 5_200; m++)
        batch.add(row(s, base + m * 60L, offset + 100 + (m % 97) + s.length()));
    }
    assertThat(batch.size()).isGreaterThanOrEqualTo(FencedWriter.PARALLEL_ROWS);
    return batch;
  }

  Map<String, TreeMap<Long, CandleRow>> bySymbol(List<CandleRow> rows) {
    Map<String, TreeMap<Long, CandleRow>> out = new TreeMap<>();
    for (CandleRow r : rows) out.computeIfAbsent(r.symbol(), k -> new TreeMap<>()).put(r.time(), r);
    return out;
  }

  void assertStored(Map<String, TreeMap<Long, CandleRow>> expected, long from, long to) {
    refreshAll();
    for (Resolution res : List.of(Resolution.M1, Resolution.M15, Resolution.D1)) {
      for (String s : expected.keySet()) {
        assertThat(await(repo.read(s, res.label(), from, to, 10_000)))
            .as("%s %s", s, res.label())
            .containsExactlyElementsOf(aggregate(s, expected.get(s).values(), res));
      }
    }
  }

  @Test
  void aLargeBatchOverRowsPartlyStoredReplacesThemOnUpsertAndKeepsThemOnInsertMissing() {
    long base = baseMinute() - 3 * 86_400;
    long to = base + 5_200 * 60L;
    List<CandleRow> first = largeBatch(base, 0);
    // Every seventh minute is already stored, with other values.
    List<CandleRow> stored = new ArrayList<>();
    for (int i = 0; i < first.size(); i += 7) {
      CandleRow r = first.get(i);
      stored.add(row(r.symbol(), r.time(), 5));
    }
    await(repo.upsert(stored, token()));

    List<CandleRow> backfill = largeBatch(base, 1_000);
    assertThat(await(repo.insertMissing(backfill, token()))).isEqualTo(backfill.size());
    Map<String, TreeMap<Long, CandleRow>> expected = bySymbol(backfill);
    for (CandleRow r : stored) expected.get(r.symbol()).put(r.time(), r); // kept
    assertStored(expected, base, to);

    assertThat(await(repo.upsert(first, token()))).isEqualTo(first.size());
    assertStored(bySymbol(first), base, to); // all replaced
  }

  @Test
  void aRowStoredAfterTheExistenceCheckSendsItsChunkAgainThroughOnConflict() {
    long base = baseMinute() - 3 * 86_400;
    List<CandleRow> batch = largeBatch(base, 0);
    CandleRow late = batch.get(1_234);
    // The check finds nothing; the row is written just after it (a concurrent backfill of that
    // minute).
    long token = token();
    FencedWriter racing =
        new FencedWriter(pool) {
          @Override
          Future<Stored> stored(StorageFlavor flavor, String[] symbols, long min, long max) {
            return super.stored(flavor, symbols, min, max)
                .compose(
                    found -> {
                      assertThat(found.of(Resolution.M1)).isEmpty();
                      return repo.upsert(List.of(row(late.symbol(), late.time(), 5)), token)
                          .map(found);
                    });
          }
        };
    assertThat(await(racing.write(batch, token, flavor(), FencedWriter.Mode.UPSERT)))
        .isEqualTo(batch.size());
    assertStored(bySymbol(batch), base, base + 5_200 * 60L);
  }

  @Test
  void splitBySymbolKeepsEachSymbolInOneChunkAndBalancesThem() {
    List<CandleRow> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) rows.add(row("A/USDT", i * 60L, 1));
    for (int i = 0; i < 20; i++) rows.add(row("B/USDT", i * 60L, 1));
    for (int i = 0; i < 15; i++) rows.add(row("C/USDT", i * 60L, 1));
    List<List<CandleRow>> chunks = FencedWriter.splitBySymbol(rows, 2);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0)).extracting(CandleRow::symbol).containsOnly("A/USDT");
    assertThat(chunks.get(1)).extracting(CandleRow::symbol).containsOnly("B/USDT", "C/USDT");
  }

  /** The reference: aggregate the 1-minute input in Java (exact decimal sums). */
  public static List<Candle> aggregate(String symbol, Iterable<CandleRow> minutes, Resolution res) {
    TreeMap<Long, List<CandleRow>> buckets = new TreeMap<>();
    for (CandleRow r : minutes)
      buckets.computeIfAbsent(res.bucketStart(r.time()), k -> new ArrayList<>()).add(r);
    List<Candle> out = new ArrayList<>();
    buckets.forEach(
        (b, rows) -> {
          rows.sort(Comparator.comparingLong(CandleRow::time));
          BigDecimal volume = BigDecimal.ZERO;
          double high = Double.NEGATIVE_INFINITY;
          double low = Double.POSITIVE_INFINITY;
          for (CandleRow r : rows) {
            volume = volume.add(new BigDecimal(Double.toString(r.volume())));
            high = Math.max(high, r.high());
            low = Math.min(low, r.low());
          }
          out.add(
              new Candle(
                  symbol,
                  b,
                  rows.get(0).open(),
                  high,
                  low,
                  rows.get(rows.size() - 1).close(),
                  volume.doubleValue(),
                  0,
                  0));
        });
    return out;
  }

  // ---- retention and gaps -----------------------------------------------------------------------

  @Test
  void retentionDropsMinutesOlderThanTwoYears() {
    long now = System.currentTimeMillis() / 1000;
    long old = Resolution.M1.bucketStart(now - 2 * 366 * 86_400L - 14 * 86_400L);
    long recent = baseMinute();
    await(repo.upsert(List.of(row("BTC/USDT", old, 10), row("BTC/USDT", recent, 20)), token()));
    assertThat(await(repo.read("BTC/USDT", "1m", old, old, 10))).hasSize(1);
    runRetention();
    assertThat(await(repo.read("BTC/USDT", "1m", old, old, 10))).isEmpty();
    assertThat(await(repo.read("BTC/USDT", "1m", recent, recent, 10))).hasSize(1);
  }

  @Test
  void gapDetectionFindsExactlyTheMissingMinutes() {
    long base = baseMinute();
    List<CandleRow> rows = new ArrayList<>();
    List<Long> missing = List.of(base + 120, base + 180, base + 600, base + 3540);
    for (int m = 0; m < 60; m++) {
      long t = base + m * 60L;
      if (!missing.contains(t)) rows.add(row("BTC/USDT", t, 100));
    }
    rows.add(row("ETH/USDT", base + 120, 5)); // another symbol's row does not hide a BTC gap
    await(repo.upsert(rows, token()));
    assertThat(await(repo.missingMinutes("BTC/USDT", base, base + 3540)))
        .containsExactlyElementsOf(missing);
    assertThat(await(repo.missingMinutes("BTC/USDT", base, base + 60))).isEmpty();
  }
}
