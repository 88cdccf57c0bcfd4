package oracle.streaming;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import oracle.common.OracleMetrics;
import oracle.config.ConfigReader;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.Exchanges;
import oracle.exchange.stream.ClosedMinutes;
import oracle.exchange.stream.SourceMinute;
import oracle.exchange.stream.TradeStreamProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One source's feed over a real local WebSocket (Coinbase's format), on a clock the test moves:
 * replays and duplicates are not counted, a trade-id gap or a reconnect makes its minute
 * incomplete, finished minutes are handed over once their grace has passed.
 */
class TradeFeedTest {
  private static final long GRACE = 200;
  private static final String SYMBOL = "BTC/USDT";

  private Vertx vertx;
  private Context ctx;
  private TinyVenueServer venue;
  private SimpleMeterRegistry registry;
  private final AtomicLong now = new AtomicLong();
  private TradeFeed feed;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    ctx = vertx.getOrCreateContext();
    venue = await(new TinyVenueServer(vertx).start());
    venue.heartbeats("coinbase", true);
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() {
    if (feed != null)
      on(
          () -> {
            feed.stop();
            return null;
          });
    await(venue.close());
    await(vertx.close());
  }

  private <T> T on(Supplier<T> s) {
    Promise<T> p = Promise.promise();
    ctx.runOnContext(
        v -> {
          try {
            p.complete(s.get());
          } catch (Throwable t) {
            p.fail(t);
          }
        });
    return await(p.future());
  }

