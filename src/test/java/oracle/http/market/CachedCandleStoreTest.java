package oracle.http.market;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import oracle.http.ApiTestEnv;
import oracle.storage.Resolution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The closed-history cache answers exactly what the database answers, for any range, limit and
 * direction, over sparse data; and it really serves from memory once a block is loaded.
 */
class CachedCandleStoreTest {
  static final String SYMBOL = "SOL/USDT";

  /** 2023-06-01: far behind the cache edge. */
  static final long BASE = 1_685_577_600L;

  static Vertx vertx;
  static Pool pg;
  static StoredCandleReader repository;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pg = ApiTestEnv.pg(vertx);
    ApiTestEnv.createSchema(pg);
    repository = new StoredCandleReader(pg);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  CachedCandleStore cached() {
    return new CachedCandleStore(
        vertx, repository, 16L << 20, Duration.ofMinutes(10), 60, System::currentTimeMillis);
  }

  @Test
  void answersLikeTheDatabaseForAnyRangeLimitAndDirection() {
    for (Resolution r : Resolution.values())
      await(
          pg.preparedQuery("DELETE FROM " + r.table() + " WHERE symbol = $1")
              .execute(io.vertx.sqlclient.Tuple.of(SYMBOL)));
    Random random = new Random(42);
    List<Bar> minutes = new ArrayList<>();
    List<Bar> hours = new ArrayList<>();
    // Three days of minutes with holes, and hourly rollups with holes, so blocks are partly empty.
    for (long t = BASE; t < BASE + 3 * 86_400; t += 60)
      if (random.nextInt(10) > 0 && (t - BASE) / 3600 % 7 != 3)
        minutes.add(ApiTestEnv.minute(t, 10));
    for (long t = BASE - 400 * 3600L; t < BASE + 200 * 3600L; t += 3600)
      if (random.nextInt(5) > 0) hours.add(ApiTestEnv.minute(t, 20));
    ApiTestEnv.insert(pg, Resolution.M1, SYMBOL, minutes);
    ApiTestEnv.insert(pg, Resolution.H1, SYMBOL, hours);

    CachedCandleStore store = cached();
    long now = System.currentTimeMillis() / 1000;
    for (int i = 0; i < 300; i++) {
      Resolution r = random.nextBoolean() ? Resolution.M1 : Resolution.H1;
      long span = r == Resolution.M1 ? 3 * 86_400 : 700 * 3600L;
      long origin = r == Resolution.M1 ? BASE - 3600 : BASE - 450 * 3600L;
      long from = r.bucketStart(origin + (long) (random.nextDouble() * span));
      long to = from + (long) (random.nextDouble() * span);
      if (i % 25 == 0) from = 0;
      if (i % 30 == 0) to = now;
      int limit = 1 + random.nextInt(random.nextBoolean() ? 20 : 2_000);
      boolean fromEnd = random.nextBoolean();

      List<Bar> expected = await(repository.range(r, SYMBOL, from, to, limit, fromEnd));
      List<Bar> actual = await(store.range(r, SYMBOL, from, to, limit, fromEnd));

      assertThat(actual)
          .as("%s from=%d to=%d limit=%d fromEnd=%s", r, from, to, limit, fromEnd)
          .isEqualTo(expected);
    }
  }

  /**
   * The recent part is one shared open-ended read, cut at each request's `to`, refreshed in the
   * background: a new row shows within the refresh period plus a read, without a request waiting.
   */
  @Test
  void recentReadsAreSharedCutAtTheirEndAndRefreshed() throws Exception {
    String symbol = "ETH/USDT";
    long nowMinute = System.currentTimeMillis() / 60_000 * 60;
    long start = nowMinute - 30 * 60;
    await(
        pg.preparedQuery("DELETE FROM ohlcv_1m WHERE symbol = $1 AND time >= $2")
            .execute(io.vertx.sqlclient.Tuple.of(symbol, ApiTestEnv.ts(start))));
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < 20; i++) bars.add(ApiTestEnv.minute(start + i * 60L, 30));
    ApiTestEnv.insert(pg, Resolution.M1, symbol, bars);
    CachedCandleStore store = cached();
    long far = nowMinute + 86_400;

    assertThat(await(store.range(Resolution.M1, symbol, start, far, 1000, false))).isEqualTo(bars);
    // The same shared read, cut at `to` (and at the limit, which is part of the key).
    for (long to : new long[] {start - 1, start, start + 599, start + 600, far})
      assertThat(await(store.range(Resolution.M1, symbol, start, to, 1000, false)))
          .as("to=%d", to)
          .isEqualTo(await(repository.range(Resolution.M1, symbol, start, to, 1000, false)));
    assertThat(await(store.range(Resolution.M1, symbol, start, far, 5, false)))
        .isEqualTo(bars.subList(0, 5));

