package oracle.simulator;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oracle.exchange.FakeMarkets;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fakes' stream faults and REST rate limit, over real local WebSockets and HTTP. */
class FakeStreamFaultsTest {
  private static final String SYMBOL = "BTC/USDT";
  private Vertx vertx;
  private FakeExchangeServer fake;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx));
    for (String e : FakeExchangeServer.MARKET_EXCHANGES) fake.price(e, SYMBOL, 100_000);
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private StreamClient subscribed(String exchange) {
    StreamClient c =
        new StreamClient(vertx, fake.wsUrl(exchange), FakeStreamsTest.protocol(exchange));
    return c.subscribe(List.of(FakeStreamsTest.streamId(exchange)));
  }

  @Test
  void droppedConnectionsCloseAndTheVenueTakesNewOnes() {
    fake.trading(new Trading(50, 0.0002, 0.001, 1));
    StreamClient c = subscribed("binance");
    Poll.until(() -> fake.streamConnections("binance") == 1, Duration.ofSeconds(5));
    fake.dropStreams("binance");
    Poll.until(() -> c.closed, Duration.ofSeconds(5));
    StreamClient again = subscribed("binance");
    Poll.until(() -> again.live().size() >= 5, Duration.ofSeconds(5));
    assertThat(fake.streamConnections("binance")).isEqualTo(1);
    again.close();
  }

  @Test
  void aSilentStreamStaysOpenAndSendsNothingWhileRestAnswers() {
    fake.trading(new Trading(50, 0.0002, 0.001, 2));
    StreamClient c = subscribed("okx");
    Poll.until(() -> c.live().size() >= 5, Duration.ofSeconds(5));
    fake.fault("okx", Fault.streamSilent());
    StreamClient.sleep(100);
    int before = c.received.size();
    c.send("ping");
    StreamClient.sleep(700);
    assertThat(c.received).hasSize(before);
    assertThat(c.closed).isFalse();
    WebClient http = WebClient.create(vertx);
    assertThat(
            await(http.getAbs(fake.url("okx") + "/api/v5/market/tickers?instType=SPOT").send())
                .statusCode())
        .isEqualTo(200);
    fake.clearFaults("okx");
    Poll.until(() -> c.received.size() > before + 3, Duration.ofSeconds(5));
    c.close();
  }

  /** Coinbase's heartbeat channel and Kraken's heartbeat come once a second, trades or not. */
  @Test
  void heartbeatsComeOnceASecondEvenWithoutTrades() {
    StreamClient coinbase = subscribed("coinbase");
    StreamClient kraken = subscribed("kraken");
    StreamClient.sleep(2_300);
    coinbase.close();
    kraken.close();
    assertThat(coinbase.trades()).isEmpty(); // trading is off: a quiet market
    assertThat(coinbase.count(StreamEvent.Heartbeat.class)).isBetween(2L, 3L);
    assertThat(kraken.count(StreamEvent.Heartbeat.class)).isBetween(2L, 3L);
    assertThat(
            coinbase.received.stream()
                .filter(r -> r.event() instanceof StreamEvent.Heartbeat)
                .map(r -> ((StreamEvent.Heartbeat) r.event()).market()))
        .containsOnly("BTC-USDT");
  }

  @Test
  void aGapSkipsTradeIdsOnTheStreamWhileTheTapeKeepsThem() {
    fake.trading(new Trading(50, 0.0002, 0.001, 3));
    StreamClient c = subscribed("coinbase");
    Poll.until(() -> c.live().size() >= 5, Duration.ofSeconds(5));
    fake.fault("coinbase", Fault.streamGap(500));
    StreamClient.sleep(800);
    Poll.until(() -> c.live().size() >= 30, Duration.ofSeconds(5));
    c.close();
    List<Trade> live = c.live();
    long jumps = 0;
    long skipped = 0;
    for (int i = 1; i < live.size(); i++) {
      long step = live.get(i).firstSeq() - live.get(i - 1).lastSeq();
      if (step != 1) {
        jumps++;
        skipped = step - 1;
      }
    }
    assertThat(jumps).as("one gap").isEqualTo(1);
    assertThat(skipped).as("about 0.5 s of 50 trades a second withheld").isBetween(10L, 45L);
    // the tape (and so REST klines) still has every withheld trade
    List<FakeMarkets.Trade> tape = fake.recentTrades("coinbase", SYMBOL, live.get(0).timeMs());
    List<Long> seqs = new ArrayList<>();
    tape.forEach(t -> seqs.add(t.seq()));
    for (long s = live.get(0).firstSeq(); s <= live.get(live.size() - 1).lastSeq(); s++)
      assertThat(seqs).contains(s);
    System.out.printf("coinbase gap: %d trade ids skipped on the stream%n", skipped);
  }

  @Test
  void lateTradesArriveTheConfiguredDelayAfterTheyHappened() {
    fake.fault("kraken", Fault.streamDelay(1_500));
    fake.trading(new Trading(50, 0.0002, 0.001, 4));
    StreamClient c = subscribed("kraken");
    Poll.until(() -> c.live().size() >= 10, Duration.ofSeconds(8));
    c.close();
    long minLag = Long.MAX_VALUE;
    for (StreamClient.Received r : c.received)
      if (r.event() instanceof StreamEvent.Trades t)
        for (Trade x : t.trades()) minLag = Math.min(minLag, r.atMs() - x.timeMs());
    System.out.printf("kraken: trades arrived at least %d ms after their time%n", minLag);
    assertThat(minLag).isBetween(1_500L, 3_000L);
  }

  @Test
  void coinbaseAnswers429AboveTenRequestsASecond() {
    WebClient http = WebClient.create(vertx);
    String url = fake.url("coinbase") + "/products/BTC-USDT/ticker";
    StreamClient.sleep(1_600); // a full bucket
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) burst.add(http.getAbs(url).send());
    await(Future.join(new ArrayList<>(burst)));
    long ok = burst.stream().filter(f -> f.result().statusCode() == 200).count();
    List<HttpResponse<Buffer>> refused =
        burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
    System.out.printf(
        "coinbase: 40 requests at once: %d answered, %d refused%n", ok, refused.size());
    assertThat(ok).isBetween(15L, 17L);
    assertThat(refused.get(0).bodyAsJsonObject().getString("message"))
        .isEqualTo("Public rate limit exceeded");
    assertThat(fake.rateLimited("coinbase")).isEqualTo(refused.size());
    // at 8 a second every request is answered
    StreamClient.sleep(1_600);
    for (int i = 0; i < 16; i++) {
      assertThat(await(http.getAbs(url).send()).statusCode()).isEqualTo(200);
      StreamClient.sleep(125);
    }
    // the other venues have no limit unless one is set
    for (int i = 0; i < 40; i++)
      assertThat(
              await(http.getAbs(fake.url("okx") + "/api/v5/market/tickers?instType=SPOT").send())
                  .statusCode())
          .isEqualTo(200);
  }
}
