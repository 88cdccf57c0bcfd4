package oracle.simulator;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import oracle.config.ConfigReader;
import oracle.exchange.ExchangeAdapter;
import oracle.exchange.Kline;
import oracle.exchange.binance.BinanceTradeStream;
import oracle.exchange.bybit.BybitTradeStream;
import oracle.exchange.coinbase.CoinbaseTradeStream;
import oracle.exchange.kraken.KrakenTradeStream;
import oracle.exchange.okx.OkxTradeStream;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import oracle.exchange.stream.KeepAlive;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import oracle.exchange.stream.TradeStreamProtocol;
import oracle.exchange.upbit.UpbitTradeStream;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fake exchanges' WebSocket trade streams over real local WebSockets, read by each venue's own
 * {@link TradeStreamProtocol}, and the one trade-level truth behind streams, tickers and klines.
 */
class FakeStreamsTest {
  private static final String SYMBOL = "BTC/USDT";
  private Vertx vertx;
  private FakeExchangeServer fake;
  private WebClient http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    fake = await(FakeExchangeServer.start(vertx));
    http = WebClient.create(vertx);
    for (String e : List.of("binance", "coinbase", "kraken", "okx", "bybit"))
      fake.price(e, SYMBOL, 100_000).liquidity(e, SYMBOL, 1e9);
    fake.price("upbit", SYMBOL, 140_000_000).liquidity("upbit", SYMBOL, 1e12);
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  static TradeStreamProtocol protocol(String exchange) {
    return switch (exchange) {
      case "binance" -> new BinanceTradeStream();
      case "coinbase" -> new CoinbaseTradeStream();
      case "kraken" -> new KrakenTradeStream();
      case "okx" -> new OkxTradeStream();
      case "bybit" -> new BybitTradeStream();
      case "upbit" -> new UpbitTradeStream();
      default -> throw new IllegalArgumentException(exchange);
    };
  }

  /** The market as the venue's stream names it (Kraken v2: {@code BTC/USDT}). */
  static String streamId(String exchange) {
    return exchange.equals("kraken") ? SYMBOL : Exchanges.derive(exchange, SYMBOL).id();
  }

  private StreamClient connect(String exchange) {
    return new StreamClient(vertx, fake.wsUrl(exchange), protocol(exchange));
  }

  private ExchangeAdapter adapter(String exchange) {
    return adapter(exchange, SYMBOL);
  }

  private ExchangeAdapter adapter(String exchange, String symbol) {
    JsonObject sources = fake.sourcesConfig();
    sources.getJsonObject(exchange).put("timeoutMs", 5_000);
    return ExchangeAdapters.create(
        http,
        Exchanges.settings(exchange, new ConfigReader(sources).section(exchange)),
        List.of(symbol));
  }

  @Test
  void wsUrlsAndStreamingConfigNameEveryVenuesStream() {
    assertThat(fake.streamExchanges())
        .containsExactly("binance", "coinbase", "kraken", "okx", "bybit", "upbit");
    assertThat(fake.wsUrl("binance")).matches("ws://127\\.0\\.0\\.1:\\d+/stream");
    assertThat(fake.wsUrl("coinbase")).matches("ws://127\\.0\\.0\\.1:\\d+/");
    assertThat(fake.wsUrl("kraken")).endsWith("/v2");
    assertThat(fake.wsUrl("okx")).endsWith("/ws/v5/public");
    assertThat(fake.wsUrl("bybit")).endsWith("/v5/public/spot");
    assertThat(fake.wsUrl("upbit")).endsWith("/websocket/v1");
    JsonObject streaming = fake.streamingSourcesConfig();
    JsonObject polling = fake.sourcesConfig();
    for (String e : fake.streamExchanges()) {
      assertThat(streaming.getJsonObject(e).getBoolean("stream")).isTrue();
      assertThat(streaming.getJsonObject(e).getString("wsUrl")).isEqualTo(fake.wsUrl(e));
      assertThat(streaming.getJsonObject(e).getString("url")).isEqualTo(fake.url(e));
      assertThat(polling.getJsonObject(e).getBoolean("stream")).isFalse();
    }
    assertThat(polling.getJsonObject("uniswap").containsKey("stream")).isFalse();
  }

