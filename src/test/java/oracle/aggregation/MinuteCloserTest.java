package oracle.aggregation;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import oracle.common.RedisKeys;
import oracle.exchange.Kline;
import oracle.exchange.stream.ClosedMinutes;
import oracle.exchange.stream.SourceMinute;
import oracle.hotstore.CandleUpdates;
import oracle.leader.Term;
import oracle.storage.CandleRow;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The minute's close-out against real Redis (DB 9, this test's alone): the final candle hash as
 * {@code update_candle.lua}'s final mode leaves it, with a fake kline source for the repairs.
 */
class MinuteCloserTest {
  static final int DB = 9;
  private static final long MINUTE = 1_700_000_040L; // a minute start
  private static final long TOKEN = 5;
  private static final Aggregator RULES =
      new Aggregator(10_000, 0.0005, new QuorumRule(2, 0.01, Map.of()), 1.0);

  private static Vertx vertx;
  private static Redis redis;
  private final CandleUpdates updates = new CandleUpdates(3_000);

  /** Klines the fake REST source answers, by exchange; an exchange not here never answers. */
  private final Map<String, Kline> klines = new HashMap<>();

  private final AtomicInteger fetches = new AtomicInteger();

  private final MinuteCloser.KlineFetch fake =
      (exchange, symbol, from, to) -> {
        fetches.incrementAndGet();
        Kline k = klines.get(exchange);
        if (k == null) return vertx.timer(60_000).map(v -> List.of()); // hangs past the timeout
        return Future.succeededFuture(
            List.of(
                new Kline(
                    exchange,
                    symbol,
                    k.time(),
                    k.open(),
                    k.high(),
                    k.low(),
                    k.close(),
                    k.volume())));
      };