  private void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!on(condition::getAsBoolean)) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out: " + what);
      Thread.sleep(20);
    }
  }

  private TradeFeed feed() {
    return feed(List.of(SYMBOL));
  }

  private TradeFeed feed(List<String> symbols) {
    TradeStreamProtocol protocol = Exchanges.stream("coinbase").orElseThrow();
    JsonObject section =
        new JsonObject().put("wsUrl", venue.url("coinbase")).put("streamSilenceMs", 60_000);
    SourceSettings source =
        Exchanges.settings(
            "coinbase",
            new ConfigReader(new JsonObject().put("coinbase", section)).section("coinbase"));
    StreamMarkets markets = new StreamMarkets(protocol, source.marketMap(symbols), symbols);
    return new TradeFeed(
        vertx,
        protocol,
        source,
        markets,
        GRACE,
        OracleMetrics.of(registry),
        now::get,
        new TradeFeed.Backoff(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(100)));
  }

  /** The current minute's trade count as the next tick would read it. */
  private long minuteTrades() {
    List<Quote> q = feed.quotes(now.get(), s -> null);
    return q.isEmpty() ? 0 : q.get(0).minuteTrades();
  }

  @Test
  void gapsReplaysDuplicatesAndReconnectsDecideWhichMinutesAreComplete() throws Exception {
    long m0 = Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000 - 10 * 60_000;
    long m1 = m0 + 60_000;
    long m2 = m1 + 60_000;
    long m3 = m2 + 60_000;
    now.set(m0 + 10_000);
    feed = feed();
    on(
        () -> {
          feed.start();
          return null;
        });
    until("connected", () -> feed.status() == StreamStatus.CONNECTED);

    // m1: a replay from before the subscription, two trades, then one of them again
    now.set(m1 + 5_000);
    venue.coinbaseMatch("BTC-USDT", 99, 5, m0 + 9_000, 100, true);
    venue.coinbaseMatch("BTC-USDT", 100, 1, m1 + 1_000, 101, false);
    venue.coinbaseMatch("BTC-USDT", 102, 1, m1 + 2_000, 102, false);
    venue.coinbaseMatch("BTC-USDT", 102, 1, m1 + 2_000, 102, false);
    until("two trades in m1", () -> minuteTrades() == 2);

    // m2: ids 104 and 105 never arrive
    now.set(m2 + 5_000);
    venue.coinbaseMatch("BTC-USDT", 103, 1, m2 + 1_000, 103, false);
    venue.coinbaseMatch("BTC-USDT", 104, 2, m2 + 3_000, 106, false);
    until("two trades in m2", () -> minuteTrades() == 2);

    // m3: the connection drops and comes back (resubscribed)
    now.set(m3 + 5_000);
    venue.dropConnections("coinbase");
    until("resubscribed", () -> venue.subscribes("coinbase") == 2);
    until("connected again", () -> feed.status() == StreamStatus.CONNECTED);
    venue.coinbaseMatch("BTC-USDT", 105, 1, m3 + 6_000, 107, false);
    until("one trade in m3", () -> minuteTrades() == 1);

    long closeAt = m3 + 60_000 + GRACE + 1;
    now.set(closeAt);
    List<SourceMinute> closed = on(() -> feed.closed(closeAt));
    assertThat(closed)
        .extracting(SourceMinute::minute)
        .containsExactly(m1 / 1000, m2 / 1000, m3 / 1000);
    SourceMinute one = closed.get(0);
    assertThat(one.complete()).as("m1 carried whole").isTrue();
    assertThat(one.trades()).isEqualTo(2);
    assertThat(one.kline().open()).isEqualTo(100);
    assertThat(one.kline().close()).isEqualTo(102);
    assertThat(one.kline().volume()).isEqualTo(2);
    assertThat(one.symbol()).isEqualTo(SYMBOL);
    assertThat(one.kline().quoteCurrency()).isEqualTo("USDT");
    assertThat(closed.get(1).complete()).as("m2 has a gap").isFalse();
    assertThat(closed.get(1).trades()).isEqualTo(2);
    assertThat(closed.get(2).complete()).as("m3 had a reconnect").isFalse();

    double gaps = registry.counter("oracle.stream.gaps", "exchange", "coinbase").count();
    double reconnects =
        registry.counter("oracle.stream.reconnects", "exchange", "coinbase").count();
    double messages = registry.counter("oracle.stream.messages", "exchange", "coinbase").count();
    System.out.printf("gaps=%.0f reconnects=%.0f messages=%.0f%n", gaps, reconnects, messages);
    assertThat(gaps).isEqualTo(1);
    assertThat(reconnects).isGreaterThanOrEqualTo(1);
    assertThat(messages).isGreaterThan(6);

    // the handover: every minute of the term once, from the one it started in
    MinuteHandover handover = new MinuteHandover(GRACE, Set.of("coinbase"), m0 + 10_000);
    List<ClosedMinutes> due = handover.due(closeAt, closed);
    assertThat(due)
        .extracting(ClosedMinutes::minuteSec)
        .containsExactly(m0 / 1000, m1 / 1000, m2 / 1000, m3 / 1000);
    assertThat(due.get(0).minutes()).as("the start minute had no trade").isEmpty();
    assertThat(due.get(1).minutes()).containsExactly(one);
    assertThat(due.get(1).streamSources()).containsExactly("coinbase");
    assertThat(handover.due(closeAt + 1, List.of())).isEmpty();
  }

  /**
   * A minute the stream did not carry whole hands over the symbols that brought no trade in it
   * (unheard), so the close-out repairs them too; a quiet symbol on a healthy stream is not
   * unheard.
   */
  @Test
  void symbolsWithoutATradeInAMinuteTheStreamMissedAreHandedOverAsUnheard() throws Exception {
    long m0 = Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000 - 10 * 60_000;
    long m1 = m0 + 60_000;
    long m2 = m1 + 60_000;
    now.set(m0 + 10_000);
    feed = feed(List.of("BTC/USDT", "ETH/USDT"));
    on(
        () -> {
          feed.start();
          return null;
        });
    until("connected", () -> feed.status() == StreamStatus.CONNECTED);
    // m1: healthy throughout, only BTC trades
    now.set(m1 + 5_000);
    venue.coinbaseMatch("BTC-USDT", 100, 1, m1 + 1_000, 1, false);
    until("one trade in m1", () -> minuteTrades() == 1);
    // m2: the connection drops and comes back, BTC trades after it, ETH never
    now.set(m2 + 5_000);
    venue.dropConnections("coinbase");
    until("resubscribed", () -> venue.subscribes("coinbase") == 2);
    until("connected again", () -> feed.status() == StreamStatus.CONNECTED);
    venue.coinbaseMatch("BTC-USDT", 101, 1, m2 + 6_000, 2, false);
    until("one trade in m2", () -> minuteTrades() == 1);

    long closeAt = m2 + 60_000 + GRACE + 1;
    now.set(closeAt);
    TradeFeed.Closed closed = on(() -> feed.close(closeAt));
    System.out.println(
        "closed minutes " + closed.minutes().size() + ", unheard " + closed.unheard());
    assertThat(closed.minutes())
        .extracting(SourceMinute::minute)
        .containsExactly(m1 / 1000, m2 / 1000);
    assertThat(closed.minutes().get(1).complete()).as("BTC's m2 had a reconnect").isFalse();
    assertThat(closed.unheard().get(m0))
        .as("the start minute: nothing traded")
        .containsExactlyInAnyOrder("BTC/USDT", "ETH/USDT");
    assertThat(closed.unheard()).as("a quiet market on a healthy stream").doesNotContainKey(m1);
    assertThat(closed.unheard().get(m2))
        .as("BTC traded: an incomplete minute")
        .containsExactly("ETH/USDT");
    assertThat(on(() -> feed.close(closeAt + 1)).unheard()).as("each minute once").isEmpty();

    MinuteHandover handover = new MinuteHandover(GRACE, Set.of("coinbase"), m0 + 10_000);
    List<ClosedMinutes> due =
        handover.due(closeAt, closed.minutes(), java.util.Map.of("coinbase", closed.unheard()));
    assertThat(due)
        .extracting(ClosedMinutes::minuteSec)
        .containsExactly(m0 / 1000, m1 / 1000, m2 / 1000);
    assertThat(due.get(0).unheard()).containsOnlyKeys("coinbase");
    assertThat(due.get(0).unheardCount()).isEqualTo(2);
    assertThat(due.get(1).unheard()).isEmpty();
    assertThat(due.get(2).unheard().get("coinbase")).containsExactly("ETH/USDT");
    assertThat(due.get(2).minutes()).hasSize(1);
  }

  @Test
  void theStartMinuteIsIncomplete() throws Exception {
    long m0 = Math.floorDiv(System.currentTimeMillis(), 60_000) * 60_000 - 5 * 60_000;
    now.set(m0 + 30_000);
    feed = feed();
    on(
        () -> {
          feed.start();
          return null;
        });
    until("connected", () -> feed.status() == StreamStatus.CONNECTED);
    venue.coinbaseMatch("BTC-USDT", 100, 1, m0 + 31_000, 1, false);
    until("one trade", () -> minuteTrades() == 1);
    List<SourceMinute> closed = on(() -> feed.closed(m0 + 60_000 + GRACE + 1));
    assertThat(closed).hasSize(1);
    assertThat(closed.get(0).complete()).isFalse();
  }

  @Test
  void krakenStreamMarketsMapBackToTheirSymbols() {
    TradeStreamProtocol kraken = Exchanges.stream("kraken").orElseThrow();
    SourceSettings source = Exchanges.settings("kraken", new ConfigReader(new JsonObject()));
    List<String> symbols = List.of("BTC/USDT", "ETH/USDT");
    StreamMarkets m = new StreamMarkets(kraken, source.marketMap(symbols), symbols);
    assertThat(m.ids()).containsExactly("BTC/USDT", "ETH/USDT");
    assertThat(m.symbolsOf("BTC/USDT")).containsExactly("BTC/USDT");
    assertThat(source.marketMap(symbols).market("BTC/USDT").id()).isEqualTo("XBTUSDT");
  }
}
