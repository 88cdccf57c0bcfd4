package oracle.storage;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oracle.common.Candle;
import oracle.support.Poll;
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

  private long aggregateRows(Resolution r, String symbol, long bucket) {
    return await(
            pool.preparedQuery(
                    "SELECT count(*) FROM "
                        + r.table()
                        + " WHERE symbol = $1 AND time = to_timestamp($2)")
                .execute(Tuple.of(symbol, bucket)))
        .iterator()
        .next()
        .getLong(0);
  }

  /**
   * Issue 21 item 4: the Redis backlog flushed after a database outage longer than a policy's
   * look-back lies below the aggregates' watermark, where real-time aggregation does not look and
   * no policy refreshes again; the write itself brings it in.
   */
  @Test
  void aBacklogOlderThanThePolicyWindowsReachesTheAggregates() {
    long now = System.currentTimeMillis() / 1000;
    long recent = Resolution.M1.bucketStart(now) - 180;
    await(repo.upsert(List.of(row("ETH/USDT", recent, 10)), token()));
    backend().refreshAggregates(pool); // as the policies do: the watermark passes the backlog
    long refreshes = repo.aggregateRefreshes();

    await(repo.upsert(List.of(row("ETH/USDT", recent + 60, 11)), token()));
    assertThat(repo.aggregateRefreshes())
        .as("a write inside every policy window is left to the policies")
        .isEqualTo(refreshes);

    long backlog = Resolution.H1.bucketStart(now) - 3 * 86_400L;
    await(
        repo.upsert(
            List.of(row("ETH/USDT", backlog, 20), row("ETH/USDT", backlog + 60, 21)), token()));
    Poll.until(
        () -> aggregateRows(Resolution.M5, "ETH/USDT", Resolution.M5.bucketStart(backlog)) == 1,
        Duration.ofSeconds(20));
    assertThat(aggregateRows(Resolution.M15, "ETH/USDT", Resolution.M15.bucketStart(backlog)))
        .isEqualTo(1);
    assertThat(await(repo.read("ETH/USDT", "5m", backlog, backlog, 1)))
        .extracting(Candle::open, Candle::close)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(19.0, 21.0)); // row(...) opens 1 below its close
  }

  /** One refresh covers the requests that arrive while it runs (a backfill job per symbol). */
  @Test
  void refreshRequestsOfAMarketWideBackfillCoalesce() {
    long day = Resolution.D1.bucketStart(System.currentTimeMillis() / 1000) - 10 * 86_400L;
    long before = repo.aggregateRefreshes();
    for (int i = 0; i < 200; i++) {
      await(repo.upsert(List.of(row("S" + i + "/USDT", day + 60 * i, 1 + i)), token()));
      long minute = day + 60 * i;
      vertx.runOnContext(v -> repo.refreshAggregatesSoon(minute, minute)); // as a job does
    }
    await(repo.refreshAggregates(day, day)); // waits for the round that covers every request
    long rounds = repo.aggregateRefreshes() - before;
    System.out.println("200 backfill refresh requests ran as " + rounds + " refresh rounds");
    assertThat(rounds).isLessThan(20);
    assertThat(aggregateRows(Resolution.H1, "S199/USDT", Resolution.H1.bucketStart(day + 60 * 199)))
        .isEqualTo(1);
  }

  /** The Java reach table matches the policies the migration installs. */
  @Test
  void policyReachMatchesTheInstalledPolicies() {
    Map<Resolution, Long> installed = new HashMap<>();
    for (Row r :
        await(
            pool.query(
                    "SELECT c.view_name, extract(epoch FROM (j.config->>'start_offset')::interval - j.schedule_interval)::bigint "
                        + "FROM timescaledb_information.jobs j JOIN timescaledb_information.continuous_aggregates c "
                        + "ON j.hypertable_name IN (c.view_name, c.materialization_hypertable_name) "
                        + "WHERE j.proc_name = 'policy_refresh_continuous_aggregate'")
                .execute())) {
      for (Resolution res : Resolution.ROLLUPS)
        if (res.table().equals(r.getString(0))) installed.put(res, r.getLong(1));
    }
    assertThat(installed).isEqualTo(AggregateRefresher.POLICY_REACH_SEC);
  }
}
