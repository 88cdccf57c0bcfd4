package oracle.http.market;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import oracle.common.RedisKeys;
import oracle.hotstore.CandleKeys;
import oracle.hotstore.HotReads;
import oracle.http.ApiTestEnv;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live minutes in one script call: only the candles present, parsed as the HMGET per minute
 * did; concurrent identical reads of one event loop shared; a silent Redis fails the read in time.
 */
class HotCandlesTest {
  static final String SYMBOL = "SOL/USDT";
  static Vertx vertx;
  static Redis redis;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = ApiTestEnv.redis(vertx);
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_API);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  static void hset(long minute, String... fieldsAndValues) {
    Request r = Request.cmd(Command.HSET).arg(CandleKeys.candle(SYMBOL, minute));
    for (String s : fieldsAndValues) r.arg(s);
    await(redis.send(r));
  }

  @Test
  void readsThePresentCandlesAsTheyAreStored() {
    long base = RedisKeys.minuteOf(System.currentTimeMillis()) - 3600;
    List<Bar> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      if (i % 3 == 0) continue; // absent minutes
      Bar b = ApiTestEnv.minute(base + i * 60L, 150);
      ApiTestEnv.putHot(redis, SYMBOL, b);
      expected.add(b);
    }
    // No volume field: volume 0.
    hset(base, "open", "1.5", "high", "2", "low", "1", "close", "1.25");
    expected.add(0, new Bar(base, 1.5, 2, 1, 1.25, 0));
    // An empty volume is 0 too (CandleHash's rule for every reader).
    hset(base + 9 * 60, "open", "1", "high", "2", "low", "1", "close", "1", "volume", "");
    expected.add(new Bar(base + 9 * 60, 1, 2, 1, 1, 0));
    expected.sort(java.util.Comparator.comparingLong(Bar::time));
    // Skipped: a price missing, a price that is not a number or not finite, a '|' inside a value.
    hset(base + 3 * 60, "open", "1", "high", "2", "low", "1");
    hset(base + 6 * 60, "open", "x", "high", "2", "low", "1", "close", "1", "volume", "3");
    hset(base + 12 * 60, "open", "1|2", "high", "2", "low", "1", "close", "1", "volume", "3");
    hset(base + 15 * 60, "open", "inf", "high", "2", "low", "1", "close", "1", "volume", "3");

    // Flushed and unchanged since: apart (the API prefers the stored row); changed since: live.
    hset(base + 18 * 60, "open", "3", "high", "3", "low", "3", "close", "3", "volume", "1");
    hset(base + 18 * 60, "updated_at", "1000", "flushed_at", "1000");
    hset(base + 21 * 60, "open", "4", "high", "4", "low", "4", "close", "4", "volume", "1");
    hset(base + 21 * 60, "updated_at", "2000", "flushed_at", "1000");
    expected.add(new Bar(base + 21 * 60, 4, 4, 4, 4, 1));
    expected.sort(java.util.Comparator.comparingLong(Bar::time));

    HotCandles hot = new HotCandles(redis, 2_000);
    HotReads.Tail<Bar> all = await(hot.between(SYMBOL, base, base + 59 * 60));
    assertThat(all.live()).isEqualTo(expected);
    assertThat(all.flushed()).containsExactly(new Bar(base + 18 * 60, 3, 3, 3, 3, 1));
    assertThat(await(hot.between(SYMBOL, base + 60, base + 60)).live())
        .containsExactly(expected.get(1));
    assertThat(await(hot.between(SYMBOL, base + 61 * 60, base + 70 * 60)).live()).isEmpty();
    assertThat(await(hot.between(SYMBOL, base + 60, base)).live()).isEmpty();
  }

  @Test
  void concurrentReadsOfOneSpanOnOneEventLoopShareOneRead() throws Exception {
    long base = RedisKeys.minuteOf(System.currentTimeMillis()) - 600;
    Bar b = ApiTestEnv.minute(base, 20);
    ApiTestEnv.putHot(redis, "ETH/USDT", b); // another symbol than the test above
    HotCandles hot = new HotCandles(redis, 2_000);
    CompletableFuture<List<Future<HotReads.Tail<Bar>>>> reads = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          List<Future<HotReads.Tail<Bar>>> out = new ArrayList<>();
          out.add(hot.between("ETH/USDT", base, base + 120));
          out.add(hot.between("ETH/USDT", base, base + 120));
          out.add(hot.between("ETH/USDT", base, base + 180));
          reads.complete(out);
        });
    List<Future<HotReads.Tail<Bar>>> futures = reads.get(10, TimeUnit.SECONDS);
    assertThat(futures.get(1)).isSameAs(futures.get(0));
    assertThat(futures.get(2)).isNotSameAs(futures.get(0));
    for (Future<HotReads.Tail<Bar>> f : futures) assertThat(await(f).live()).containsExactly(b);
    // Once answered, the next read is a new one (it sees what was written since).
    Bar later = ApiTestEnv.minute(base + 60, 21);
    ApiTestEnv.putHot(redis, "ETH/USDT", later);
    CompletableFuture<Future<HotReads.Tail<Bar>>> again = new CompletableFuture<>();
    vertx.runOnContext(v -> again.complete(hot.between("ETH/USDT", base, base + 120)));
    assertThat(await(again.get(10, TimeUnit.SECONDS)).live()).containsExactly(b, later);
  }

  @Test
  void aSilentRedisFailsTheReadWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) accepted.add(silent.accept()); // and never answer
                } catch (Exception closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Redis stuck = Redis.createClient(vertx, "redis://127.0.0.1:" + silent.getLocalPort());
      HotCandles hot = new HotCandles(stuck, 300);
      long t0 = System.nanoTime();
      Promise<Throwable> failure = Promise.promise();
      vertx.runOnContext(
          v ->
              hot.between(SYMBOL, 0, 600)
                  .onComplete(ar -> failure.complete(ar.failed() ? ar.cause() : null)));
      Throwable cause = await(failure.future());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(cause).isNotNull();
      assertThat(ms).isBetween(250L, 5_000L);
      stuck.close();
      for (Socket s : accepted) s.close();
    }
  }
}
