package oracle.storage;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oracle.common.Candle;
import oracle.support.Poll;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on plain PostgreSQL 15 (weekly partitions + rollup tables), database
 * oracle_storage.
 */
class PlainStorageTest extends StorageContractTest {
  @Override
  StorageBackend backend() {
    return StorageBackend.PLAIN;
  }

  @Override
  void runRetention() {
    assertThat(await(repo.maintain(4))).isGreaterThanOrEqualTo(1);
  }

  @Test
  void partitionsAreWeeklyAndCreatedAhead() {
    await(repo.maintain(4));
    List<String> names =
        await(
                pool.query(
                        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                            + "WHERE i.inhparent = 'ohlcv_1m'::regclass AND c.relname ~ '^ohlcv_1m_p' ORDER BY 1")
                    .execute())
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(names.size()).isGreaterThanOrEqualTo(5);
    long ahead =
        await(
                pool.query(
                        "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                            + "WHERE i.inhparent = 'ohlcv_1m'::regclass AND pg_get_expr(c.relpartbound, c.oid) LIKE '%'  "
                            + "AND to_date(substr(c.relname, 11), 'YYYYMMDD') > now() + interval '3 weeks'")
                    .execute())
            .iterator()
            .next()
            .getLong(0);
    assertThat(ahead).isGreaterThanOrEqualTo(1);
  }

  /** {@code xmin} of each rollup row of the symbol: changes exactly when the row is rewritten. */
  private List<String> rollupVersions(String symbol) {
    return await(
            pool.preparedQuery(
                    "SELECT xmin::text FROM ohlcv_5m WHERE symbol = $1 UNION ALL "
                        + "SELECT xmin::text FROM ohlcv_1h WHERE symbol = $1 UNION ALL "
                        + "SELECT xmin::text FROM ohlcv_1d WHERE symbol = $1")
                .execute(io.vertx.sqlclient.Tuple.of(symbol)))
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  @Test
  void rewritingUnchangedMinutesLeavesTheRollupsAloneAndAChangedMinuteMovesEveryLevel() {
    long day = (System.currentTimeMillis() / 1000 / 86_400 - 1) * 86_400;
    List<CandleRow> rows =
        List.of(
            new CandleRow("RLP/USDT", day + 60, 10, 12, 9, 11, 1, null, List.of("binance")),
            new CandleRow("RLP/USDT", day + 120, 11, 13, 10, 12, 2, null, List.of("binance")));
    await(repo.upsert(rows, token()));
    List<String> before = rollupVersions("RLP/USDT");
    assertThat(before).hasSize(3);

    await(repo.upsert(rows, token())); // the same rows again (a pass repeated after a crash)
    assertThat(rollupVersions("RLP/USDT")).as("no bucket rewritten").isEqualTo(before);

    await(
        repo.upsert(
            List.of(new CandleRow("RLP/USDT", day + 120, 11, 20, 10, 19, 3, null, List.of())),
            token()));
    assertThat(rollupVersions("RLP/USDT")).doesNotContainAnyElementsOf(before);
    for (String res : List.of("5m", "1h", "1d")) {
      assertThat(await(repo.read("RLP/USDT", res, day, day, 1)))
          .as(res)
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.open()).isEqualTo(10.0);
                assertThat(c.high()).isEqualTo(20.0);
                assertThat(c.close()).isEqualTo(19.0);
                assertThat(c.volume()).isEqualTo(4.0);
              });
    }
  }

  /**
   * Issue 21 item 4: two large writes (a flush's backlog and a backfill, each split into parallel
   * chunks that share the fencing row) touch one 5-minute bucket of RACE/USDT with different
   * minutes. The first is held (a test trigger sleeps) just after it recomputed the bucket; the
   * second recomputes it from a snapshot without the first's minute and, once the first commits,
   * overwrites the bucket. Each must see the other's minute.
   */
  @Test
  void concurrentLargeWritesOfOneBucketKeepEachOthersMinute() {
    long bucket = Resolution.M5.bucketStart(baseMinute()) + 3_600;
    await(
        pool.query(
                "CREATE OR REPLACE FUNCTION oracle_test_pause() RETURNS trigger AS $$ BEGIN "
                    + "IF NEW.symbol = 'RACE/USDT' AND NEW.close = 10 AND TG_TABLE_NAME = 'ohlcv_5m' "
                    + "THEN PERFORM pg_sleep(1.5); END IF; "
                    + "IF NEW.symbol = 'RACE/USDT' AND NEW.close = 50 AND TG_TABLE_NAME LIKE 'ohlcv_1m%' "
                    + "THEN PERFORM pg_sleep(0.5); END IF; "
                    + "RETURN NEW; END $$ LANGUAGE plpgsql")
            .execute());
    // The first write holds its new bucket row; the second reaches the bucket while it does.
    for (String table : List.of("ohlcv_5m", "ohlcv_1m"))
      await(
          pool.query(
                  "CREATE TRIGGER oracle_test_pause AFTER INSERT OR UPDATE ON "
                      + table
                      + " FOR EACH ROW EXECUTE FUNCTION oracle_test_pause()")
              .execute());
    Pool probe = backend().pool(vertx);
    io.vertx.sqlclient.SqlConnection gate = await(probe.getConnection());
    try {
      // Holds both writes between their token raise and their chunks, so the chunks overlap.
      await(gate.query("BEGIN").execute());
      await(gate.query("LOCK TABLE ohlcv_15m IN ACCESS EXCLUSIVE MODE").execute());
      List<CandleRow> first = filler("X", bucket);
      first.add(row("RACE/USDT", bucket, 10)); // open 9, close 10
      List<CandleRow> second = filler("Y", bucket);
      second.add(row("RACE/USDT", bucket + 120, 50)); // open 49, close 50
      long term = token(); // one leader: its flush and its backfill write under one token
      Future<Integer> a = repo.upsert(first, term);
      Future<Integer> b = repo.upsert(second, term);
      Poll.until(() -> waiting(probe, "Lock") == 2, Duration.ofSeconds(20));
      await(gate.query("COMMIT").execute());
      await(a);
      await(b);
      List<Candle> got = await(repo.read("RACE/USDT", "5m", bucket, bucket, 1));
      assertThat(got).hasSize(1);
      assertThat(got.get(0).open()).as("the first write's minute opens the bucket").isEqualTo(9.0);
      assertThat(got.get(0).close()).as("the second write's minute closes it").isEqualTo(50.0);
      assertThat(got.get(0).volume()).isEqualTo(2 * row("RACE/USDT", bucket, 10).volume());
    } finally {
      for (String table : List.of("ohlcv_5m", "ohlcv_1m"))
        await(pool.query("DROP TRIGGER IF EXISTS oracle_test_pause ON " + table).execute());
      gate.close();
      await(probe.close());
    }
  }

  private static long waiting(Pool probe, String type) {
    return await(
            probe
                .preparedQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = $1 AND datname = current_database()")
                .execute(Tuple.of(type)))
        .iterator()
        .next()
        .getLong(0);
  }

  /** Enough rows of other symbols to make a write take the parallel path. */
  private static List<CandleRow> filler(String prefix, long bucket) {
    List<CandleRow> rows = new ArrayList<>();
    int symbols = FencedWriter.PARALLEL_ROWS / 50 + 1;
    for (int s = 0; s < symbols; s++)
      for (int m = 0; m < 50; m++)
        rows.add(row(prefix + s + "/USDT", bucket - 86_400 + m * 60L, 100 + m));
    return rows;
  }
}
