package oracle.backfill;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import oracle.common.Candle;
import oracle.leader.Term;
import oracle.storage.CandleRepository;
import oracle.storage.CandleRow;
import oracle.storage.Resolution;
import oracle.storage.StorageBackend;
import oracle.storage.StorageContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Gap filling from exchange klines, on both database paths. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackfillContractTest {
  static final AtomicLong TOKENS = new AtomicLong(9_000);

  Vertx vertx;
  Pool pool;
  CandleRepository repo;
  long base;
  final List<Long> holes = new ArrayList<>();

  abstract StorageBackend backend();

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    pool = backend().pool(vertx);
    repo = backend().freshSchema(pool);
  }

  @AfterAll
  void tearDown() {
    if (pool != null) await(pool.close()); // null when a missing engine skipped the class
    await(vertx.close());
  }

  /**
   * Two hours of BTC minutes with holes at known places (three single minutes and a 10-minute run).
   */
  @BeforeEach
  void seedWithHoles() {
    backend().emptyTables(pool);
    base = Resolution.D1.bucketStart(System.currentTimeMillis() / 1000) - 86_400;
    holes.clear();
    for (long t : new long[] {base, base + 600, base + 3600}) holes.add(t);
    for (int i = 0; i < 10; i++) holes.add(base + 5400 + i * 60L);
    List<CandleRow> rows = new ArrayList<>();
    for (int m = 0; m < 120; m++) {
      long t = base + m * 60L;
      if (!holes.contains(t))
        rows.add(new CandleRow("BTC/USDT", t, 50, 51, 49, 50.5, 1, null, List.of("live")));
    }
    await(repo.upsert(rows, TOKENS.incrementAndGet()));
  }

  BackfillJob job() {
    return new BackfillJob("BTC/USDT", base, base + 119 * 60, "admin");
  }

  @Test
  void fillsExactlyTheMissingMinutesAndLeavesTheRestAlone() {
    FakeKlineSource a = new FakeKlineSource("binance", 0, false);
    FakeKlineSource b = new FakeKlineSource("okx", 1, false);
    FakeKlineSource down = new FakeKlineSource("kraken", 0, true);
    BackfillJob job =
        await(
            new Backfiller(repo, List.of(a, b, down))
                .run(job(), Term.begin(TOKENS.incrementAndGet())));

    assertThat(job.state()).isEqualTo(BackfillJob.State.DONE);
    assertThat(job.missingMinutes()).isEqualTo(13);
    assertThat(job.filledMinutes()).isEqualTo(13);
    assertThat(job.toJson().getDouble("progress")).isEqualTo(1.0);
    assertThat(a.calls.get()).isEqualTo(4); // one request per contiguous run
    assertThat(await(repo.missingMinutes("BTC/USDT", base, base + 119 * 60))).isEmpty();

    List<Candle> minutes = await(repo.read("BTC/USDT", "1m", base, base + 119 * 60, 1000));
    assertThat(minutes).hasSize(120);
    for (Candle c : minutes) {
      if (holes.contains(c.time())) {
        double p = FakeKlineSource.price(c.time());
        // Closes p+0.5 and p+1.5, each with volume 2: weighted by quote volume (volume × close).
        double closeA = p + 0.5;
        double closeB = p + 1.5;
        assertThat(c.close())
            .as("volume-weighted close at %d", c.time())
            .isCloseTo(
                (closeA * closeA + closeB * closeB) / (closeA + closeB),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.volume()).isEqualTo(4.0);
      } else {
        assertThat(c.close()).isEqualTo(50.5); // live data untouched
      }
    }
    var origins =
        await(
            pool.query(
                    "SELECT extract(epoch FROM time)::bigint, origin, trades FROM ohlcv_1m ORDER BY time")
                .execute());
    for (var r : origins) {
      assertThat(r.getString(1))
          .as("origin at %d", r.getLong(0))
          .isEqualTo(holes.contains(r.getLong(0)) ? "backfill" : null);
      assertThat(r.getLong(2)).as("these klines have no trade count").isNull();
    }
    // Rollups / continuous aggregates include the backfilled minutes.
    for (Resolution res : Resolution.ROLLUPS) {
      List<CandleRow> asRows =
          minutes.stream()
              .map(
                  c ->
                      new CandleRow(
                          c.symbol(),
                          c.time(),
                          c.open(),
                          c.high(),
                          c.low(),
                          c.close(),
                          c.volume(),
                          null,
                          List.of()))
              .toList();
      List<Candle> expected = StorageContractTest.aggregate("BTC/USDT", asRows, res);
      List<Candle> actual = await(repo.read("BTC/USDT", res.label(), base, base + 119 * 60, 1000));
      assertThat(actual).as(res.label()).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void withoutUsableSourcesNothingIsWrittenAndTheGapsRemain() {
    BackfillJob job =
        await(
            new Backfiller(repo, List.of(new FakeKlineSource("kraken", 0, true)))
                .run(job(), Term.begin(TOKENS.incrementAndGet())));
    assertThat(job.state()).isEqualTo(BackfillJob.State.DONE);
    assertThat(job.filledMinutes()).isZero();
    assertThat(await(repo.missingMinutes("BTC/USDT", base, base + 119 * 60)))
        .containsExactlyElementsOf(holes);
  }

  @Test
  void aStaleTokenFailsTheJob() {
    long current = TOKENS.incrementAndGet();
    await(repo.upsert(List.of(), current));
    BackfillJob job =
        await(
            new Backfiller(repo, List.of(new FakeKlineSource("binance", 0, false)))
                .run(job(), Term.begin(current - 1)));
    assertThat(job.state()).isEqualTo(BackfillJob.State.FAILED);
    assertThat(job.toJson().getString("error")).contains("stale fencing token");
    assertThat(await(repo.missingMinutes("BTC/USDT", base, base + 119 * 60))).hasSize(13);
  }

  @Test
  void aJobStopsBeforeItsNextChunkWhenItsTermEnds() {
    Term term = Term.begin(TOKENS.incrementAndGet());
    FakeKlineSource source = new FakeKlineSource("binance", 0, false);
    KlineSource endsTheTermOnFirstFetch =
        new KlineSource() {
          @Override
          public String name() {
            return source.name();
          }

          @Override
          public io.vertx.core.Future<List<oracle.exchange.Kline>> fetchKlines(
              String symbol, long fromSec, long toSec) {
            term.end(); // leadership lost while the first chunk is being fetched
            return source.fetchKlines(symbol, fromSec, toSec);
          }
        };
    BackfillJob job =
        await(new Backfiller(repo, List.of(endsTheTermOnFirstFetch)).run(job(), term));

    assertThat(job.state()).isEqualTo(BackfillJob.State.FAILED);
    assertThat(job.toJson().getString("error")).contains("term ended");
    assertThat(source.calls.get()).as("runs fetched: only the first").isEqualTo(1);
    // The first run (one minute) was written under the term it started in; the others were not.
    assertThat(await(repo.missingMinutes("BTC/USDT", base, base + 119 * 60))).hasSize(12);
  }

  /**
   * Minutes stored from live ticks and never closed out (origin NULL) are rebuilt from the klines
   * with origin repaired: the newest ones first, bounded per job; a closed-out minute is left
   * alone, and so is an unclosed one whose klines have less volume than stored.
   */
  @Test
  void unclosedLiveMinutesAreRebuiltFromKlinesAsRepairedNeverWithLess() {
    // through the repository, so the plain path's rollups follow
    List<CandleRow> changed = new ArrayList<>();
    for (int m = 100; m < 120; m++) // minutes 100..119 were closed out
    changed.add(
          new CandleRow("BTC/USDT", base + m * 60L, 50, 51, 49, 50.5, 10, null, List.of("live"))
              .withProvenance(null, "live"));
    long richer = base + 85 * 60; // more volume stored than the klines have
    changed.add(new CandleRow("BTC/USDT", richer, 50, 51, 49, 50.5, 100, null, List.of("live")));
    await(repo.upsert(changed, TOKENS.incrementAndGet()));
    FakeKlineSource a = new FakeKlineSource("binance", 0, false);
    FakeKlineSource b = new FakeKlineSource("okx", 1, false);
    BackfillJob job =
        await(
            new Backfiller(repo, List.of(a, b))
                .repairUnclosed(30)
                .run(job(), Term.begin(TOKENS.incrementAndGet())));
    System.out.println("unclosed repair: " + job.toJson().encode());
    assertThat(job.state()).isEqualTo(BackfillJob.State.DONE);
    assertThat(job.filledMinutes()).isEqualTo(13);
    // the newest 30 unclosed minutes before 100: 89..61 and 59 (60 was a hole); 85 kept
    assertThat(job.repairedMinutes()).isEqualTo(29);
    assertThat(job.toJson().getInteger("repairedMinutes")).isEqualTo(29);
    var rows =
        await(
            pool.query(
                    "SELECT extract(epoch FROM time)::bigint, origin, volume::float8, close::float8"
                        + " FROM ohlcv_1m ORDER BY time")
                .execute());
    int repaired = 0;
    int unclosed = 0;
    for (var r : rows) {
      long t = r.getLong(0);
      int m = (int) ((t - base) / 60);
      String origin = r.getString(1);
      if (holes.contains(t)) {
        assertThat(origin).isEqualTo("backfill");
      } else if (m >= 100) {
        assertThat(origin).as("closed out at %d", m).isEqualTo("live");
        assertThat(r.getDouble(2)).isEqualTo(10.0);
      } else if (t == richer) {
        assertThat(origin).as("kept: more volume stored").isNull();
        assertThat(r.getDouble(2)).isEqualTo(100.0);
      } else if (m >= 59) {
        assertThat(origin).as("repaired at %d", m).isEqualTo("repaired");
        double p = FakeKlineSource.price(t);
        double closeA = p + 0.5;
        double closeB = p + 1.5;
        assertThat(r.getDouble(3))
            .isCloseTo(
                (closeA * closeA + closeB * closeB) / (closeA + closeB),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.getDouble(2)).isEqualTo(4.0);
        repaired++;
      } else {
        assertThat(origin).as("beyond this job's bound at %d", m).isNull();
        assertThat(r.getDouble(3)).isEqualTo(50.5);
        unclosed++;
      }
    }
    System.out.println("repaired rows " + repaired + ", left unclosed " + unclosed);
    assertThat(repaired).isEqualTo(29);
    // the rollups follow the repaired minutes
    List<Candle> minutes = await(repo.read("BTC/USDT", "1m", base, base + 119 * 60, 1000));
    List<CandleRow> asRows =
        minutes.stream()
            .map(
                c ->
                    new CandleRow(
                        c.symbol(),
                        c.time(),
                        c.open(),
                        c.high(),
                        c.low(),
                        c.close(),
                        c.volume(),
                        null,
                        List.of()))
            .toList();
    for (Resolution res : Resolution.ROLLUPS) {
      List<Candle> expected = StorageContractTest.aggregate("BTC/USDT", asRows, res);
      List<Candle> actual = await(repo.read("BTC/USDT", res.label(), base, base + 119 * 60, 1000));
      assertThat(actual).as(res.label()).containsExactlyElementsOf(expected);
    }
    // a second pass repairs the next 30 older ones (bounded work per pass)
    BackfillJob again =
        await(
            new Backfiller(repo, List.of(a, b))
                .repairUnclosed(30)
                .run(job(), Term.begin(TOKENS.incrementAndGet())));
    System.out.println("second pass: " + again.toJson().encode());
    assertThat(again.filledMinutes()).isZero();
    assertThat(again.repairedMinutes()).isEqualTo(29); // 85 again (kept) + the next 29
  }
}
