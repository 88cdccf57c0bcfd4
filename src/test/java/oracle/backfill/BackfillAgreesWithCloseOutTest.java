package oracle.backfill;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oracle.aggregation.Aggregator;
import oracle.aggregation.MinuteCloser;
import oracle.aggregation.QuorumRule;
import oracle.common.Candle;
import oracle.common.RedisKeys;
import oracle.exchange.Kline;
import oracle.exchange.stream.ClosedMinutes;
import oracle.exchange.stream.SourceMinute;
import oracle.hotstore.CandleUpdates;
import oracle.leader.Term;
import oracle.storage.CandleRepository;
import oracle.storage.Migrator;
import oracle.storage.StorageFlavor;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 23 item 6, one rule for a minute: the same per-source OHLCV (four venues, one of them in
 * KRW with the minute's USDT/KRW rate, one with a bad high print) gives exactly the same candle
 * whether the backfill builds it from klines into PostgreSQL (its own database {@code
 * closeout_agree}) or the live close-out builds it from the streams' minutes into Redis (DB 9).
 */
class BackfillAgreesWithCloseOutTest {
  private static final String SYMBOL = "AGR/USDT";

  /** The close-out tests' Redis database (MinuteCloserTest). */
  private static final int REDIS_DB = 9;

  private static final double KRW = 1_400;

  /** The live rules, as {@code IngestionSettings.rules()} builds them by default. */
  private static final Aggregator RULES =
      new Aggregator(10_000, 0.0005, new QuorumRule(2, 0.01, Map.of()), 0.5);

  private static final Map<String, String> RATE_PAIRS = Map.of("USDT/KRW", "upbit");

  private static Vertx vertx;
  private static Pool pool;
  private static CandleRepository repo;
  private static Redis redis;
  private static long minute;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2))
            .connectingTo(PgConnectOptions.fromUri(TestEnv.pgUrl("closeout_agree")))
            .using(vertx)
            .build();
    await(pool.query("DROP SCHEMA IF EXISTS public CASCADE").execute());
    await(pool.query("CREATE SCHEMA public").execute());
    StorageFlavor flavor = await(new Migrator(pool).migrate());
    repo = new CandleRepository(pool, flavor);
    redis = Redis.createClient(vertx, TestEnv.redisUrl(REDIS_DB));
    TestEnv.flushRedis(vertx, REDIS_DB);
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg(1)));
    minute = (System.currentTimeMillis() / 1000 / 60) * 60 - 86_400;
  }

  @AfterAll
  static void tearDown() {
    await(pool.close());
    await(vertx.close());
  }

  /** Each venue's minute of the symbol, in its own quote currency. */
  private static List<Kline> perSource() {
    return List.of(
        new Kline("binance", SYMBOL, minute, 100.0, 100.9, 99.6, 100.4, 12.5),
        new Kline("okx", SYMBOL, minute, 100.1, 101.1, 99.5, 100.5, 7.25),
        new Kline("kraken", SYMBOL, minute, 100.05, 131.0, 99.7, 100.45, 1.5), // a bad print
        new Kline(
            "upbit",
            SYMBOL,
            minute,
            100.2 * KRW,
            100.8 * KRW,
            99.9 * KRW,
            100.3 * KRW,
            3.0,
            "KRW"));
  }

  private static Kline rateKline() {
    return new Kline("upbit", "USDT/KRW", minute, KRW, KRW, KRW, KRW, 1_000, "KRW");
  }

  /** A REST source answering its one kline of the minute (and, for Upbit, the rate pair's). */
  private static KlineSource source(String name) {
    return new KlineSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<List<Kline>> fetchKlines(String symbol, long fromSec, long toSec) {
        if (symbol.equals("USDT/KRW")) return Future.succeededFuture(List.of(rateKline()));
        return Future.succeededFuture(
            perSource().stream().filter(k -> k.exchange().equals(name)).toList());
      }
    };
  }

  @Test
  void aBackfilledMinuteAndAClosedOutMinuteAgreeExactly() {
    // backfill: klines → PostgreSQL
    List<KlineSource> sources =
        List.of(source("binance"), source("okx"), source("kraken"), source("upbit"));
    BackfillJob job =
        await(
            new Backfiller(repo, sources, RULES, RATE_PAIRS)
                .run(new BackfillJob(SYMBOL, minute, minute, "admin"), Term.begin(1)));
    assertThat(job.filledMinutes()).isEqualTo(1);
    Candle stored = await(repo.read(SYMBOL, "1m", minute, minute, 10)).get(0);
    io.vertx.sqlclient.Row row =
        await(
                pool.preparedQuery(
                        "SELECT origin, trades FROM ohlcv_1m WHERE symbol = $1 AND time = to_timestamp($2)")
                    .execute(io.vertx.sqlclient.Tuple.of(SYMBOL, minute)))
            .iterator()
            .next();
    assertThat(row.getString("origin")).isEqualTo("backfill");

    // close-out: the streams' minutes of the same trades → Redis
    List<SourceMinute> minutes =
        new java.util.ArrayList<>(
            perSource().stream().map(k -> new SourceMinute(k, 10, true)).toList());
    minutes.add(new SourceMinute(rateKline(), 50, true));
    MinuteCloser closer =
        new MinuteCloser(
            redis,
            new CandleUpdates(3_000),
            RULES,
            RATE_PAIRS,
            (e, s, f, t) -> Future.failedFuture("no repairs needed"),
            MinuteCloser.Limits.DEFAULT);
    Promise<MinuteCloser.Report> done = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v ->
                closer
                    .close(
                        new ClosedMinutes(
                            minute, minutes, Set.of("binance", "okx", "kraken", "upbit")),
                        Map.of(),
                        Term.begin(1))
                    .onComplete(done));
    MinuteCloser.Report report = await(done.future());
    assertThat(report.live()).isEqualTo(1);
    assertThat(report.clipped()).isPositive(); // kraken's 131 high
    Response h =
        await(
            redis.send(Request.cmd(Command.HGETALL).arg("oracle:candle:" + SYMBOL + ":" + minute)));
    double[] live = {
      Double.parseDouble(h.get("open").toString()),
      Double.parseDouble(h.get("high").toString()),
      Double.parseDouble(h.get("low").toString()),
      Double.parseDouble(h.get("close").toString()),
      Double.parseDouble(h.get("volume").toString())
    };
    double[] backfilled = {
      stored.open(), stored.high(), stored.low(), stored.close(), stored.volume()
    };
    System.out.println(
        "backfilled "
            + java.util.Arrays.toString(backfilled)
            + " closed-out "
            + java.util.Arrays.toString(live));
    assertThat(live).containsExactly(backfilled);
    assertThat(live[4]).isEqualTo(12.5 + 7.25 + 1.5 + 3.0);
    assertThat(live[1]).isLessThan(101.5); // the bad print drew no wick
    assertThat(h.get("sources").toString()).isEqualTo("binance,kraken,okx,upbit");
    assertThat(h.get("origin").toString()).isEqualTo("live");
    assertThat(h.get("trades").toString()).isEqualTo("40");
  }
}
