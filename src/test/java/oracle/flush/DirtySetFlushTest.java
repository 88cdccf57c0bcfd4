package oracle.flush;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import oracle.common.Candle;
import oracle.common.LuaScript;
import oracle.common.RedisFactory;
import oracle.common.RedisKeys;
import oracle.hotstore.CandleKeys;
import oracle.hotstore.PendingCandle;
import oracle.hotstore.UnflushedReader;
import oracle.storage.CandleRepository;
import oracle.storage.StorageBackend;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dirty set {@code oracle:flush:dirty} against real Redis (DB 3) and plain PostgreSQL: kept by
 * update_candle.lua and mark_flushed.lua, read instead of SCAN in the steady state, and backed by a
 * full scan whenever it cannot be trusted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirtySetFlushTest {
  private static final LuaScript UPDATE_CANDLE = LuaScript.load("update_candle");

  Vertx vertx;
  Pool pool;
  Redis redis;
  CandleRepository repo;
  long nowMinute;
  long clockMs;
  long token = 90_000;

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    pool = StorageBackend.PLAIN.pool(vertx);
    repo = StorageBackend.PLAIN.freshSchema(pool);
    redis = RedisFactory.create(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_STORAGE));
  }

  @BeforeEach
  void clean() {
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_STORAGE);
    StorageBackend.PLAIN.emptyTables(pool);
    nowMinute = RedisKeys.minuteOf(System.currentTimeMillis());
    clockMs = nowMinute * 1000 + 30_000;
  }

  @AfterAll
  void tearDown() {
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_STORAGE);
    redis.close();
    await(pool.close());
    await(vertx.close());
  }

  Flusher flusher() {
    return new Flusher(redis, repo, () -> clockMs, 3600);
  }

  /** One tick through the real candle script; returns the key. */
  String tick(String symbol, long minute, double price, long atMs) {
    String key = CandleKeys.candle(symbol, minute);
    await(
        UPDATE_CANDLE.eval(
            redis,
            List.of(key, RedisKeys.LEADER_FENCING),
            List.of(Double.toString(price), "1", Long.toString(atMs), "")));
    return key;
  }

  /** A change made behind the scripts' back (not in the dirty set): only a full scan finds it. */
  void rawChange(String key, double close, long updatedAt) {
    await(
        redis.send(
            Request.cmd(Command.HSET)
                .arg(key)
                .arg("open")
                .arg(Double.toString(close))
                .arg("high")
                .arg(Double.toString(close))
                .arg("low")
                .arg(Double.toString(close))
                .arg("close")
                .arg(Double.toString(close))
                .arg("updated_at")
                .arg(Long.toString(updatedAt))));
  }

  Set<String> dirty() {
    Set<String> out = new TreeSet<>();
    for (Response r : await(redis.send(Request.cmd(Command.SMEMBERS).arg(CandleKeys.DIRTY))))
      out.add(r.toString());
    return out;
  }

  String field(String key, String field) {
    Response r = await(redis.send(Request.cmd(Command.HGET).arg(key).arg(field)));
    return r == null ? null : r.toString();
  }

  long dbRows() {
    return await(pool.query("SELECT count(*) FROM ohlcv_1m").execute())
        .iterator()
        .next()
        .getLong(0);
  }

  double storedClose(String symbol, long minute) {
    List<Candle> c = await(repo.read(symbol, "1m", minute, minute, 1));
    assertThat(c).hasSize(1);
    return c.get(0).close();
  }

  @Test
  void everyCandleChangeAddsItsKeyToTheDirtySetButAWithheldOrRefusedTickDoesNot() {
    String key = tick("BTC/USDT", nowMinute - 60, 100, clockMs - 40_000);
    assertThat(dirty()).containsExactly(key);

    String withheld = CandleKeys.candle("ETH/USDT", nowMinute - 60);
    await(
        UPDATE_CANDLE.eval(
            redis,
            List.of(withheld, RedisKeys.LEADER_FENCING),
            List.of("", "", Long.toString(clockMs), "", "", "", "mode", "withhold")));
    String refused = CandleKeys.candle("SOL/USDT", nowMinute - 3_600);
    Response late =
        await(
            UPDATE_CANDLE.eval(
                redis,
                List.of(refused, RedisKeys.LEADER_FENCING),
                List.of("5", "", Long.toString(clockMs), "", "", "", "grace", "3000")));
    assertThat(late.toInteger()).as("a minute closed an hour ago is refused").isZero();
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg("9")));
    String fenced = CandleKeys.candle("XRP/USDT", nowMinute - 60);
    await(
        UPDATE_CANDLE.eval(
            redis,
            List.of(fenced, RedisKeys.LEADER_FENCING),
            List.of("1", "", Long.toString(clockMs), "3")));
    assertThat(field(fenced, "open")).as("a deposed writer changes nothing").isNull();
    assertThat(dirty()).containsExactly(key);
  }

  @Test
  void aPassMarksClosedCandlesOutOfTheSetAndTheOpenMinuteStaysDirty() {
    String closed = tick("BTC/USDT", nowMinute - 60, 100, clockMs - 40_000);
    String open = tick("BTC/USDT", nowMinute, 101, clockMs - 1_000);
    assertThat(await(flusher().flushOnce(++token))).isEqualTo(new FlushResult(2, 1, 1));
    assertThat(field(closed, "flushed_at")).isNotNull();
    assertThat(dirty()).containsExactlyInAnyOrder(open, UnflushedReader.COMPLETE);
  }

  @Test
  void aSteadyStatePassReadsOnlyTheDirtyKeys() {
    Flusher flusher = flusher();
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= 30; i++) keys.add(tick("BTC/USDT", nowMinute - i * 60L, 100 + i, 1_000));
    assertThat(await(flusher.flushOnce(++token)).rowsMarked()).isEqualTo(30);
    assertThat(dirty()).containsExactly(UnflushedReader.COMPLETE);

    // One candle changes through the script, another behind its back: the pass reads the set only.
    tick("BTC/USDT", nowMinute - 60, 150, 2_000);
    rawChange(keys.get(4), 7, clockMs + 10); // newer than its flushed_at
    assertThat(await(flusher.read())).extracting(PendingCandle::key).containsExactly(keys.get(0));
    assertThat(await(flusher.flushOnce(++token))).isEqualTo(new FlushResult(1, 1, 0));
    assertThat(storedClose("BTC/USDT", nowMinute - 60)).isEqualTo(150.0);
    assertThat(storedClose("BTC/USDT", nowMinute - 300)).isEqualTo(105.0);
    assertThat(await(flusher.flushOnce(++token))).isEqualTo(FlushResult.NOTHING);

    // The safety net (a new term's first pass) scans every key and finds the other change.
    flusher.requireFullScan();
    assertThat(await(flusher.flushOnce(++token))).isEqualTo(new FlushResult(1, 1, 0));
    assertThat(storedClose("BTC/USDT", nowMinute - 300)).isEqualTo(7.0);
    assertThat(dirty()).containsExactly(UnflushedReader.COMPLETE);
  }

  @Test
  void aCandleChangedBetweenReadAndMarkStaysDirtyAndTheNextPassWritesIt() {
    Flusher flusher = flusher();
    String btc = tick("BTC/USDT", nowMinute - 60, 100, clockMs - 40_000);
    String eth = tick("ETH/USDT", nowMinute - 60, 10, clockMs - 40_000);
    List<PendingCandle> pending = await(flusher.read());
    await(flusher.write(pending, ++token));
    tick("BTC/USDT", nowMinute - 60, 101, clockMs - 35_000); // lands after the read
    assertThat(await(flusher.mark(pending))).isEqualTo(1);
    assertThat(field(eth, "flushed_at")).isNotNull();
    assertThat(field(btc, "flushed_at")).isNull();
    assertThat(dirty()).containsExactlyInAnyOrder(btc, UnflushedReader.COMPLETE);

    assertThat(await(flusher.flushOnce(++token))).isEqualTo(new FlushResult(1, 1, 0));
    assertThat(storedClose("BTC/USDT", nowMinute - 60)).isEqualTo(101.0);
    assertThat(dirty()).containsExactly(UnflushedReader.COMPLETE);
  }

  @Test
  void afterTheDirtySetIsLostTheNextPassScansEveryKeyAndLosesNoMinute() {
    Flusher flusher = flusher();
    for (int i = 1; i <= 5; i++) tick("BTC/USDT", nowMinute - i * 60L, 100 + i, 1_000);
    assertThat(await(flusher.flushOnce(++token)).rowsMarked()).isEqualTo(5);

    // Changes before the loss, the loss (a Redis restart without the set, an eviction), a change
    // after it, and a minute that only ever existed behind the scripts' back.
    tick("BTC/USDT", nowMinute - 60, 150, 2_000);
    await(redis.send(Request.cmd(Command.DEL).arg(CandleKeys.DIRTY)));
    tick("BTC/USDT", nowMinute - 120, 160, 2_000);
    rawChange(CandleKeys.candle("ETH/USDT", nowMinute - 60), 20, 2_000);
    assertThat(dirty()).as("recreated by the tick, without the complete mark").hasSize(1);

    FlushResult r = await(flusher.flushOnce(++token));
    assertThat(r).isEqualTo(new FlushResult(3, 3, 0));
    assertThat(storedClose("BTC/USDT", nowMinute - 60)).isEqualTo(150.0);
    assertThat(storedClose("BTC/USDT", nowMinute - 120)).isEqualTo(160.0);
    assertThat(storedClose("ETH/USDT", nowMinute - 60)).isEqualTo(20.0);
    assertThat(dbRows()).isEqualTo(6);
    assertThat(dirty()).containsExactly(UnflushedReader.COMPLETE);

    // From then on the set is trusted again.
    tick("BTC/USDT", nowMinute - 180, 170, 3_000);
    assertThat(await(flusher.read())).hasSize(1);
  }

  @Test
  void aCappedFullScanPutsTheKeysItDidNotReadInTheSetForTheNextPasses() {
    for (int i = 1; i <= 25; i++)
      rawChange(CandleKeys.candle("BTC/USDT", nowMinute - i * 60L), 100 + i, 1_000);
    Flusher capped = new Flusher(redis, repo, () -> clockMs, 3600, 10);
    assertThat(await(capped.flushOnce(++token))).isEqualTo(new FlushResult(10, 10, 0, true));
    assertThat(dirty()).hasSize(15 + 1);
    assertThat(await(capped.flushOnce(++token))).isEqualTo(new FlushResult(10, 10, 0, true));
    assertThat(await(capped.flushOnce(++token))).isEqualTo(new FlushResult(5, 5, 0, false));
    assertThat(dbRows()).isEqualTo(25);
    assertThat(dirty()).containsExactly(UnflushedReader.COMPLETE);
  }

  @Test
  void aLargePassIsWrittenInGroupsBySymbolWithEveryRowAndRollup() {
    int symbols = 300;
    int minutes = 100; // 30,000 candles: more than one group
    long first = RedisKeys.minuteOf(System.currentTimeMillis()) - 2 * 86_400L;
    first -= first % 86_400; // a whole day from 00:00, so the rollup buckets are complete
    List<Future<?>> writes = new ArrayList<>();
    List<Request> batch = new ArrayList<>();
    for (int s = 0; s < symbols; s++) {
      for (int m = 0; m < minutes; m++) {
        String key = CandleKeys.candle("S" + s + "/USDT", first + m * 60L);
        String p = Double.toString(10 + s + m / 100.0);
        batch.add(
            Request.cmd(Command.HSET)
                .arg(key)
                .arg("open")
                .arg(p)
                .arg("high")
                .arg(p)
                .arg("low")
                .arg(p)
                .arg("close")
                .arg(p)
                .arg("volume")
                .arg("1")
                .arg("updated_at")
                .arg("1000"));
        batch.add(Request.cmd(Command.SADD).arg(CandleKeys.DIRTY).arg(key));
      }
      writes.add(redis.batch(batch));
      batch = new ArrayList<>();
    }
    await(Future.all(writes));
    assertThat(symbols * minutes).isGreaterThan(Flusher.GROUP_ROWS);

    Flusher flusher = flusher();
    assertThat(await(flusher.flushOnce(++token)))
        .isEqualTo(new FlushResult(symbols * minutes, symbols * minutes, 0));
    assertThat(dbRows()).isEqualTo((long) symbols * minutes);
    assertThat(dirty()).containsExactly(UnflushedReader.COMPLETE);
    List<Candle> fiveMinutes = await(repo.read("S7/USDT", "5m", first, first + 86_400, 100));
    assertThat(fiveMinutes).hasSize(minutes / 5);
    assertThat(fiveMinutes.get(0).volume()).isEqualTo(5.0);
    assertThat(fiveMinutes.get(0).open()).isEqualTo(17.0);
    assertThat(fiveMinutes.get(0).close()).isEqualTo(17.04);
    List<Candle> hour = await(repo.read("S299/USDT", "1h", first, first, 1));
    assertThat(hour).extracting(Candle::volume).containsExactly(60.0);
  }

  @Test
  void groupsNeverSplitASymbol() {
    List<String> keys = new ArrayList<>();
    for (int s = 0; s < 7; s++)
      for (int m = 0; m < 5_000; m++) keys.add(CandleKeys.candle("S" + s + "/USDT", m * 60L));
    List<List<String>> groups = Flusher.groups(keys, UnflushedReader::symbolOf);
    assertThat(groups).hasSizeGreaterThan(1);
    Set<String> seen = new TreeSet<>();
    for (List<String> g : groups) {
      assertThat(g.size()).isLessThanOrEqualTo(Flusher.GROUP_ROWS);
      Set<String> symbols = new TreeSet<>();
      g.forEach(k -> symbols.add(UnflushedReader.symbolOf(k)));
      for (String s : symbols) assertThat(seen.add(s)).as(s + " in one group only").isTrue();
    }
    assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(keys.size());
    assertThat(UnflushedReader.symbolOf(CandleKeys.candle("BTC/USDT", 60))).isEqualTo("BTC/USDT");
  }

  @Test
  void everyFullScanIntervalAPassScansEveryKeyAgain() {
    Flusher flusher = new Flusher(redis, repo, () -> clockMs, 3600, Integer.MAX_VALUE, 60_000);
    String key = tick("BTC/USDT", nowMinute - 120, 100, 1_000);
    assertThat(await(flusher.flushOnce(++token)).rowsMarked()).isEqualTo(1); // first pass: full
    rawChange(key, 9, clockMs + 10); // behind the scripts' back: not in the dirty set
    assertThat(await(flusher.flushOnce(++token))).isEqualTo(FlushResult.NOTHING);
    assertThat(storedClose("BTC/USDT", nowMinute - 120)).isEqualTo(100.0);

    clockMs += 60_000; // flush.fullScanMs later the pass scans every key and finds the change
    assertThat(await(flusher.flushOnce(++token)).rowsWritten()).isEqualTo(1);
    assertThat(storedClose("BTC/USDT", nowMinute - 120)).isEqualTo(9.0);
  }

  @Test
  void aMalformedDirtyKeyOrHashIsSkippedAndThePassWritesTheRest() {
    Flusher flusher = flusher();
    await(flusher.flushOnce(++token)); // the set is complete from here on
    String good = tick("BTC/USDT", nowMinute - 60, 100, 1_000);
    // A member without a minute, and a hash whose sources hold the reply's separator.
    String noMinute = CandleKeys.PREFIX + "BTC-USDT";
    String separator = CandleKeys.candle("ETH/USDT", nowMinute - 60);
    rawChange(noMinute, 5, 1_000);
    rawChange(separator, 6, 1_000);
    await(redis.send(Request.cmd(Command.HSET).arg(separator).arg("sources").arg("okx|bybit")));
    await(redis.send(Request.cmd(Command.SADD).arg(CandleKeys.DIRTY).arg(noMinute).arg(separator)));

    FlushResult r = await(flusher.flushOnce(++token));
    assertThat(r.rowsWritten()).isEqualTo(1);
    assertThat(storedClose("BTC/USDT", nowMinute - 60)).isEqualTo(100.0);
    assertThat(field(good, "flushed_at")).isNotNull();
    assertThat(field(separator, "flushed_at")).as("never marked: nothing stored it").isNull();
    assertThat(UnflushedReader.symbolOf(noMinute))
        .as("a malformed key groups as itself")
        .isEqualTo(noMinute);
  }

  @Test
  void aDirtySetLargerThanOneSscanPageIsReadWhole() {
    Flusher flusher = flusher();
    await(flusher.flushOnce(++token)); // first pass: full scan, the set is complete from here on
    List<Request> writes = new ArrayList<>();
    Set<String> expected = new TreeSet<>();
    for (int s = 0; s < 24; s++) {
      for (int m = 1; m <= 500; m++) {
        String key = CandleKeys.candle("P" + s + "/USDT", nowMinute - m * 60L);
        expected.add(key);
        writes.add(
            Request.cmd(Command.HSET)
                .arg(key)
                .arg("open")
                .arg("1")
                .arg("high")
                .arg("1")
                .arg("low")
                .arg("1")
                .arg("close")
                .arg("1")
                .arg("updated_at")
                .arg("1000"));
        writes.add(Request.cmd(Command.SADD).arg(CandleKeys.DIRTY).arg(key));
      }
    }
    await(redis.batch(writes));
    Set<String> read = new TreeSet<>();
    for (PendingCandle p : await(flusher.read())) read.add(p.key());
    assertThat(read).hasSize(12_000).isEqualTo(expected);
  }
}
