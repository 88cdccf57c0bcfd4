package oracle.flush;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import oracle.common.Addresses;
import oracle.common.Candle;
import oracle.common.LuaScript;
import oracle.common.RedisFactory;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.hotstore.CandleKeys;
import oracle.hotstore.PendingCandle;
import oracle.storage.CandleRepository;
import oracle.storage.Resolution;
import oracle.storage.StaleFencingTokenException;
import oracle.storage.StorageBackend;
import oracle.support.Poll;
import oracle.support.TcpProxy;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The two-phase flush against real Redis (DB 3) and each database path. The clock is fixed in the
 * middle of a minute so "closed" and "still open" are deterministic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FlushContractTest {
  static final AtomicLong TOKENS = new AtomicLong(5_000);

  Vertx vertx;
  Pool pool;
  Redis redis;
  CandleRepository repo;

  /** Current minute (open) under the fixed clock; earlier minutes are closed. */
  long nowMinute;

  long clockMs;

  abstract StorageBackend backend();

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    pool = backend().pool(vertx);
    repo = backend().freshSchema(pool);
    redis = RedisFactory.create(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_STORAGE));
  }

  @BeforeEach
  void clean() {
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_STORAGE);
    backend().emptyTables(pool);
    nowMinute = RedisKeys.minuteOf(System.currentTimeMillis());
    clockMs = nowMinute * 1000 + 30_000;
  }

  @AfterAll
  void tearDown() {
    // Setup may have stopped early (a missing TimescaleDB engine skips the class).
    if (redis != null) {
      TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_STORAGE);
      redis.close();
    }
    if (pool != null) await(pool.close());
    await(vertx.close());
  }

  Flusher flusher() {
    return new Flusher(redis, repo, () -> clockMs, 3600);
  }

  static long token() {
    return TOKENS.incrementAndGet();
  }

  void seed(String symbol, long minute, double close, long updatedAt) {
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(CandleKeys.candle(symbol, minute))
                .arg("open")
                .arg(Double.toString(close - 1))
                .arg("high")
                .arg(Double.toString(close + 1))
                .arg("low")
                .arg(Double.toString(close - 2))
                .arg("close")
                .arg(Double.toString(close))
                .arg("volume")
                .arg("2.5")
                .arg("updated_at")
                .arg(Long.toString(updatedAt))
                .arg("sources")
                .arg("binance,okx")));
    // As update_candle.lua does with every change: the candle is dirty until the flush marks it.
    await(
        redis.send(
            Request.cmd(Command.SADD)
                .arg(CandleKeys.DIRTY)
                .arg(CandleKeys.candle(symbol, minute))));
  }

  String field(String key, String field) {
    var r = await(redis.send(Request.cmd(Command.HGET).arg(key).arg(field)));
    return r == null ? null : r.toString();
  }

  long ttl(String key) {
    return await(redis.send(Request.cmd(Command.TTL).arg(key))).toLong();
  }

  long dbRows() {
    return await(pool.query("SELECT count(*) FROM ohlcv_1m").execute())
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void closedCandlesAreWrittenThenMarkedWithATtlAndNeverDeleted() {
    for (String s : List.of("BTC/USDT", "ETH/USDT")) {
      for (int i = 1; i <= 3; i++) seed(s, nowMinute - i * 60L, 100 + i, clockMs - 1000);
    }
    seed("BTC/USDT", nowMinute, 200, clockMs - 500); // still open

    FlushResult r = await(flusher().flushOnce(token()));
    assertThat(r).isEqualTo(new FlushResult(7, 6, 1));
    assertThat(dbRows()).isEqualTo(7);
    for (String s : List.of("BTC/USDT", "ETH/USDT")) {
      for (int i = 1; i <= 3; i++) {
        String key = CandleKeys.candle(s, nowMinute - i * 60L);
        assertThat(field(key, "flushed_at")).isEqualTo(Long.toString(clockMs));
        assertThat(field(key, "close")).isEqualTo(Double.toString(100.0 + i)); // not deleted
        assertThat(ttl(key)).isBetween(3500L, 3600L);
      }
    }
    String open = CandleKeys.candle("BTC/USDT", nowMinute);
    assertThat(field(open, "flushed_at")).isNull();
    assertThat(ttl(open)).isEqualTo(-1L);
    assertThat(await(repo.read("BTC/USDT", "1m", nowMinute, nowMinute, 1)))
        .extracting(Candle::close)
        .containsExactly(200.0);

    // Next pass: only the open minute (updated meanwhile) is written again.
    seed("BTC/USDT", nowMinute, 201, clockMs - 100);
    assertThat(await(flusher().flushOnce(token()))).isEqualTo(new FlushResult(1, 0, 1));
    assertThat(await(repo.read("BTC/USDT", "1m", nowMinute, nowMinute, 1)))
        .extracting(Candle::close)
        .containsExactly(201.0);
    assertThat(dbRows()).isEqualTo(7);
  }

  /** One tick through the real candle script (no fence, no latest price). */
  void tick(String key, double price, String volume, long atMs, String sources) {
    await(
        UPDATE_CANDLE.eval(
            redis,
            List.of(key, RedisKeys.LEADER_FENCING),
            List.of(Double.toString(price), volume, Long.toString(atMs), "", "", sources)));
  }

  static final oracle.common.LuaScript UPDATE_CANDLE =
      oracle.common.LuaScript.load("update_candle");

  @Test
  void aCandleRebuiltAfterRedisLostDataIsMergedIntoTheStoredMinuteNeverMadeLessComplete() {
    long minute = nowMinute - 60;
    long t0 = minute * 1000;
    String key = CandleKeys.candle("BTC/USDT", minute);
    tick(key, 100, "4", t0 + 1_000, "binance,okx");
    tick(key, 110, "4.5", t0 + 10_000, "binance,okx");
    tick(key, 95, "5", t0 + 20_000, "binance,okx");
    assertThat(await(flusher().flushOnce(token())).rowsWritten()).isEqualTo(1);

    TestEnv.flushRedis(
        vertx, TestEnv.REDIS_DB_STORAGE); // Redis restarted empty in the middle of the minute
    tick(key, 104, "2", t0 + 30_000, "binance");
    tick(key, 90, "3", t0 + 40_000, "binance");
    tick(key, 101, "3", t0 + 50_000, "binance");
    assertThat(await(flusher().flushOnce(token())).rowsWritten()).isEqualTo(1);

    Candle c = await(repo.read("BTC/USDT", "1m", minute, minute, 1)).get(0);
    assertThat(List.of(c.open(), c.high(), c.low(), c.close(), c.volume()))
        .as(
            "open of the earliest tick, extremes of both parts, close of the latest tick, volume never lower")
        .containsExactly(100.0, 110.0, 90.0, 101.0, 5.0);
    var row =
        await(
                pool.query(
                        "SELECT extract(epoch FROM first_tick_at) * 1000, extract(epoch FROM last_tick_at) * 1000, "
                            + "array_to_string(sources, ',') FROM ohlcv_1m")
                    .execute())
            .iterator()
            .next();
    assertThat(row.getDouble(0)).isEqualTo(t0 + 1_000.0);
    assertThat(row.getDouble(1)).isEqualTo(t0 + 50_000.0);
    assertThat(row.getString(2)).isEqualTo("binance,okx");

    // The earlier part written again (a crash before marking) changes nothing either.
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_STORAGE);
    tick(key, 100, "4", t0 + 1_000, "binance,okx");
    tick(key, 110, "4.5", t0 + 10_000, "binance,okx");
    await(flusher().flushOnce(token()));
    Candle again = await(repo.read("BTC/USDT", "1m", minute, minute, 1)).get(0);
    assertThat(List.of(again.open(), again.high(), again.low(), again.close(), again.volume()))
        .containsExactly(100.0, 110.0, 90.0, 101.0, 5.0);
    backend().refreshAggregates(pool);
    Candle fiveMinutes =
        await(repo.read("BTC/USDT", "5m", Resolution.M5.bucketStart(minute), minute, 1)).get(0);
    assertThat(fiveMinutes.low()).as("the rollup follows the merged row").isEqualTo(90.0);
    assertThat(fiveMinutes.high()).isEqualTo(110.0);
  }

  @Test
  void aClosedOutMinuteReplacesTheStoredRowWithItsTradesAndOrigin() {
    long minute = nowMinute - 60;
    long t0 = minute * 1000;
    oracle.hotstore.CandleUpdates updates = new oracle.hotstore.CandleUpdates(600_000);
    await(
        updates.send(
            redis,
            List.of(
                updates
                    .agreed("BTC/USDT", minute, Long.toString(t0 + 1_000), 0, 100, Double.NaN, "{}")
                    .source("binance", 4, 40)
                    .source("okx", 1, 10)
                    .request(),
                updates
                    .agreed("BTC/USDT", minute, Long.toString(t0 + 9_000), 0, 120, Double.NaN, "{}")
                    .source("binance", 5, 45)
                    .request())));
    assertThat(await(flusher().flushOnce(token())).rowsWritten()).isEqualTo(1);
    var live =
        await(pool.query("SELECT trades, origin, high::float8 FROM ohlcv_1m").execute())
            .iterator()
            .next();
    assertThat(live.getLong(0)).as("45 + 10 trades, summed in Redis").isEqualTo(55L);
    assertThat(live.getString(1)).as("not closed out yet").isNull();
    assertThat(live.getDouble(2)).isEqualTo(120.0);

    // the close-out, with a lower high than the ticks saw: the row is replaced, not merged
    String key = CandleKeys.candle("BTC/USDT", minute);
    await(
        updates.send(
            redis,
            List.of(
                updates.finalMinute(
                    "BTC/USDT",
                    minute,
                    0,
                    100,
                    110,
                    99,
                    105,
                    7,
                    60,
                    oracle.hotstore.Origin.REPAIRED,
                    List.of("binance", "okx")))));
    assertThat(field(key, "flushed_at")).isNull();
    assertThat(await(flusher().flushOnce(token())).rowsWritten()).isEqualTo(1);
    var closed =
        await(
                pool.query(
                        "SELECT trades, origin, high::float8, close::float8, volume::float8 FROM ohlcv_1m")
                    .execute())
            .iterator()
            .next();
    assertThat(closed.getLong(0)).isEqualTo(60L);
    assertThat(closed.getString(1)).isEqualTo("repaired");
    assertThat(List.of(closed.getDouble(2), closed.getDouble(3), closed.getDouble(4)))
        .containsExactly(110.0, 105.0, 7.0);
    assertThat(field(key, "flushed_at")).as("marked after the write").isNotNull();
    backend().refreshAggregates(pool);
    Candle fiveMinutes =
        await(repo.read("BTC/USDT", "5m", Resolution.M5.bucketStart(minute), minute, 1)).get(0);
    assertThat(fiveMinutes.high()).as("the rollup follows the replaced row").isEqualTo(110.0);
  }

  @Test
  void aMalformedHashIsSkippedAndLeftAloneWhileTheOthersAreFlushed() {
    seed("BTC/USDT", nowMinute - 60, 100, clockMs - 1000);
    String bad = CandleKeys.candle("BTC/USDT", nowMinute - 120);
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(bad)
                .arg("open")
                .arg("not-a-number")
                .arg("high")
                .arg("1")
                .arg("low")
                .arg("1")
                .arg("close")
                .arg("1")
                .arg("updated_at")
                .arg(Long.toString(clockMs - 1000))));
    String noMinute = CandleKeys.PREFIX + "BTC/USDT:soon";
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(noMinute)
                .arg("open")
                .arg("1")
                .arg("updated_at")
                .arg("1")));

    assertThat(await(flusher().flushOnce(token()))).isEqualTo(new FlushResult(1, 1, 0));
    assertThat(dbRows()).isEqualTo(1);
    for (String key : List.of(bad, noMinute)) { // kept as they were, for an operator to look at
      assertThat(field(key, "flushed_at")).isNull();
      assertThat(ttl(key)).isEqualTo(-1L);
    }
    assertThat(field(bad, "open")).isEqualTo("not-a-number");
  }

  @Test
  void quoteVolumeAndSourcesReachTheDatabaseAndFlushedCandlesAreNotReadAgain() {
    // More keys than one script call takes, mixed flushed and unflushed.
    int minutes = 1_200;
    for (int i = 1; i <= minutes; i++)
      seed("SOL/USDT", nowMinute - i * 60L, 100 + i % 10, clockMs - 1000);
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(CandleKeys.candle("SOL/USDT", nowMinute - 60))
                .arg("quote_volume")
                .arg("250.125")));
    assertThat(await(flusher().flushOnce(token()))).isEqualTo(new FlushResult(minutes, minutes, 0));
    assertThat(dbRows()).isEqualTo(minutes);
    var row =
        await(
                pool.query(
                        "SELECT quote_volume::text, array_to_string(sources, ',') FROM ohlcv_1m "
                            + "WHERE symbol = 'SOL/USDT' AND time = to_timestamp("
                            + (nowMinute - 60)
                            + ")")
                    .execute())
            .iterator()
            .next();
    assertThat(row.getString(0)).isEqualTo("250.125");
    assertThat(row.getString(1)).isEqualTo("binance,okx");

    // Flushed and unchanged: not read, not written again. Three of them change: exactly those are.
    assertThat(await(flusher().read())).isEmpty();
    for (int i : new int[] {7, 501, 1_100}) seed("SOL/USDT", nowMinute - i * 60L, 1, clockMs + 10);
    List<PendingCandle> again = await(flusher().read());
    assertThat(again)
        .extracting(p -> p.row().time())
        .containsExactlyInAnyOrder(
            nowMinute - 7 * 60L, nowMinute - 501 * 60L, nowMinute - 1_100 * 60L);
  }

  @Test
  void aBacklogAboveTheCapIsWrittenOldestFirstByPassesThatFollowAtOnce() {
    for (int i = 1; i <= 25; i++) seed("BTC/USDT", nowMinute - i * 60L, 100 + i, clockMs - 1000);
    seed("BTC/USDT", nowMinute, 200, clockMs - 500); // still open
    Flusher capped = new Flusher(redis, repo, () -> clockMs, 3600, 10);

    assertThat(await(capped.flushOnce(token()))).isEqualTo(new FlushResult(10, 10, 0, true));
    assertThat(await(repo.read("BTC/USDT", "1m", nowMinute - 3600, nowMinute, 100)))
        .extracting(Candle::time)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(16, 25)
                .mapToObj(i -> nowMinute - i * 60L)
                .sorted()
                .toList());
    assertThat(await(capped.flushOnce(token()))).isEqualTo(new FlushResult(10, 10, 0, true));
    assertThat(await(capped.flushOnce(token()))).isEqualTo(new FlushResult(6, 5, 1, false));
    assertThat(dbRows()).isEqualTo(26);
    assertThat(await(capped.flushOnce(token())))
        .isEqualTo(new FlushResult(1, 0, 1, false)); // only the open minute
  }

  @Test
  void aCrashBetweenTheDatabaseWriteAndTheMarkingReflushesWithoutDuplicates() {
    for (int i = 1; i <= 5; i++) seed("BTC/USDT", nowMinute - i * 60L, 100 + i, clockMs - 1000);
    Flusher crashing = flusher();
    List<PendingCandle> pending = await(crashing.read());
    assertThat(await(crashing.write(pending, token()))).isEqualTo(5);
    // ... the process dies here: nothing marked.
    assertThat(field(CandleKeys.candle("BTC/USDT", nowMinute - 60), "flushed_at")).isNull();
    assertThat(ttl(CandleKeys.candle("BTC/USDT", nowMinute - 60))).isEqualTo(-1L);

    seed("BTC/USDT", nowMinute - 60, 150, clockMs - 900); // and a late update arrived meanwhile
    FlushResult r = await(flusher().flushOnce(token()));
    assertThat(r.rowsWritten()).isEqualTo(5);
    assertThat(r.rowsMarked()).isEqualTo(5);
    assertThat(dbRows()).isEqualTo(5);
    assertThat(await(repo.read("BTC/USDT", "1m", nowMinute - 300, nowMinute, 10)))
        .extracting(Candle::close)
        .containsExactly(105.0, 104.0, 103.0, 102.0, 150.0);
  }

  @Test
  void aCandleUpdatedBetweenReadAndMarkIsNotMarkedAndIsWrittenAgain() {
    seed("BTC/USDT", nowMinute - 60, 100, clockMs - 1000);
    seed("ETH/USDT", nowMinute - 60, 10, clockMs - 1000);
    Flusher f = flusher();
    List<PendingCandle> pending = await(f.read());
    await(f.write(pending, token()));
    seed("BTC/USDT", nowMinute - 60, 101, clockMs - 10); // late tick for the closed minute
    assertThat(await(f.mark(pending))).isEqualTo(1);
    assertThat(field(CandleKeys.candle("BTC/USDT", nowMinute - 60), "flushed_at")).isNull();
    assertThat(await(flusher().flushOnce(token()))).isEqualTo(new FlushResult(1, 1, 0));
    assertThat(await(repo.read("BTC/USDT", "1m", nowMinute - 60, nowMinute - 60, 1)))
        .extracting(Candle::close)
        .containsExactly(101.0);
  }

  @Test
  void aLateTickAfterTheMarkingIsWrittenByTheNextPass() {
    long closedMinute = nowMinute - 60;
    String key = CandleKeys.candle("BTC/USDT", closedMinute);
    seed("BTC/USDT", closedMinute, 100, clockMs - 40_000);
    await(flusher().flushOnce(token()));
    assertThat(field(key, "flushed_at")).isNotNull();

    // A tick stamped inside the closed minute lands after the flush marked it.
    LuaScript update = LuaScript.load("update_candle");
    await(
        update.eval(
            redis,
            List.of(key, RedisKeys.LEADER_FENCING),
            List.of("150", "", Long.toString(clockMs - 30_001), "")));
    assertThat(field(key, "flushed_at")).isNull();
    assertThat(ttl(key)).isEqualTo(-1L);

    await(flusher().flushOnce(token()));
    assertThat(await(repo.read("BTC/USDT", "1m", closedMinute, closedMinute, 1)))
        .extracting(Candle::close, Candle::high)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(150.0, 150.0));
    assertThat(field(key, "flushed_at")).isNotNull();
    assertThat(dbRows()).isEqualTo(1);
  }

  @Test
  void aStaleFencingTokenIsRejectedAndTheKeysStayUnflushed() {
    long current = token();
    seed("BTC/USDT", nowMinute - 120, 100, clockMs - 1000);
    await(flusher().flushOnce(current));
    seed("BTC/USDT", nowMinute - 60, 101, clockMs - 1000);
    assertThatThrownBy(() -> await(flusher().flushOnce(current - 1)))
        .isInstanceOf(StaleFencingTokenException.class);
    String key = CandleKeys.candle("BTC/USDT", nowMinute - 60);
    assertThat(field(key, "flushed_at")).isNull();
    assertThat(ttl(key)).isEqualTo(-1L);
    assertThat(dbRows()).isEqualTo(1);
    assertThat(await(flusher().flushOnce(current)).rowsMarked()).isEqualTo(1);
    assertThat(dbRows()).isEqualTo(2);
  }

  @Test
  void aDatabaseOutageLosesNothingAndTheVerticleCatchesUp() {
    // PGlite takes one connection at a time: hand ours back while the verticle runs.
    await(pool.close());
    pool = null;
    PgConnectOptions target = PgConnectOptions.fromUri(backend().url());
    TcpProxy proxy = new TcpProxy(vertx, target.getHost(), target.getPort());
    int port = await(proxy.start());
    String viaProxy =
        "postgresql://"
            + target.getUser()
            + (target.getPassword() == null ? "" : ":" + target.getPassword())
            + "@127.0.0.1:"
            + port
            + "/"
            + target.getDatabase();
    JsonObject config = TestEnv.baseConfig(TestEnv.REDIS_DB_STORAGE, null);
    config
        .put(
            "postgres", new JsonObject().put("url", viaProxy).put("poolSize", backend().poolSize()))
        .put("flush", new JsonObject().put("intervalMs", 100).put("maxBackoffMs", 200));
    Verticles wired = Verticles.of(config);
    String id =
        await(vertx.deployVerticle(wired::flush, new DeploymentOptions().setConfig(config)));
    try {
      long token = token();
      for (int i = 1; i <= 3; i++)
        seed("BTC/USDT", nowMinute - i * 60L, 100 + i, System.currentTimeMillis());
      vertx
          .eventBus()
          .publish(
              Addresses.LEADER_ELECTED,
              new JsonObject().put("instanceId", "test").put("fencingToken", token));
      Poll.until(
          () ->
              status().getLong("rowsFlushed") >= 3
                  && field(CandleKeys.candle("BTC/USDT", nowMinute - 60), "flushed_at") != null,
          Duration.ofSeconds(20));

      proxy.cut(); // the database goes away
      List<String> during = new ArrayList<>();
      for (int i = 4; i <= 6; i++) {
        seed("ETH/USDT", nowMinute - i * 60L, 10 + i, System.currentTimeMillis());
        during.add(CandleKeys.candle("ETH/USDT", nowMinute - i * 60L));
      }
      Poll.until(() -> status().getString("lastError") != null, Duration.ofSeconds(20));
      JsonObject down = status();
      assertThat(down.getBoolean("leader")).isTrue();
      assertThat(down.getLong("lagSeconds")).isNotNull();
      for (String key : during) {
        assertThat(field(key, "flushed_at")).isNull();
        assertThat(ttl(key)).isEqualTo(-1L);
      }

      proxy.restore(); // and comes back
      Poll.until(
          () ->
              status().getString("lastError") == null
                  && during.stream().allMatch(k -> field(k, "flushed_at") != null),
          Duration.ofSeconds(20));
      assertThat(status().getLong("rowsFlushed")).isGreaterThanOrEqualTo(6);
      Timer timer = wired.metrics().registry().find("oracle.flush.duration").timer();
      assertThat(timer).isNotNull();
      assertThat(timer.count()).isGreaterThanOrEqualTo(3);
      assertThat(wired.metrics().registry().find("oracle.flush.lag.seconds").gauge()).isNotNull();
    } finally {
      await(vertx.undeploy(id));
      proxy.cut();
      pool = backend().pool(vertx);
      repo = new CandleRepository(pool, backend().flavor());
    }
    assertThat(dbRows()).isEqualTo(6);
    assertThat(await(repo.read("ETH/USDT", "1m", nowMinute - 360, nowMinute, 10))).hasSize(3);
  }

  JsonObject status() {
    return await(vertx.eventBus().<JsonObject>request(Addresses.FLUSH_STATUS, null)).body();
  }
}
