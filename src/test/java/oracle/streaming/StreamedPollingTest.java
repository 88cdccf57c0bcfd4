package oracle.streaming;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import oracle.aggregation.IngestionCodecs;
import oracle.aggregation.QuoteBatch;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.config.ConfigReader;
import oracle.exchange.Quote;
import oracle.polling.IngestionSettings;
import oracle.polling.PollingVerticle;
import oracle.simulator.FakeExchangeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The polling verticle with real WebSocket streams (a tiny local Binance/Coinbase server) and REST
 * on the fake exchanges: a healthy stream's trades replace the REST ticker, a silent stream falls
 * back to REST and comes back (resubscribed) when healthy, and {@code streams} in the status says
 * which.
 */
class StreamedPollingTest {
  private static final String SYMBOL = "BTC/USDT";

  private Vertx vertx;
  private FakeExchangeServer rest;
  private TinyVenueServer venue;
  private StallingProxy binancePath;
  private final AtomicReference<QuoteBatch> lastBatch = new AtomicReference<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    IngestionCodecs.register(vertx);
    rest = await(FakeExchangeServer.start(vertx));
    rest.priceEverywhere(SYMBOL, 100);
    venue = await(new TinyVenueServer(vertx).start());
    venue.heartbeats("binance", true);
    venue.heartbeats("coinbase", true);
    binancePath = await(new StallingProxy(vertx, venue.port()).start());
    vertx.eventBus().<QuoteBatch>localConsumer(Addresses.QUOTES, m -> lastBatch.set(m.body()));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private void deploy() {
    JsonObject sources = rest.sourcesConfig();
    for (String venueName : List.of("binance", "coinbase"))
      sources
          .getJsonObject(venueName)
          .put("stream", true)
          .put(
              "wsUrl",
              venueName.equals("binance")
                  ? "ws://127.0.0.1:" + binancePath.port() + "/stream"
                  : venue.url(venueName))
          .put("streamSilenceMs", 600);
    sources.getJsonObject("okx").put("stream", false);
    JsonObject root =
        new JsonObject()
            .put("ingestion", new JsonObject().put("intervalMs", 100))
            .put("sources", sources);
    IngestionSettings settings =
        IngestionSettings.from(
            new ConfigReader(root), List.of(SYMBOL), List.of("binance", "coinbase", "okx"));
    await(
        vertx.deployVerticle(
            new PollingVerticle(
                settings,
                OracleMetrics.of(new SimpleMeterRegistry()),
                200,
                new TradeFeed.Backoff(Duration.ofMillis(20), Duration.ofMillis(100)))));
    vertx
        .eventBus()
        .publish(
            Addresses.LEADER_ELECTED,
            new JsonObject().put("instanceId", "t").put("fencingToken", 1));
  }

  private JsonObject streams() {
    return await(vertx.eventBus().<JsonObject>request(Addresses.POLLING_STATUS, null))
        .body()
        .getJsonObject("streams");
  }