    Bar added = ApiTestEnv.minute(start + 25 * 60L, 30);
    ApiTestEnv.insert(pg, Resolution.M1, symbol, List.of(added));
    List<Bar> expected = new ArrayList<>(bars);
    expected.add(added);
    long deadline = System.currentTimeMillis() + CachedCandleStore.TAIL_MAX_AGE.toMillis() + 2_000;
    List<Bar> seen;
    do {
      Thread.sleep(100);
      seen = await(store.range(Resolution.M1, symbol, start, far, 1000, false));
    } while (!seen.equals(expected) && System.currentTimeMillis() < deadline);
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void aLoadedBlockIsServedFromMemory() {
    String symbol = "ETH/USDT";
    await(
        pg.preparedQuery("DELETE FROM ohlcv_1m WHERE symbol = $1")
            .execute(io.vertx.sqlclient.Tuple.of(symbol)));
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < 100; i++) bars.add(ApiTestEnv.minute(BASE + i * 60L, 30));
    ApiTestEnv.insert(pg, Resolution.M1, symbol, bars);
    CachedCandleStore store = cached();
    assertThat(await(store.range(Resolution.M1, symbol, BASE, BASE + 99 * 60, 1000, false)))
        .isEqualTo(bars);

    await(
        pg.preparedQuery("DELETE FROM ohlcv_1m WHERE symbol = $1")
            .execute(io.vertx.sqlclient.Tuple.of(symbol)));

    assertThat(await(store.range(Resolution.M1, symbol, BASE, BASE + 99 * 60, 1000, false)))
        .isEqualTo(bars);
    assertThat(await(repository.range(Resolution.M1, symbol, BASE, BASE + 99 * 60, 1000, false)))
        .isEmpty();
    // A store without a cache reads through.
    CachedCandleStore off =
        new CachedCandleStore(
            vertx, repository, 0, Duration.ofMinutes(10), 60, System::currentTimeMillis);
    assertThat(await(off.range(Resolution.M1, symbol, BASE, BASE + 99 * 60, 1000, false)))
        .isEmpty();
  }

  @Test
  void cachedCandlesAreWrittenAsTheSameBytesAndOnlyWhenIdentical() {
    String symbol = "BTC/USDT";
    await(
        pg.preparedQuery("DELETE FROM ohlcv_1m WHERE symbol = $1")
            .execute(io.vertx.sqlclient.Tuple.of(symbol)));
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < 300; i++)
      bars.add(
          new Bar(
              BASE + i * 60L,
              100 + i / 7.0,
              101 + i / 3.0,
              99 - i / 11.0,
              100.5 + i / 13.0,
              i * 0.001));
    ApiTestEnv.insert(pg, Resolution.M1, symbol, bars);
    CachedCandleStore store = cached();
    List<Bar> read = await(store.range(Resolution.M1, symbol, BASE, BASE + 299 * 60, 1000, false));
    CandlePage page = new CandlePage(read, BASE + 300 * 60);
    CandlePage plain = new CandlePage(new ArrayList<>(read), BASE + 300 * 60);

    // The cached candles stay packed as runs of their blocks ...
    assertThat(read).isInstanceOf(Candles.class).isEqualTo(bars);
    Candles runs = (Candles) read;
    for (int k = 0; k < runs.pieces(); k++) assertThat(runs.block(k)).isNotNull();
    // ... and are written as the bytes formatting the same candles gives.
    String fromCache = CandleJson.ohlcv(symbol, Resolution.M1, page).toString();
    String formatted = CandleJson.ohlcv(symbol, Resolution.M1, plain).toString();
    assertThat(fromCache).isEqualTo(formatted);
    assertThat(new io.vertx.core.json.JsonObject(fromCache).getJsonArray("candles")).hasSize(300);
    // With gaps, and with "now" inside the run (its later candles still forming: closed false).
    long now = BASE + 150 * 60 + 5;
    assertThat(
            CandleJson.ohlcv(symbol, Resolution.M1, page, BASE - 600, BASE + 400 * 60, now)
                .toString())
        .isEqualTo(
            CandleJson.ohlcv(symbol, Resolution.M1, plain, BASE - 600, BASE + 400 * 60, now)
                .toString())
        .contains("\"closed\":false");
    // Pages cut from it keep the runs.
    assertThat(CandleService.page(read, 120, false).bars())
        .isInstanceOf(Candles.class)
        .isEqualTo(bars.subList(0, 120));
    assertThat(CandleService.page(read, 120, true).bars()).isEqualTo(bars.subList(180, 300));

    // A candle that differs from the cached one (a hot candle overriding it) is written anew, the
    // rest of the run still copied.
    Bar first = read.get(10);
    Bar hot =
        new Bar(
            first.time(),
            first.open(),
            first.high() + 1,
            first.low(),
            first.close(),
            first.volume());
    List<Bar> changed =
        CandleService.overlay(read, List.of(hot, ApiTestEnv.minute(BASE + 400 * 60, 1)));
    List<Bar> expected = new ArrayList<>(bars);
    expected.set(10, hot);
    expected.add(ApiTestEnv.minute(BASE + 400 * 60, 1));
    assertThat(changed).isEqualTo(expected);
    String json = CandleJson.ohlcv(symbol, Resolution.M1, new CandlePage(changed, null)).toString();
    assertThat(json)
        .isEqualTo(
            CandleJson.ohlcv(symbol, Resolution.M1, new CandlePage(expected, null)).toString());
    assertThat(
            new io.vertx.core.json.JsonObject(json)
                .getJsonArray("candles")
                .getJsonObject(10)
                .getDouble("high"))
        .isEqualTo(first.high() + 1);
  }
}
