package oracle.polling;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import oracle.common.RedisKeys;
import oracle.config.ConfigReader;
import oracle.exchange.ExchangeAdapter;
import oracle.exchange.Kline;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poller's rate-limit, round-robin and minute-volume logic, with an in-memory adapter. */
class ExchangePollerTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  /** Records what it was asked; every symbol's price is 100, every kline's volume 4.5. */
  private static final class StubAdapter implements ExchangeAdapter {
    final boolean perSymbol;
    final List<List<String>> asked = new ArrayList<>();
    final List<String> klinesAsked = new ArrayList<>();
    boolean failing;

    StubAdapter(boolean perSymbol) {
      this.perSymbol = perSymbol;
    }

    @Override
    public String name() {
      return "coinbase";
    }

    @Override
    public int requestsFor(int n) {
      return perSymbol ? n : 1;
    }

    @Override
    public Future<List<Quote>> fetchQuotes(List<String> symbols) {
      asked.add(List.copyOf(symbols));
      if (failing) return Future.failedFuture(new IllegalStateException("HTTP 500"));
      return Future.succeededFuture(
          symbols.stream()
              .map(
                  s ->
                      new Quote(
                          "coinbase",
                          s,
                          "USDT",
                          100,
                          Double.NaN,
                          Double.NaN,
                          System.currentTimeMillis(),
                          1,
                          Double.NaN))
              .toList());
    }

    @Override
    public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
      klinesAsked.add(symbol);
      return Future.succeededFuture(
          List.of(new Kline("coinbase", symbol, fromSec, 1, 1, 1, 1, 4.5)));
    }
  }

  private ExchangePoller poller(StubAdapter adapter, double rps, int burst, int symbols) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < symbols; i++) list.add("S" + i + "/USDT");
    JsonObject root =
        new JsonObject()
            .put(
                "sources",
                new JsonObject()
                    .put(
                        "coinbase",
                        new JsonObject()
                            .put(
                                "rateLimit",
                                new JsonObject().put("requestsPerSecond", rps).put("burst", burst))
                            .put("volumeRequestsPerTick", 2)));
    IngestionSettings settings =
        IngestionSettings.from(new ConfigReader(root), list.getList(), List.of("coinbase"));
    SourceSettings source = settings.sources().get(0);
    return new ExchangePoller(
        vertx,
        adapter,
        source,
        settings,
        oracle.common.OracleMetrics.of(new SimpleMeterRegistry()));
  }

  @Test
  void aPerSymbolSourceAsksWhatItsTokensPayForRoundRobin() {
    StubAdapter adapter = new StubAdapter(true);
    ExchangePoller p = poller(adapter, 0.01, 3, 5);
    long now = System.currentTimeMillis();
    ExchangePoller.Outcome first = await(p.poll(now));
    assertThat(adapter.asked.get(0)).containsExactly("S0/USDT", "S1/USDT", "S2/USDT");
    assertThat(first.quotes()).hasSize(3);
    // No tokens left: nothing asked, the cached quotes go on (the aggregator's staleness window
    // bounds them).
    ExchangePoller.Outcome second = await(p.poll(now));
    assertThat(adapter.asked).hasSize(1);
    assertThat(second.quotes()).hasSize(3);
    assertThat(second.unavailableReason()).isNull();
  }

  @Test
  void aBatchSourceWithoutTokensAndNothingCachedIsRateLimited() {
    StubAdapter adapter = new StubAdapter(false);
    adapter.failing = true;
    ExchangePoller p = poller(adapter, 0.01, 1, 4);
    long now = System.currentTimeMillis();
    ExchangePoller.Outcome failed = await(p.poll(now)); // spends the only token, gets nothing
    assertThat(failed.quotes()).isEmpty();
    assertThat(failed.unavailableReason()).isNull();
    ExchangePoller.Outcome limited = await(p.poll(now));
    assertThat(adapter.asked).hasSize(1); // not asked again
    assertThat(limited.unavailableReason()).isEqualTo(oracle.exchange.DropReason.RATE_LIMITED);
  }

  @Test
  void minuteVolumeComesFromSpareTokensAndOnlyForTheCurrentMinute() throws Exception {
    StubAdapter adapter = new StubAdapter(false);
    ExchangePoller p = poller(adapter, 0.01, 4, 3);
    long now = System.currentTimeMillis();
    await(p.poll(now)); // 1 token for the batch, 3 left
    p.refreshVolumes(now); // keeps 1 in reserve: 2 klines (volumeRequestsPerTick = 2)
    Thread.sleep(100);
    assertThat(adapter.klinesAsked).containsExactly("S0/USDT", "S1/USDT");
    List<Quote> quotes = await(p.poll(now)).quotes();
    assertThat(quotes)
        .filteredOn(q -> !Double.isNaN(q.minuteVolume()))
        .extracting(Quote::symbol)
        .containsExactlyInAnyOrder("S0/USDT", "S1/USDT");
    assertThat(quotes)
        .filteredOn(q -> q.symbol().equals("S0/USDT"))
        .extracting(Quote::minuteVolume)
        .containsExactly(4.5);
    // In the next minute the cached volume no longer applies.
    long nextMinute = (RedisKeys.minuteOf(now) + 60) * 1000;
    assertThat(await(p.poll(nextMinute)).quotes())
        .allSatisfy(q -> assertThat(q.minuteVolume()).isNaN());
  }

  /**
   * A batch source whose ticker poll spends every token it earns (Kraken: 1 request/s, burst 2;
   * here ten times faster, a tick every 100 ms) still serves a waiting kline request: at most every
   * fourth tick gives it its token, and the ticker is polled on the others.
   */
  @Test
  void aSourceWhosePollingSpendsEveryTokenStillServesWaitingKlineRequests() throws Exception {
    StubAdapter adapter = new StubAdapter(false);
    ExchangePoller p = poller(adapter, 10, 2, 4);
    java.util.concurrent.atomic.AtomicInteger ticks =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger servedAt =
        new java.util.concurrent.atomic.AtomicInteger(-1);
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long minute = RedisKeys.minuteOf(System.currentTimeMillis()) / 1000 - 600;
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              long now = System.currentTimeMillis();
              p.poll(now); // the burst spent: from here each tick takes the token it earned
              p.poll(now);
              vertx.setPeriodic(
                  100,
                  id -> {
                    int t = ticks.incrementAndGet();
                    if (t == 2) // a repair's kline request starts waiting
                    p.klines("S0/USDT", minute, minute).onSuccess(k -> servedAt.set(ticks.get()));
                    if (t > 30) {
                      vertx.cancelTimer(id);
                      done.complete();
                      return;
                    }
                    p.poll(System.currentTimeMillis());
                  });
            });
    await(done.future());
    int polls = adapter.asked.size();
    System.out.printf(
        "kline request served at tick %d (waited from tick 2), %d ticker polls in %d ticks, %d token(s) given to klines%n",
        servedAt.get(), polls, 30 + 2, p.klineShares());
    assertThat(servedAt.get())
        .as("served within a few ticks")
        .isBetween(2, 2 + 2 * ExchangePoller.KLINE_SHARE_TICKS);
    assertThat(adapter.klinesAsked).containsExactly("S0/USDT");
    assertThat(p.klineShares()).as("one share: nothing waits afterwards").isLessThanOrEqualTo(1);
    assertThat(polls).as("the ticker is polled on the other ticks").isGreaterThanOrEqualTo(15);
  }
}
