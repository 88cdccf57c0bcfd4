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
}