  private void untilStream(String venueName, String status) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!status.equals(streams().getString(venueName))) {
      if (System.currentTimeMillis() > deadline)
        throw new AssertionError(venueName + " never " + status + ": " + streams());
      Thread.sleep(20);
    }
  }

  /** Waits for a tick whose quote from {@code exchange} matches, and returns that quote. */
  private Quote untilQuote(String exchange, Predicate<Quote> test) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    Quote seen = null;
    while (System.currentTimeMillis() < deadline) {
      QuoteBatch b = lastBatch.get();
      if (b != null)
        for (Quote q : b.quotes())
          if (q.exchange().equals(exchange) && q.symbol().equals(SYMBOL)) {
            seen = q;
            if (test.test(q)) return q;
          }
      Thread.sleep(10);
    }
    throw new AssertionError("no matching " + exchange + " quote; last: " + seen);
  }

  /** A minute boundary inside the test would reset the minute's volume: start early in one. */
  private static void awayFromMinuteEnd() throws InterruptedException {
    long into = System.currentTimeMillis() % 60_000;
    if (into > 55_000) Thread.sleep(60_000 - into + 50);
  }

  @Test
  void aHealthyStreamsTradesReplaceTheTickerAndASilentOneFallsBackToRest() throws Exception {
    awayFromMinuteEnd();
    deploy();
    untilStream("binance", "connected");
    untilStream("coinbase", "connected");
    assertThat(streams().getString("okx")).isEqualTo("off");
    assertThat(venue.subscribes("binance")).isEqualTo(1);

    long t1 = System.currentTimeMillis();
    venue.binanceTrade("BTCUSDT", 101, 2, t1, 1);
    Quote first = untilQuote("binance", q -> q.streamed() && q.minuteTrades() == 1);
    assertThat(first.price()).isEqualTo(101);
    assertThat(first.timestampMs()).isEqualTo(t1);
    assertThat(first.minuteVolume()).isEqualTo(2);
    // the 24 h volume of the REST ticker read before the stream was up stays its weight
    assertThat(first.liquidity()).isPositive();

    long t2 = System.currentTimeMillis();
    venue.binanceTrade("BTCUSDT", 103, 1, t2, 2);
    venue.binanceTrade("BTCUSDT", 104, 1, t2 + 1, 3);
    Quote more = untilQuote("binance", q -> q.streamed() && q.minuteTrades() == 3);
    assertThat(more.minuteVolume()).isEqualTo(4);
    assertThat(more.price()).isBetween(103.0, 104.0); // the VWAP since the previous tick, or 104
    // no trade on Coinbase yet: its last REST quote, polled
    Quote coinbase = untilQuote("coinbase", q -> true);
    assertThat(coinbase.via()).isEqualTo(Quote.Via.POLL);
    assertThat(coinbase.price()).isEqualTo(100);
    // ... whose ticker is still read while it has not traded, so its price keeps moving
    rest.price("coinbase", SYMBOL, 99);
    assertThat(untilQuote("coinbase", q -> q.price() == 99).via()).isEqualTo(Quote.Via.POLL);

    // a quiet market (nothing sent, but pings answered) stays healthy for longer than the silence
    // window and keeps its last trade as a candidate
    venue.heartbeats("binance", false);
    Thread.sleep(1_000);
    assertThat(streams().getString("binance")).isEqualTo("connected");
    assertThat(venue.subscribes("binance")).as("not reconnected").isEqualTo(1);
    Quote quiet = untilQuote("binance", q -> true);
    assertThat(quiet.streamed()).isTrue();
    assertThat(quiet.price()).isEqualTo(104);
    assertThat(quiet.minuteVolume()).isEqualTo(4);

    // silence (the path stalls: nothing arrives, not even a pong): polled over REST until the
    // stream is back, reconnected and resubscribed
    binancePath.stall(true);
    Quote polled = untilQuote("binance", q -> !q.streamed());
    assertThat(polled.price()).isEqualTo(100);
    assertThat(streams().getString("binance")).isIn("polling", "reconnecting");
    binancePath.stall(false);
    long deadline = System.currentTimeMillis() + 8_000;
    while (venue.subscribes("binance") < 2 && System.currentTimeMillis() < deadline)
      Thread.sleep(20);
    assertThat(venue.subscribes("binance")).as("resubscribed after reconnecting").isGreaterThan(1);
    untilStream("binance", "connected");
    long t3 = System.currentTimeMillis();
    venue.binanceTrade("BTCUSDT", 105, 1, t3, 4);
    Quote back = untilQuote("binance", q -> q.streamed() && q.price() == 105);
    assertThat(back.timestampMs()).isEqualTo(t3);
    System.out.printf(
        "binance subscribes=%d, streamed %s, polled %s, back %s%n",
        venue.subscribes("binance"), first.price(), polled.price(), back.price());
  }

  @Test
  void theTermEndsTheStreams() throws Exception {
    deploy();
    untilStream("binance", "connected");
    vertx.eventBus().publish(Addresses.LEADER_REVOKED, new JsonObject());
    untilStream("binance", "off");
    long deadline = System.currentTimeMillis() + 2_000;
    while (venue.connections("binance") > 0 && System.currentTimeMillis() < deadline)
      Thread.sleep(20);
    assertThat(venue.connections("binance")).isZero();
    assertThat(streams().getString("coinbase")).isEqualTo("off");
  }
}
