package oracle.storage;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