  private static final MinuteCloser.Limits LIMITS =
      new MinuteCloser.Limits(10, 2, 300, 5_000, 5_000);

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.redisUrl(DB));
  }

  @AfterAll
  static void close() {
    await(vertx.close());
  }

  @BeforeEach
  void clean() {
    TestEnv.flushRedis(vertx, DB);
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg(TOKEN)));
    await(updates.register(redis));
  }

  private static SourceMinute minute(
      String ex,
      String symbol,
      double o,
      double h,
      double l,
      double c,
      double v,
      long trades,
      boolean complete) {
    return new SourceMinute(new Kline(ex, symbol, MINUTE, o, h, l, c, v), trades, complete);
  }

  private MinuteCloser.Report close(List<SourceMinute> minutes, MinuteCloser.Limits limits) {
    return close(minutes, Map.of(), limits);
  }

  private MinuteCloser.Report close(
      List<SourceMinute> minutes, Map<String, List<String>> unheard, MinuteCloser.Limits limits) {
    MinuteCloser closer = new MinuteCloser(redis, updates, RULES, Map.of(), fake, limits);
    Promise<MinuteCloser.Report> done = Promise.promise();
    ClosedMinutes closed =
        new ClosedMinutes(MINUTE, minutes, Set.of("binance", "okx", "kraken"), unheard);
    vertx
        .getOrCreateContext()
        .runOnContext(v -> closer.close(closed, Map.of(), Term.begin(TOKEN)).onComplete(done));
    MinuteCloser.Report r = await(done.future());
    System.out.println(r);
    return r;
  }

  private static MinuteCloser.Report onContext(MinuteCloser closer, ClosedMinutes closed) {
    Promise<MinuteCloser.Report> done = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(v -> closer.close(closed, Map.of(), Term.begin(TOKEN)).onComplete(done));
    return await(done.future());
  }

  private static Map<String, String> hash(String symbol) {
    Response r =
        await(
            redis.send(Request.cmd(Command.HGETALL).arg("oracle:candle:" + symbol + ":" + MINUTE)));
    Map<String, String> out = new HashMap<>();
    if (r != null) for (String k : r.getKeys()) out.put(k, r.get(k).toString());
    return out;
  }

  private static CandleRow expected(String symbol, Kline... sources) {
    return KlineCombiner.combine(symbol, MINUTE, List.of(sources), Map.of(), RULES);
  }

  private static void assertCandle(Map<String, String> h, CandleRow row) {
    assertThat(Double.parseDouble(h.get("open"))).isEqualTo(row.open());
    assertThat(Double.parseDouble(h.get("high"))).isEqualTo(row.high());
    assertThat(Double.parseDouble(h.get("low"))).isEqualTo(row.low());
    assertThat(Double.parseDouble(h.get("close"))).isEqualTo(row.close());
    assertThat(Double.parseDouble(h.get("volume"))).isEqualTo(row.volume());
    assertThat(h.get("sources")).isEqualTo(String.join(",", row.sources()));
    assertThat(h.get("final")).isEqualTo("1");
  }

  @Test
  void completeSourcesAreCombinedAndWrittenLive() {
    SourceMinute b = minute("binance", "CLA/USDT", 100, 101, 99, 100.5, 2, 10, true);
    SourceMinute o = minute("okx", "CLA/USDT", 100.2, 101.2, 99.1, 100.6, 3, 12, true);
    MinuteCloser.Report r = close(List.of(b, o), LIMITS);
    assertThat(r.live()).isEqualTo(1);
    assertThat(r.repaired()).isZero();
    assertThat(fetches.get()).isZero();
    Map<String, String> h = hash("CLA/USDT");
    assertCandle(h, expected("CLA/USDT", b.kline(), o.kline()));
    assertThat(h.get("volume")).isEqualTo("5.0");
    assertThat(h.get("trades")).isEqualTo("22");
    assertThat(h.get("origin")).isEqualTo("live");
  }

  @Test
  void anIncompleteSourceIsRepairedFromItsKlineAndTheVolumeIsTheSum() {
    SourceMinute b = minute("binance", "CLB/USDT", 100, 101, 99, 100.5, 2, 10, true);
    SourceMinute o = minute("okx", "CLB/USDT", 100.2, 100.4, 100.1, 100.3, 1, 4, false);
    Kline okxKline = new Kline("okx", "CLB/USDT", MINUTE, 100.2, 101.3, 99.2, 100.6, 3);
    klines.put("okx", okxKline);
    MinuteCloser.Report r = close(List.of(b, o), LIMITS);
    assertThat(r.repaired()).isEqualTo(1);
    assertThat(r.repairsUsed()).isEqualTo(1);
    assertThat(fetches.get()).isEqualTo(1);
    Map<String, String> h = hash("CLB/USDT");
    assertCandle(h, expected("CLB/USDT", b.kline(), okxKline));
    assertThat(Double.parseDouble(h.get("volume"))).isEqualTo(2 + 3);
    assertThat(h.get("origin")).isEqualTo("repaired");
    assertThat(h.get("trades")).isEqualTo("10"); // the kline does not say how many trades
  }

  @Test
  void aRepairThatTimesOutLeavesTheTradesBuiltMinuteAsItIs() {
    SourceMinute b = minute("binance", "CLC/USDT", 100, 101, 99, 100.5, 2, 10, true);
    SourceMinute k = minute("kraken", "CLC/USDT", 100.2, 100.4, 100.1, 100.3, 1, 4, false);
    long t0 = System.nanoTime();
    MinuteCloser.Report r = close(List.of(b, k), LIMITS); // kraken never answers
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("close-out with a hanging repair took " + ms + " ms");
    assertThat(ms).isLessThan(5_000);
    assertThat(r.repairsFailed()).isEqualTo(1);
    assertThat(r.live()).isEqualTo(1);
    Map<String, String> h = hash("CLC/USDT");
    assertCandle(h, expected("CLC/USDT", b.kline(), k.kline()));
    assertThat(Double.parseDouble(h.get("volume"))).isEqualTo(3);
    assertThat(h.get("trades")).isEqualTo("14");
    assertThat(h.get("origin")).isEqualTo("live");
  }

  @Test
  void aKlineWithLessVolumeThanTheStreamSawIsNotUsed() {
    SourceMinute b = minute("binance", "CLD/USDT", 100, 101, 99, 100.5, 2, 10, true);
    SourceMinute o = minute("okx", "CLD/USDT", 100.2, 100.4, 100.1, 100.3, 4, 9, false);
    klines.put("okx", new Kline("okx", "CLD/USDT", MINUTE, 100, 101, 99, 100.4, 3));
    MinuteCloser.Report r = close(List.of(b, o), LIMITS);
    assertThat(r.repairsShort()).isEqualTo(1);
    Map<String, String> h = hash("CLD/USDT");
    assertThat(Double.parseDouble(h.get("volume"))).isEqualTo(6);
    assertThat(h.get("origin")).isEqualTo("live");
  }

  @Test
  void repairsBeyondTheBudgetAreNotAsked() {
    List<SourceMinute> minutes = new ArrayList<>();
    for (String s : List.of("CLE/USDT", "CLF/USDT", "CLG/USDT")) {
      minutes.add(minute("binance", s, 100, 101, 99, 100.5, 2, 10, true));
      minutes.add(minute("okx", s, 100, 101, 99, 100.5, 1, 3, false));
    }
    klines.put("okx", new Kline("okx", "x", MINUTE, 100, 101, 99, 100.5, 2));
    MinuteCloser.Report r = close(minutes, new MinuteCloser.Limits(2, 1, 300, 5_000, 5_000));
    assertThat(fetches.get()).isEqualTo(2);
    assertThat(r.repairsUsed()).isEqualTo(2);
    assertThat(r.repairsSkipped()).isEqualTo(1);
    assertThat(r.repaired() + r.live()).isEqualTo(3);
  }

  @Test
  void withoutQuorumNothingIsWrittenAndTheProvisionalCandleStays() {
    String key = "oracle:candle:CLH/USDT:" + MINUTE;
    await(
        redis.send(Request.cmd(Command.HSET).arg(key).arg("open").arg("7").arg("close").arg("7")));
    MinuteCloser.Report r =
        close(List.of(minute("binance", "CLH/USDT", 100, 101, 99, 100.5, 2, 10, true)), LIMITS);
    assertThat(r.withheld()).isEqualTo(1);
    assertThat(r.live() + r.repaired()).isZero();
    assertThat(hash("CLH/USDT")).containsOnly(Map.entry("open", "7"), Map.entry("close", "7"));
    // diverged: two sources 10 % apart
    MinuteCloser.Report d =
        close(
            List.of(
                minute("binance", "CLI/USDT", 100, 101, 99, 100, 2, 10, true),
                minute("okx", "CLI/USDT", 110, 111, 109, 110, 2, 10, true)),
            LIMITS);
    assertThat(d.withheld()).isEqualTo(1);
    assertThat(hash("CLI/USDT")).isEmpty();
  }

  @Test
  void aNewerLeadersTokenFencesTheFinalCandleOff() {
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg(TOKEN + 1)));
    MinuteCloser.Report r =
        close(
            List.of(
                minute("binance", "CLJ/USDT", 100, 101, 99, 100.5, 2, 10, true),
                minute("okx", "CLJ/USDT", 100, 101, 99, 100.5, 2, 10, true)),
            LIMITS);
    assertThat(r.fenced()).isEqualTo(1);
    assertThat(r.live()).isZero();
    assertThat(hash("CLJ/USDT")).isEmpty();
  }

  @Test
  void aKlineSourceThatThrowsIsAFailedRepairNotAStalledCloseOut() {
    MinuteCloser closer =
        new MinuteCloser(
            redis,
            updates,
            RULES,
            Map.of(),
            (e, s, f, t) -> {
              throw new IllegalStateException("no context");
            },
            LIMITS);
    Promise<MinuteCloser.Report> done = Promise.promise();
    ClosedMinutes closed =
        new ClosedMinutes(
            MINUTE,
            List.of(
                minute("binance", "CLL/USDT", 100, 101, 99, 100.5, 2, 10, true),
                minute("okx", "CLL/USDT", 100, 101, 99, 100.5, 1, 3, false)),
            Set.of("binance", "okx"));
    vertx
        .getOrCreateContext()
        .runOnContext(v -> closer.close(closed, Map.of(), Term.begin(TOKEN)).onComplete(done));
    MinuteCloser.Report r = await(done.future());
    assertThat(r.repairsFailed()).isEqualTo(1);
    assertThat(r.live()).isEqualTo(1);
    assertThat(hash("CLL/USDT").get("volume")).isEqualTo("3.0");
  }

  @Test
  void anEndedTermClosesNothing() {
    MinuteCloser closer = new MinuteCloser(redis, updates, RULES, Map.of(), fake, LIMITS);
    Term ended = Term.begin(TOKEN);
    ended.end();
    MinuteCloser.Report r =
        await(
            closer.close(
                new ClosedMinutes(
                    MINUTE,
                    List.of(
                        minute("binance", "CLK/USDT", 100, 101, 99, 100.5, 2, 10, true),
                        minute("okx", "CLK/USDT", 100, 101, 99, 100.5, 2, 10, false)),
                    Set.of("binance", "okx")),
                Map.of(),
                ended));
    assertThat(r.live() + r.repaired() + fetches.get()).isZero();
    assertThat(hash("CLK/USDT")).isEmpty();
  }

  @Test
  void anUnheardSourceIsRepairedFromItsKlineAndJoinsTheMinute() {
    SourceMinute b = minute("binance", "CLU/USDT", 100, 101, 99, 100.5, 2, 10, true);
    Kline okxKline = new Kline("okx", "CLU/USDT", MINUTE, 100.2, 101.3, 99.2, 100.6, 3);
    klines.put("okx", okxKline);
    MinuteCloser.Report r = close(List.of(b), Map.of("okx", List.of("CLU/USDT")), LIMITS);
    assertThat(fetches.get()).isEqualTo(1);
    assertThat(r.repairsUsed()).isEqualTo(1);
    assertThat(r.repaired()).isEqualTo(1);
    Map<String, String> h = hash("CLU/USDT");
    assertCandle(h, expected("CLU/USDT", b.kline(), okxKline));
    assertThat(Double.parseDouble(h.get("volume"))).isEqualTo(2 + 3);
    assertThat(h.get("origin")).isEqualTo("repaired");
    assertThat(h.get("sources")).isEqualTo("binance,okx");
  }

  @Test
  void aSymbolNoStreamHeardFromIsBuiltFromItsKlinesOrLeftAlone() {
    // CLV: both streams were down all minute; their klines make the final candle
    klines.put("okx", new Kline("okx", "x", MINUTE, 100.2, 101.3, 99.2, 100.6, 3));
    klines.put("binance", new Kline("binance", "x", MINUTE, 100, 101, 99, 100.5, 2));
    // CLW: kraken's kline shows no trade: nothing to add, the provisional candle stays
    klines.put("kraken", new Kline("kraken", "x", MINUTE, 100, 100, 100, 100, 0));
    String key = "oracle:candle:CLW/USDT:" + MINUTE;
    await(
        redis.send(Request.cmd(Command.HSET).arg(key).arg("open").arg("7").arg("close").arg("7")));
    MinuteCloser.Report r =
        close(
            List.of(),
            Map.of(
                "okx",
                List.of("CLV/USDT"),
                "binance",
                List.of("CLV/USDT"),
                "kraken",
                List.of("CLW/USDT")),
            LIMITS);
    assertThat(fetches.get()).isEqualTo(3);
    assertThat(r.repairsUsed()).isEqualTo(2);
    assertThat(r.repairsNone()).isEqualTo(1);
    assertThat(r.repaired()).isEqualTo(1);
    assertThat(r.withheld()).isZero();
    Map<String, String> h = hash("CLV/USDT");
    assertThat(Double.parseDouble(h.get("volume"))).isEqualTo(5);
    assertThat(h.get("origin")).isEqualTo("repaired");
    assertThat(h.get("final")).isEqualTo("1");
    assertThat(hash("CLW/USDT")).containsOnly(Map.entry("open", "7"), Map.entry("close", "7"));
  }

  @Test
  void unheardSymbolsShareTheBudgetAfterTheIncompleteMinutesAndTakeTurns() {
    List<SourceMinute> minutes = new ArrayList<>();
    minutes.add(minute("binance", "CLX/USDT", 100, 101, 99, 100.5, 2, 10, true));
    minutes.add(minute("okx", "CLX/USDT", 100, 101, 99, 100.5, 1, 3, false));
    List<String> quiet = new ArrayList<>();
    for (int i = 0; i < 6; i++) quiet.add("CQ" + i + "/USDT");
    klines.put("okx", new Kline("okx", "x", MINUTE, 100, 101, 99, 100.5, 2));
    MinuteCloser.Limits three = new MinuteCloser.Limits(3, 1, 300, 5_000, 5_000);
    List<String> asked = new ArrayList<>();
    MinuteCloser.KlineFetch recording =
        (e, sym, f, t) -> {
          asked.add(sym);
          return fake.klines(e, sym, f, t);
        };
    MinuteCloser closer = new MinuteCloser(redis, updates, RULES, Map.of(), recording, three);
    MinuteCloser.Report r =
        onContext(
            closer,
            new ClosedMinutes(MINUTE, minutes, Set.of("binance", "okx"), Map.of("okx", quiet)));
    System.out.println(r + " asked " + asked);
    assertThat(asked).hasSize(3);
    assertThat(asked.get(0)).as("the incomplete minute first").isEqualTo("CLX/USDT");
    assertThat(r.repairsSkipped()).isEqualTo(4);
    assertThat(r.repairsUsed()).isEqualTo(3);
    // the next minute's turn starts elsewhere: over minutes, every quiet symbol is asked
    java.util.Set<String> seen = new java.util.HashSet<>(asked.subList(1, 3));
    for (int m = 1; m <= 3; m++) {
      asked.clear();
      long next = MINUTE + 60L * m;
      onContext(closer, new ClosedMinutes(next, List.of(), Set.of("okx"), Map.of("okx", quiet)));
      seen.addAll(asked);
    }
    System.out.println(
        "quiet symbols asked over 4 minutes: " + seen.size() + " of " + quiet.size());
    assertThat(seen).containsExactlyInAnyOrderElementsOf(quiet);
  }

  @Test
  void anUnheardSourceOverTheBudgetLeavesTheSymbolToItsOtherSourcesAtOnce() {
    SourceMinute b = minute("binance", "CLY/USDT", 100, 101, 99, 100.5, 2, 10, true);
    SourceMinute o = minute("okx", "CLY/USDT", 100.2, 101.2, 99.1, 100.6, 3, 12, true);
    klines.put("kraken", new Kline("kraken", "x", MINUTE, 100, 101, 99, 100.5, 2));
    MinuteCloser.Report r =
        close(
            List.of(b, o),
            Map.of("kraken", List.of("CLY/USDT")),
            new MinuteCloser.Limits(0, 1, 300, 5_000, 5_000));
    assertThat(fetches.get()).isZero();
    assertThat(r.repairsSkipped()).isEqualTo(1);
    assertThat(r.live()).isEqualTo(1);
    assertThat(hash("CLY/USDT").get("origin")).isEqualTo("live");
  }

  /**
   * An unheard pair of a source that also has a minute of the symbol is not asked twice, a symbol
   * outside the aggregated ones is not asked at all, and a kline list without the minute adds
   * nothing.
   */
  @Test
  void unheardPairsAreAskedOnceOnlyForAggregatedSymbolsAndNeedTheirMinute() {
    SourceMinute b = minute("binance", "CLZ/USDT", 100, 101, 99, 100.5, 2, 10, true);
    SourceMinute o = minute("okx", "CLZ/USDT", 100.2, 101.2, 99.1, 100.6, 3, 12, true);
    List<String> asked = new ArrayList<>();
    MinuteCloser.KlineFetch elsewhere =
        (e, sym, f, t) -> {
          asked.add(e + " " + sym);
          return Future.succeededFuture(
              List.of(new Kline(e, sym, MINUTE - 60, 100, 101, 99, 100.5, 2))); // another minute
        };
    MinuteCloser closer =
        new MinuteCloser(redis, updates, RULES, Map.of(), elsewhere, LIMITS)
            .onlySymbols(List.of("CLZ/USDT"));
    MinuteCloser.Report r =
        onContext(
            closer,
            new ClosedMinutes(
                MINUTE,
                List.of(b, o),
                Set.of("binance", "okx", "kraken"),
                Map.of(
                    "binance", List.of("CLZ/USDT"), // heard: it has a minute
                    "kraken", List.of("CLZ/USDT", "NOT/AGGREGATED", "CLZ/USDT"))));
    System.out.println(r + " asked " + asked);
    assertThat(asked).containsExactly("kraken CLZ/USDT");
    assertThat(r.repairsNone()).isEqualTo(1);
    assertThat(r.live()).isEqualTo(1);
    assertThat(hash("CLZ/USDT").get("origin")).isEqualTo("live");
  }
}
