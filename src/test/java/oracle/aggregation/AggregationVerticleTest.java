package oracle.aggregation;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.common.RedisKeys;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import oracle.hotstore.CandleKeys;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The aggregation verticle on its own, fed {@link QuoteBatch}es directly, against real Redis: how
 * it queues ticks, and what it does when the candle script refuses a write (a newer fencing token,
 * a closed minute), when a tick has no agreed price, and when Redis answers with an error.
 */
class AggregationVerticleTest {
  private static final int DB = TestEnv.REDIS_DB_INGESTION;
  private static final String BTC = "AGGV-BTC/USDT";
  private static final String ETH = "AGGV-ETH/USDT";
  private static final long TOKEN = 5;

  private Vertx vertx;
  private Redis redis;
  private OracleMetrics metrics;
  private final List<JsonObject> ticks = new CopyOnWriteArrayList<>();
  private final List<JsonObject> candles = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    // One event loop: a batch sent from a task on it is queued behind that task, so a test decides
    // exactly which batches arrive while a tick is being written.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    redis = Redis.createClient(vertx, TestEnv.redisUrl(DB));
    List<String> keys =
        new ArrayList<>(List.of(RedisKeys.LEADER_FENCING, RedisKeys.PRICES_SUMMARY));
    for (String s : List.of(BTC, ETH)) keys.add(RedisKeys.price(s));
    await(redis.send(Request.cmd(Command.DEL, keys.toArray())));
    deleteCandles();
    // This instance leads with TOKEN (the gate asks the leader verticle's status at start).
    vertx
        .eventBus()
        .consumer(
            Addresses.LEADER_STATUS,
            m -> m.reply(new JsonObject().put("leader", true).put("fencingToken", TOKEN)));
    vertx.eventBus().<JsonObject>consumer(Addresses.INGESTION_TICK, m -> ticks.add(m.body()));
    for (String s : List.of(BTC, ETH))
      vertx.eventBus().<JsonObject>consumer(Addresses.candle(s), m -> candles.add(m.body()));
    IngestionCodecs.register(vertx);
    metrics = OracleMetrics.create();
  }

  @AfterEach
  void stop() {
    deleteCandles();
    await(vertx.close());
  }

  private void deleteCandles() {
    Response found = await(redis.send(Request.cmd(Command.KEYS).arg(CandleKeys.PREFIX + "AGGV-*")));
    if (found.size() == 0) return;
    Request del = Request.cmd(Command.DEL);
    found.forEach(k -> del.arg(k.toString()));
    await(redis.send(del));
  }

  private void deploy(QuorumRule quorum) {
    AggregationSettings settings =
        new AggregationSettings(
            1_000, List.of(BTC, ETH), Map.of(), 60_000, 0.0005, quorum, 0.5, 5_000);
    await(
        vertx.deployVerticle(
            new AggregationVerticle("aggv-test", TestEnv.redisUrl(DB), settings, metrics)));
  }

  private static Quote quote(String exchange, String symbol, double price, long at) {
    return new Quote(exchange, symbol, "USDT", price, Double.NaN, Double.NaN, at, 1_000, 1.5);
  }

  private static QuoteBatch batch(long tickMs, Quote... quotes) {
    return batch(tickMs, Map.of(), Map.of(), quotes);
  }

  private static QuoteBatch batch(
      long tickMs,
      Map<String, DropReason> unavailable,
      Map<String, Set<String>> listings,
      Quote... quotes) {
    long now = System.nanoTime();
    return new QuoteBatch(tickMs, now, now, List.of(quotes), unavailable, listings);
  }

  /** Sends the batches from one task on the single event loop, so they queue behind each other. */
  private void send(QuoteBatch... batches) {
    vertx.runOnContext(
        v -> {
          for (QuoteBatch b : batches) vertx.eventBus().send(Addresses.QUOTES, b);
        });
  }

  private JsonObject tick(long tickMs) {
    Poll.until(
        () -> ticks.stream().anyMatch(t -> t.getLong("tickMs") == tickMs), Duration.ofSeconds(10));
    return ticks.stream().filter(t -> t.getLong("tickMs") == tickMs).findFirst().orElseThrow();
  }

  private Response hash(String symbol, long tickMs) {
    return await(
        redis.send(
            Request.cmd(Command.HGETALL)
                .arg(CandleKeys.candle(symbol, RedisKeys.minuteOf(tickMs)))));
  }

  private static long thisMinute() {
    long now = System.currentTimeMillis();
    // Far enough from the minute's end that three ticks stay in it.
    return now - now % 60_000 + 1_000 > now - 50_000 ? now - now % 60_000 + 1_000 : now;
  }

  @Test
  void aBatchArrivingWhileATickIsWrittenWaitsAndOnlyTheNewestWaitingOneIsKept() {
    deploy(QuorumRule.NONE);
    long t = thisMinute();
    send(
        batch(t, quote("binance", BTC, 100, t)),
        batch(t + 1, quote("binance", BTC, 200, t + 1)),
        batch(t + 2, quote("binance", BTC, 300, t + 2)));
    assertThat(tick(t + 2).getInteger("updated")).isEqualTo(1);
    assertThat(ticks).extracting(j -> j.getLong("tickMs")).containsExactly(t, t + 2);
    assertThat(hash(BTC, t).get("close").toString()).isEqualTo("300.0");
    assertThat(hash(BTC, t).get("high").toString())
        .as("the overwritten batch never reached the candle")
        .isEqualTo("300.0");
    // Health's one key: the tick's newest price and its sources.
    io.vertx.core.json.JsonObject summary =
        new io.vertx.core.json.JsonObject(
            await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.PRICES_SUMMARY))).toString());
    assertThat(summary.getLong("tickMs")).isEqualTo(t + 2);
    assertThat(summary.getLong("newestPriceMs")).isEqualTo(t + 2);
    assertThat(summary.getJsonArray("sourcesUsed").getList()).containsExactly("binance");
  }

  @Test
  void streamedSourcesCarryTheirMinuteTradeCountsIntoTheCandle() {
    deploy(QuorumRule.NONE);
    long t = thisMinute();
    Quote streamed =
        new Quote(
            "binance",
            BTC,
            "USDT",
            100,
            Double.NaN,
            Double.NaN,
            t,
            1_000,
            2.5,
            null,
            Quote.Via.STREAM,
            7);
    Quote alsoStreamed =
        new Quote(
            "coinbase",
            BTC,
            "USDT",
            100,
            Double.NaN,
            Double.NaN,
            t,
            1_000,
            0.5,
            null,
            Quote.Via.STREAM,
            3);
    send(batch(t, streamed, alsoStreamed, quote("okx", BTC, 100, t)));
    assertThat(tick(t).getInteger("updated")).isEqualTo(1);
    Response h = hash(BTC, t);
    System.out.println("candle trades " + h.get("trades") + ", volume " + h.get("volume"));
    assertThat(h.get("trades:binance").toString()).isEqualTo("7");
    assertThat(h.get("trades:coinbase").toString()).isEqualTo("3");
    assertThat(h.get("trades:okx")).as("a polled source's count is unknown").isNull();
    assertThat(h.get("trades").toLong()).isEqualTo(10);
  }

  @Test
  void aStreamedRateOfAQuietPairStaysUsable() {
    AggregationSettings settings =
        new AggregationSettings(
            1_000,
            List.of(BTC, ETH),
            Map.of("USDT/KRW", "upbit"),
            60_000,
            0.0005,
            QuorumRule.NONE,
            0.5,
            5_000);
    await(
        vertx.deployVerticle(
            new AggregationVerticle("aggv-test", TestEnv.redisUrl(DB), settings, metrics)));
    long t = thisMinute();
    // the pair last traded two minutes ago, beyond stalenessMs: a healthy stream still quotes it
    Quote rate =
        new Quote(
            "upbit",
            "USDT/KRW",
            "KRW",
            1_400,
            Double.NaN,
            Double.NaN,
            t - 120_000,
            1_000,
            0,
            null,
            Quote.Via.STREAM,
            0);
    Quote krw =
        new Quote(
            "upbit",
            BTC,
            "KRW",
            140_000,
            Double.NaN,
            Double.NaN,
            t,
            1_000,
            1,
            null,
            Quote.Via.STREAM,
            1);
    send(batch(t, rate, krw));
    assertThat(tick(t).getInteger("updated")).isEqualTo(1);
    assertThat(hash(BTC, t).get("close").toString()).isEqualTo("100.0");
  }

  @Test
  void aCandleRefusedForANewerFencingTokenIsNeitherWrittenNorPublished() {
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.LEADER_FENCING).arg(TOKEN + 1)));
    deploy(QuorumRule.NONE);
    long t = System.currentTimeMillis();
    send(batch(t, quote("binance", BTC, 100, t)));
    assertThat(tick(t).getInteger("updated")).isZero();
    assertThat(hash(BTC, t).size()).isZero();
    assertThat(candles).isEmpty();
    assertThat(await(redis.send(Request.cmd(Command.GET).arg(RedisKeys.PRICES_SUMMARY))))
        .as("a refused tick says nothing of the prices")
        .isNull();
  }

  @Test
  void aTickForAMinuteClosedLongerAgoThanTheGraceIsRefused() {
    deploy(QuorumRule.NONE);
    long late = System.currentTimeMillis() - 10 * 60_000;
    send(batch(late, quote("binance", BTC, 100, late)));
    assertThat(tick(late).getInteger("updated")).isZero();
    assertThat(hash(BTC, late).size()).isZero();
    assertThat(candles).isEmpty();
  }

  @Test
  void aTickWithoutAnySourceWritesNothingButIsStillReported() {
    deploy(QuorumRule.NONE);
    long t = System.currentTimeMillis();
    // okx is unavailable, but lists neither symbol: nothing to report for them either.
    send(batch(t, Map.of("okx", DropReason.BREAKER_OPEN), Map.of("okx", Set.of("XRP/USDT"))));
    JsonObject reported = tick(t);
    assertThat(reported.getInteger("updated")).isZero();
    assertThat(reported.getInteger("symbols")).isEqualTo(2);
    assertThat(hash(BTC, t).size()).isZero();
    assertThat(metrics.registry().find("oracle.sources.dropped").tag("exchange", "okx").counters())
        .isEmpty();
  }

  @Test
  void anUnavailableSourceIsCountedOnlyForTheSymbolsItLists() {
    deploy(QuorumRule.NONE);
    long t = System.currentTimeMillis();
    send(
        batch(
            t,
            Map.of("okx", DropReason.BREAKER_OPEN, "kraken", DropReason.RATE_LIMITED),
            Map.of("okx", Set.of(BTC)),
            quote("binance", BTC, 100, t),
            quote("binance", ETH, 10, t)));
    assertThat(tick(t).getInteger("updated")).isEqualTo(2);
    MeterRegistry meters = metrics.registry();
    assertThat(
            meters
                .get("oracle.sources.dropped")
                .tag("exchange", "okx")
                .tag("reason", DropReason.BREAKER_OPEN.label())
                .counter()
                .count())
        .as("okx lists BTC only")
        .isEqualTo(1.0);
    assertThat(meters.find("oracle.sources.dropped").tag("exchange", "kraken").counters())
        .as("kraken's listing is unknown: counted nowhere")
        .isEmpty();
  }

  /**
   * {@code oracle_price_oldest_age_seconds}: one series, the age of the oldest price the tick
   * served; a withheld symbol counts with its kept price's timestamp, read from Redis.
   */
  @Test
  void theOldestPriceAgeCountsAWithheldSymbolsKeptPrice() {
    deploy(new QuorumRule(2, 0.01, Map.of()));
    metrics.leadership(true, TOKEN);
    long t = thisMinute();
    send(batch(t, quote("binance", ETH, 10, t), quote("okx", ETH, 10.001, t)));
    assertThat(tick(t).getInteger("updated")).isEqualTo(1);
    assertThat(oldestAgeSeconds()).as("ETH's fresh price").isBetween(0.0, 70.0);

    long tenMinutesAgo = t - 600_000;
    await(
        redis.send(
            Request.cmd(Command.SET)
                .arg(RedisKeys.price(ETH))
                .arg(new JsonObject().put("price", 10).put("timestamp", tenMinutesAgo).encode())));
    send(batch(t + 1, quote("binance", ETH, 11, t + 1)));
    assertThat(tick(t + 1).getInteger("updated")).isZero();
    assertThat(oldestAgeSeconds()).as("ETH withheld: its kept price").isBetween(600.0, 680.0);
    metrics.notLeading();
    assertThat(oldestAgeSeconds()).as("not leading").isZero();
  }

  private double oldestAgeSeconds() {
    return metrics.registry().get("oracle.price.oldest.age.seconds").gauge().value();
  }

  @Test
  void aWithheldPriceWhoseStoredJsonIsUnreadableStillPublishesTheUnmovedCandle() {
    deploy(new QuorumRule(2, 0.01, Map.of()));
    long t = thisMinute();
    send(batch(t, quote("binance", ETH, 10, t), quote("okx", ETH, 10.001, t)));
    assertThat(tick(t).getInteger("updated")).isEqualTo(1);
    Poll.until(() -> candles.size() == 1, Duration.ofSeconds(5));
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.price(ETH)).arg("{not json")));

    send(batch(t + 1, quote("binance", ETH, 11, t + 1)));
    assertThat(tick(t + 1).getInteger("updated")).isZero();
    Poll.until(() -> candles.size() == 2, Duration.ofSeconds(5));
    JsonObject withheld = candles.get(1);
    assertThat(withheld.getString("status")).isEqualTo(Aggregator.Status.NO_QUORUM.label());
    assertThat(withheld.getBoolean("stale")).isTrue();
    assertThat(withheld.getValue("confidence")).as("no readable last price").isNull();
    assertThat(withheld.getDouble("close"))
        .as("the candle did not move")
        .isCloseTo(10.0005, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aTickRedisAnswersWithAnErrorIsDroppedAndTheWaitingTickStillRuns() {
    deploy(QuorumRule.NONE);
    long t = thisMinute();
    // BTC's candle key holds a string: the script fails on it (WRONGTYPE), and with it the tick.
    String broken = CandleKeys.candle(BTC, RedisKeys.minuteOf(t));
    await(redis.send(Request.cmd(Command.SET).arg(broken).arg("not a hash")));
    send(batch(t, quote("binance", BTC, 100, t)), batch(t + 1, quote("binance", ETH, 10, t + 1)));
    assertThat(tick(t + 1).getInteger("updated")).isEqualTo(1);
    assertThat(ticks)
        .as("the failed tick is not reported; the one waiting behind it ran")
        .extracting(j -> j.getLong("tickMs"))
        .containsExactly(t + 1);
    assertThat(hash(ETH, t).get("close").toString()).isEqualTo("10.0");
    assertThat(candles).extracting(j -> j.getString("symbol")).containsExactly(ETH);
  }

  @Test
  void whenTheTermEndsMidTickNothingOfItIsWrittenAndTheWaitingBatchIsDropped() {
    deploy(QuorumRule.NONE);
    long t = thisMinute();
    // Queued behind each other on the one event loop: the revocation lands before the first tick's
    // aggregation comes back from its worker, with the second batch waiting.
    vertx.runOnContext(
        v -> {
          vertx.eventBus().send(Addresses.QUOTES, batch(t, quote("binance", BTC, 100, t)));
          vertx.eventBus().send(Addresses.QUOTES, batch(t + 1, quote("binance", BTC, 200, t + 1)));
          vertx.eventBus().publish(Addresses.LEADER_REVOKED, new JsonObject());
        });
    // Leading again with the next token: only what arrives from now on is written.
    vertx.setTimer(
        200,
        id ->
            vertx
                .eventBus()
                .publish(
                    Addresses.LEADER_ELECTED, new JsonObject().put("fencingToken", TOKEN + 1)));
    vertx.setTimer(400, id -> send(batch(t + 2, quote("binance", BTC, 300, t + 2))));
    assertThat(tick(t + 2).getInteger("updated")).isEqualTo(1);
    assertThat(ticks).extracting(j -> j.getLong("tickMs")).containsExactly(t + 2);
    Response candle = hash(BTC, t);
    assertThat(candle.get("open").toString()).as("the ended term wrote nothing").isEqualTo("300.0");
    assertThat(candle.get("low").toString()).isEqualTo("300.0");
  }
}