  /**
   * Each venue's frames read with its own protocol: an ack (Upbit sends none), trades of the
   * subscribed market only, contiguous ids where the venue has them, nothing malformed, and the
   * client's keep-alive answered.
   */
  @ParameterizedTest
  @ValueSource(strings = {"binance", "coinbase", "kraken", "okx", "bybit", "upbit"})
  void eachVenuesStreamParsesWithItsProtocol(String exchange) {
    StreamClient c = connect(exchange).subscribe(List.of(streamId(exchange)));
    fake.trading(new Trading(50, 0.0002, 0.001, 11));
    Poll.until(() -> c.live().size() >= 20, Duration.ofSeconds(10));
    KeepAlive keepAlive = c.protocol.keepAlive();
    if (keepAlive.kind() == KeepAlive.Kind.TEXT) {
      c.send(keepAlive.text());
      Poll.until(() -> c.count(StreamEvent.Pong.class) == 1, Duration.ofSeconds(5));
    }
    c.close();
    assertThat(c.received)
        .as("no frame is malformed")
        .noneMatch(r -> r.event() instanceof StreamEvent.Malformed);
    assertThat(c.received).noneMatch(r -> r.event() instanceof StreamEvent.SubscribeError);
    if (!exchange.equals("upbit")) assertThat(c.count(StreamEvent.Subscribed.class)).isEqualTo(1);
    else assertThat(c.received).allMatch(StreamClient.Received::binary);
    List<Trade> live = c.live();
    assertThat(live).allMatch(t -> t.market().equals(streamId(exchange)));
    assertThat(live).allMatch(t -> t.source().equals(exchange));
    double scripted = exchange.equals("upbit") ? 140_000_000 : 100_000;
    assertThat(live).allMatch(t -> Math.abs(t.price() / scripted - 1) < 0.01);
    if (live.get(0).hasSeq()) {
      for (int i = 1; i < live.size(); i++)
        assertThat(live.get(i).firstSeq()).isEqualTo(live.get(i - 1).lastSeq() + 1);
    }
    System.out.printf("%s: %d frames, %d live trades%n", exchange, c.received.size(), live.size());
  }

  /**
   * The streamed trades of a closed minute are exactly that minute's kline as each venue's REST API
   * (read by the oracle's own adapter) serves it: volume, open, high, low, close. All six venues at
   * once, streamed from before the first trade until the minute closed (up to a minute's wait).
   */
  @Test
  void streamedTradesOfAClosedMinuteAreItsKlineOnEveryVenue() {
    List<String> venues = List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit");
    Map<String, StreamClient> clients = new TreeMap<>();
    for (String e : venues) clients.put(e, connect(e).subscribe(List.of(streamId(e))));
    long left = 60_000 - System.currentTimeMillis() % 60_000;
    if (left < 5_000) StreamClient.sleep(left + 50); // a minute with some seconds of trading
    fake.trading(new Trading(20, 0.0002, 0.001, 5));
    long minute = Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60;
    StreamClient.sleep(Math.max(0, (minute + 60) * 1000 - System.currentTimeMillis()) + 500);
    for (String e : venues) {
      StreamClient c = clients.get(e);
      c.close();
      List<Trade> inMinute =
          c.live().stream().filter(t -> Math.floorDiv(t.timeMs(), 60_000L) * 60 == minute).toList();
      assertThat(inMinute).as(e).isNotEmpty();
      double volume = 0;
      double high = 0;
      double low = Double.MAX_VALUE;
      for (Trade t : inMinute) {
        volume += t.size();
        high = Math.max(high, t.price());
        low = Math.min(low, t.price());
      }
      Kline k =
          await(adapter(e).fetchKlines(SYMBOL, minute, minute)).stream()
              .filter(x -> x.time() == minute)
              .findFirst()
              .orElseThrow();
      System.out.printf(
          "%s minute %d: %d streamed trades, volume %.8f; kline volume %.8f%n",
          e, minute, inMinute.size(), volume, k.volume());
      assertThat(k.volume()).as(e).isCloseTo(volume, within(volume * 1e-9));
      assertThat(k.open()).as(e).isEqualTo(inMinute.get(0).price());
      assertThat(k.close()).as(e).isEqualTo(inMinute.get(inMinute.size() - 1).price());
      assertThat(k.high()).as(e).isEqualTo(high);
      assertThat(k.low()).as(e).isEqualTo(low);
      if (e.equals("binance") || e.equals("kraken")) // the venues whose klines count trades
      assertThat(k.trades()).as(e).isEqualTo(inMinute.size());
    }
  }

