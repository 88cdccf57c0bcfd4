package oracle.aggregation;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.common.RedisKeys;
import oracle.exchange.Kline;
import oracle.exchange.Quote;
import oracle.exchange.stream.ClosedMinutes;
import oracle.exchange.stream.SourceMinute;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The close-out as the aggregation verticle runs it: a {@link ClosedMinutes} on {@code
 * oracle.ingestion.minutes-closed} becomes the minute's final candle in Redis (DB 9), with the KRW
 * source converted by the USDT/KRW rate the ticks saw in that minute, and an incomplete source
 * repaired through the verticle's kline source.
 */
class MinuteCloseWiringTest {
  private static final String SYMBOL = "WIRE/USDT";
  private static final long TOKEN = 3;

  private Vertx vertx;
  private Redis redis;
  private final AtomicInteger repairs = new AtomicInteger();
  private final OracleMetrics metrics = OracleMetrics.create();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestEnv.redisUrl(MinuteCloserTest.DB));
    TestEnv.flushRedis(vertx, MinuteCloserTest.DB);
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg(TOKEN)));
    vertx
        .eventBus()
        .consumer(
            Addresses.LEADER_STATUS,
            m -> m.reply(new JsonObject().put("leader", true).put("fencingToken", TOKEN)));
    IngestionCodecs.register(vertx); // QuoteBatch and ClosedMinutes travel as local objects
    AggregationSettings settings =
        new AggregationSettings(
            1_000,
            List.of(SYMBOL),
            Map.of("USDT/KRW", "upbit"),
            10_000,
            0.0005,
            new QuorumRule(2, 0.01, Map.of()),
            0.5,
            3_000);
    MinuteCloser.KlineFetch fetch =
        (exchange, symbol, from, to) -> {
          repairs.incrementAndGet();
          return Future.succeededFuture(
              List.of(new Kline(exchange, symbol, from, 100.1, 100.6, 99.8, 100.28, 4)));
        };
    await(
        vertx.deployVerticle(
            new AggregationVerticle(
                "wire-test", TestEnv.redisUrl(MinuteCloserTest.DB), settings, metrics, fetch)));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void aClosedMinuteBecomesTheFinalCandleWithTheMinutesRateAndItsRepair() {
    long nowMs = System.currentTimeMillis();
    long minute = RedisKeys.minuteOf(nowMs);
    // a tick of that minute carries the USDT/KRW rate (1,400 KRW per USDT)
    Quote rate = new Quote("upbit", "USDT/KRW", "KRW", 1_400, Double.NaN, Double.NaN, nowMs, 1, 0);
    long t = System.nanoTime();
    QuoteBatch tick = new QuoteBatch(nowMs, t, t, List.of(rate), Map.of(), Map.of());
    AtomicInteger ticks = new AtomicInteger();
    vertx.eventBus().consumer(Addresses.INGESTION_TICK, m -> ticks.incrementAndGet());
    vertx.runOnContext(v -> vertx.eventBus().send(Addresses.QUOTES, tick));
    Poll.until(() -> ticks.get() > 0, Duration.ofSeconds(10)); // its rate is recorded
    ClosedMinutes closed =
        new ClosedMinutes(
            minute,
            List.of(
                new SourceMinute(
                    new Kline("binance", SYMBOL, minute, 100, 100.5, 99.9, 100.3, 2), 7, true),
                new SourceMinute(
                    new Kline(
                        "upbit", SYMBOL, minute, 140_100, 140_700, 139_900, 140_420, 1, "KRW"),
                    5,
                    true),
                new SourceMinute(
                    new Kline("okx", SYMBOL, minute, 100.1, 100.2, 100.0, 100.1, 1), 2, false)),
            Set.of("binance", "upbit", "okx"));
    vertx.runOnContext(v -> vertx.eventBus().send(Addresses.MINUTES_CLOSED, closed));
    String key = "oracle:candle:" + SYMBOL + ":" + minute;
    Poll.until(
        () -> {
          Response r = await(redis.send(Request.cmd(Command.HGET).arg(key).arg("final")));
          return r != null && r.toString().equals("1");
        },
        Duration.ofSeconds(10));
    Response h = await(redis.send(Request.cmd(Command.HGETALL).arg(key)));
    System.out.println("final candle " + h);
    assertThat(repairs.get()).isEqualTo(1);
    assertThat(h.get("origin").toString()).isEqualTo("repaired");
    assertThat(h.get("sources").toString()).isEqualTo("binance,okx,upbit"); // upbit converted
    assertThat(Double.parseDouble(h.get("volume").toString())).isEqualTo(2 + 4 + 1);
    assertThat(h.get("trades").toString()).isEqualTo("12");
    Poll.until(() -> metrics.closeoutMinutes("repaired").count() == 1, Duration.ofSeconds(5));
    assertThat(metrics.closeoutRepairs("used").count()).isEqualTo(1);
    assertThat(metrics.closeoutMinutes("live").count()).isZero();
  }
}
