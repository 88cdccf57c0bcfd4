package oracle.storage;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Row;
import java.util.List;
import oracle.common.Candle;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on a real TimescaleDB 2.23 engine (PGlite over the wire protocol, see {@link
 * PgliteServer}). Policies' background jobs do not run there, so tests run them with {@code CALL
 * run_job(id)}.
 */
class TimescaleStorageTest extends StorageContractTest {
  @Override
  StorageBackend backend() {
    return StorageBackend.TIMESCALE;
  }

  @Override
  void runRetention() {
    runJobs("policy_retention");
  }

  void runJobs(String proc) {
    StorageBackend.runJobs(pool, proc);
  }

  @Test
  void hypertableHasWeeklyChunksCompressionRetentionAndAggregatePolicies() {
    Row ht =
        await(
                pool.query(
                        "SELECT d.time_interval, h.compression_enabled FROM timescaledb_information.dimensions d "
                            + "JOIN timescaledb_information.hypertables h USING (hypertable_name) WHERE hypertable_name = 'ohlcv_1m'")
                    .execute())
            .iterator()
            .next();
    assertThat(ht.getValue(0).toString()).contains("7");
    assertThat(ht.getBoolean(1)).isTrue();
    List<String> views =
        await(
                pool.query(
                        "SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1")
                    .execute())
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(views)
        .containsExactlyInAnyOrder("ohlcv_5m", "ohlcv_15m", "ohlcv_1h", "ohlcv_4h", "ohlcv_1d");
    List<String> jobs =
        await(
                pool.query(
                        "SELECT proc_name || ':' || coalesce(hypertable_name, '') FROM timescaledb_information.jobs "
                            + "WHERE proc_name LIKE 'policy_%' AND proc_name <> 'policy_job_stat_history_retention'")
                    .execute())
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(jobs).contains("policy_compression:ohlcv_1m", "policy_retention:ohlcv_1m");
    assertThat(
            jobs.stream().filter(j -> j.startsWith("policy_refresh_continuous_aggregate")).count())
        .isEqualTo(5);
    String segment =
        await(
                pool.query(
                        "SELECT attname FROM timescaledb_information.compression_settings "
                            + "WHERE hypertable_name = 'ohlcv_1m' AND segmentby_column_index = 1")
                    .execute())
            .iterator()
            .next()
            .getString(0);
    assertThat(segment).isEqualTo("symbol");
  }

  @Test
  void compressedChunksStillAcceptUpsertsAndReads() {
    long old = Resolution.D1.bucketStart(System.currentTimeMillis() / 1000) - 20 * 86_400L;
    await(repo.upsert(List.of(row("BTC/USDT", old, 50), row("BTC/USDT", old + 60, 51)), token()));
    runJobs("policy_compression");
    long compressed =
        await(
                pool.query(
                        "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'ohlcv_1m' AND is_compressed")
                    .execute())
            .iterator()
            .next()
            .getLong(0);
    assertThat(compressed).isGreaterThanOrEqualTo(1);
    await(repo.upsert(List.of(row("BTC/USDT", old, 55)), token()));
    assertThat(await(repo.read("BTC/USDT", "1m", old, old + 60, 10)))
        .extracting(Candle::close)
        .containsExactly(55.0, 51.0);
  }
}