  /**
   * What each venue repeats on subscribing, read as a replay by its protocol: Coinbase's {@code
   * last_match}, Upbit's {@code SNAPSHOT} (when not realtime-only), Kraken's snapshot (when asked);
   * OKX pushes its latest trade as a normal one (its id repeats the last seen), the others nothing.
   */
  @Test
  void subscribingReplaysWhatEachVenueReplays() {
    fake.trading(new Trading(50, 0.0002, 0.001, 13));
    Poll.until(() -> fake.lastTrade("upbit", SYMBOL) != null, Duration.ofSeconds(5));
    Poll.until(() -> fake.lastTrade("kraken", SYMBOL) != null, Duration.ofSeconds(5));
    StreamClient coinbase = connect("coinbase").subscribe(List.of(streamId("coinbase")));
    StreamClient upbit = connect("upbit");
    upbit.send(
        "[{\"ticket\":\"t\"},{\"type\":\"trade\",\"codes\":[\"KRW-BTC\"]},{\"format\":\"DEFAULT\"}]");
    StreamClient kraken = connect("kraken");
    kraken.send(
        "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"BTC/USDT\"]},\"req_id\":7}");
    StreamClient okx = connect("okx").subscribe(List.of(streamId("okx")));
    Poll.until(
        () -> Stream.of(coinbase, upbit, kraken, okx).allMatch(c -> c.live().size() >= 3),
        Duration.ofSeconds(5));
    Stream.of(coinbase, upbit, kraken, okx).forEach(StreamClient::close);
    assertThat(coinbase.trades().get(0).replay()).isTrue();
    assertThat(coinbase.trades().stream().filter(Trade::replay)).hasSize(1);
    assertThat(upbit.trades().get(0).replay()).isTrue();
    assertThat(upbit.trades().get(0).market()).isEqualTo("KRW-BTC");
    List<Trade> snapshot = kraken.trades().stream().filter(Trade::replay).toList();
    assertThat(snapshot.size()).isBetween(2, 50);
    assertThat(kraken.trades().subList(0, snapshot.size())).allMatch(Trade::replay);
    assertThat(kraken.live().get(0).firstSeq())
        .isEqualTo(snapshot.get(snapshot.size() - 1).lastSeq() + 1);
    assertThat(okx.trades().get(1).firstSeq()).isEqualTo(okx.trades().get(0).lastSeq() + 1);
    System.out.printf(
        "replays: coinbase 1 last_match, upbit 1 SNAPSHOT, kraken snapshot of %d trades%n",
        snapshot.size());
  }

  @Test
  void klineHistoryCoversTheLastDayCheaply() {
    long t0 = System.nanoTime();
    fake.trading(Trading.defaults(3));
    List<String> venues = List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit");
    for (int i = 0; i < 9; i++) // 10 symbols on 6 venues
    for (String e : venues) fake.price(e, "S" + i + "/USDT", 10 + i);
    long now = System.currentTimeMillis() / 1000;
    long from = now / 60 * 60 - 1440 * 60;
    List<Kline> day = await(adapter("binance").fetchKlines(SYMBOL, from, now));
    Poll.until(() -> fake.lastTrade("okx", "S8/USDT") != null, Duration.ofSeconds(5));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "binance BTC/USDT: %d klines in the last day; set up in %d ms%n", day.size(), ms);
    assertThat(day.size())
        .as("every minute of the last day, the current one included")
        .isGreaterThanOrEqualTo(1440);
    for (int i = 1; i < day.size(); i++) {
      assertThat(day.get(i).time() - day.get(i - 1).time()).isEqualTo(60);
      assertThat(day.get(i).open() / day.get(i - 1).close()).isCloseTo(1, within(0.01));
    }
    assertThat(day.get(0).time()).isEqualTo(from);
    assertThat(day.get(day.size() - 1).close()).isCloseTo(100_000, within(2_000.0));
    // the same day again (a backfill retried) is the same day
    List<Kline> again = await(adapter("binance").fetchKlines(SYMBOL, from, now - 120));
    assertThat(again.get(10)).isEqualTo(day.get(10));
    long all = System.nanoTime();
    for (int i = 0; i < 9; i++)
      for (String e : venues)
        assertThat(
                await(
                        adapter(e, "S" + i + "/USDT")
                            .fetchKlines("S" + i + "/USDT", from, from + 600))
                    .stream()
                    .filter(k -> k.time() >= from && k.time() <= from + 600))
            .as("%s S%d/USDT", e, i)
            .hasSize(11);
    System.out.printf(
        "history of 54 more markets built and read in %d ms%n",
        (System.nanoTime() - all) / 1_000_000);
  }

  @Test
  void tickersReportTheLastTradeAndScriptedKlinesStillWin() {
    fake.trading(new Trading(50, 0.001, 0.001, 9));
    Poll.until(() -> fake.lastTrade("binance", SYMBOL) != null, Duration.ofSeconds(5));
    double ticker = await(adapter("binance").fetchQuotes(List.of(SYMBOL))).get(0).price();
    assertThat(ticker).isNotEqualTo(100_000.0); // a trade's price, not the scripted one
    assertThat(ticker).isCloseTo(100_000, within(1_000.0));
    long minute = System.currentTimeMillis() / 60_000 * 60;
    fake.klines(
        "binance",
        SYMBOL,
        List.of(new Kline("binance", "BTCUSDT", minute - 600, 1, 2, 0.5, 1.5, 42)));
    fake.minuteVolume("binance", SYMBOL, 7.5);
    List<Kline> ks = await(adapter("binance").fetchKlines(SYMBOL, minute - 600, minute));
    assertThat(ks.get(0).volume()).isEqualTo(42);
    assertThat(ks.get(ks.size() - 1).time()).isEqualTo(minute);
    assertThat(ks.get(ks.size() - 1).volume()).isEqualTo(7.5);
  }
}
