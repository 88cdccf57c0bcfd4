package oracle.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import oracle.exchange.binance.BinanceTradeStream;
import oracle.exchange.bybit.BybitTradeStream;
import oracle.exchange.coinbase.CoinbaseTradeStream;
import oracle.exchange.kraken.KrakenTradeStream;
import oracle.exchange.okx.OkxTradeStream;
import oracle.exchange.stream.GapDetector;
import oracle.exchange.stream.SourceMinute;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import oracle.exchange.stream.TradeMinutes;
import oracle.exchange.stream.TradeStreamProtocol;
import oracle.exchange.upbit.UpbitTradeStream;
import oracle.streaming.FeedDriver;

/**
 * The trade streams' CPU per message: each venue's real message layout (one trade per message, the
 * busiest case per trade) for 10,000 markets, through the venue's parser, the gap detector and the
 * per-source minute candles, on one thread. Baseline in the same run: the same bytes only tokenised
 * by Jackson. Prints messages per CPU-second per venue and all together, the share of a core the
 * whole market at its busiest (50,000 trades/s) needs, and the ratio to the baseline.
 *
 * <p>Then the same frames through each venue's whole feed ({@link FeedDriver}: the connection's
 * frame handling, the parser, the gap check, the minute candles and the feed's bookkeeping), at the
 * venue's share of 50,000 trades/s of exchange time, with each tick's quotes of all the markets
 * every {@code bench.tickMs} (1000; the poller's {@code ingestion.intervalMs}) and the minute's
 * handover to the close-out: what one source costs the polling verticle's thread.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=oracle.bench.TradeStreamBenchmark \
 *     [-Dbench.markets=10000] [-Dbench.messages=200000] [-Dbench.rounds=5] [-Dbench.tickMs=1000]
 * </pre>
 */
public final class TradeStreamBenchmark {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final JsonFactory JSON = new JsonFactory();

  /** A venue's one-trade message for message number n of market id, at exchange time ms. */
  private interface Message {
    String of(int n, String id, long timeMs);
  }

  private record Venue(String name, TradeStreamProtocol protocol, Message message) {}

  /** The whole market at its busiest: 50,000 trades/s over the six venues. */
  private static final double MARKET_TRADES_PER_SECOND = 50_000;

  public static void main(String[] args) throws Exception {
    int markets = Integer.getInteger("bench.markets", 10_000);
    int perVenue = Integer.getInteger("bench.messages", 200_000);
    int rounds = Integer.getInteger("bench.rounds", 5);
    int tickMs = Integer.getInteger("bench.tickMs", 1_000);
    Random random = new Random(7);
    double[] price = new double[markets];
    for (int i = 0; i < markets; i++) price[i] = 1 + random.nextDouble() * 1000;
    List<String> symbols = new ArrayList<>(markets);
    for (int i = 0; i < markets; i++) symbols.add("M" + i + "/USDT");
    // the trades' exchange times: each venue's share of the busiest market (200,000 messages: 24
    // s),
    // from 45 s into a minute, so the feed runs through a minute's close-out handover
    long t0 = System.currentTimeMillis() / 60_000 * 60_000 + 45_000;
    double msPerMessage = 1_000.0 / (MARKET_TRADES_PER_SECOND / 6);
    java.util.function.IntToLongFunction timeOf = n -> t0 + (long) (n * msPerMessage);
    List<Venue> venues =
        List.of(
            new Venue(
                "binance",
                new BinanceTradeStream(),
                (n, id, time) ->
                    "{\"stream\":\"%s@trade\",\"data\":{\"e\":\"trade\",\"E\":%d,\"s\":\"%s\",\"t\":%d,\"p\":\"%.8f\",\"q\":\"%.8f\",\"b\":7038593583,\"a\":7038593613,\"T\":%d,\"m\":true,\"M\":true}}"
                        .formatted(
                            id.toLowerCase(java.util.Locale.ROOT),
                            time,
                            id,
                            n / markets + 1,
                            price[n % markets],
                            0.5,
                            time)),
            new Venue(
                "coinbase",
                new CoinbaseTradeStream(),
                (n, id, time) ->
                    "{\"type\":\"match\",\"trade_id\":%d,\"maker_order_id\":\"2a0da34e-61f7-4c36-88e5-c9dd15927b16\",\"taker_order_id\":\"3c82abaa-c01e-4608-be59-6a1e69742891\",\"side\":\"sell\",\"size\":\"%.8f\",\"price\":\"%.8f\",\"product_id\":\"%s\",\"sequence\":%d,\"time\":\"%s\"}"
                        .formatted(
                            n / markets + 1,
                            0.5,
                            price[n % markets],
                            id,
                            n,
                            Instant.ofEpochMilli(time))),
            new Venue(
                "kraken",
                new KrakenTradeStream(),
                (n, id, time) ->
                    "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"%s\",\"side\":\"buy\",\"price\":%.2f,\"qty\":0.01044926,\"ord_type\":\"limit\",\"trade_id\":%d,\"timestamp\":\"%s\"}]}"
                        .formatted(
                            id, price[n % markets], n / markets + 1, Instant.ofEpochMilli(time))),
            new Venue(
                "okx",
                new OkxTradeStream(),
                (n, id, time) ->
                    "{\"arg\":{\"channel\":\"trades\",\"instId\":\"%s\"},\"data\":[{\"instId\":\"%s\",\"tradeId\":\"%d\",\"px\":\"%.4f\",\"sz\":\"0.0002\",\"side\":\"buy\",\"ts\":\"%d\"}]}"
                        .formatted(id, id, n / markets + 1, price[n % markets], time)),
            new Venue(
                "bybit",
                new BybitTradeStream(),
                (n, id, time) ->
                    "{\"topic\":\"publicTrade.%s\",\"ts\":%d,\"type\":\"snapshot\",\"data\":[{\"i\":\"%d\",\"T\":%d,\"p\":\"%.2f\",\"v\":\"0.041732\",\"S\":\"Sell\",\"s\":\"%s\",\"BT\":false}]}"
                        .formatted(
                            id, time, 2290000000050703789L + n, time, price[n % markets], id)),
            new Venue(
                "upbit",
                new UpbitTradeStream(),
                (n, id, time) ->
                    "{\"ty\":\"trade\",\"cd\":\"%s\",\"tms\":%d,\"td\":\"2026-12-07\",\"ttm\":\"16:51:02\",\"ttms\":%d,\"tp\":%.1f,\"tv\":46.48838371,\"ab\":\"BID\",\"pcp\":123.0,\"c\":\"RISE\",\"cp\":4.0,\"sid\":%d,\"st\":\"REALTIME\"}"
                        .formatted(
                            id, time, time, price[n % markets] * 1300, 1618678262000003L + n)));

    System.out.printf(
        "trade streams: %d markets, %d one-trade messages per venue, %d rounds (best round counts)%n",
        markets, perVenue, rounds);
    double allFull = 0;
    double allBase = 0;
    double allFeed = 0;
    long allMessages = 0;
    List<String> feedLines = new ArrayList<>();
    for (Venue v : venues) {
      long[] clock = {t0};
      String[] ids = new String[markets];
      FeedDriver ids0 = new FeedDriver(v.name, symbols, () -> clock[0]);
      for (int i = 0; i < markets; i++) ids[i] = ids0.marketId(symbols.get(i));
      List<Buffer> messages = new ArrayList<>(perVenue);
      for (int n = 0; n < perVenue; n++)
        messages.add(Buffer.buffer(v.message.of(n, ids[n % markets], timeOf.applyAsLong(n))));
      double base = Double.MAX_VALUE;
      double full = Double.MAX_VALUE;
      double feed = Double.MAX_VALUE;
      long counted = 0;
      long[] fed = new long[3];
      for (int r = 0; r < rounds; r++) {
        base = Math.min(base, tokenise(messages));
        long[] out = new long[1];
        full = Math.min(full, pipeline(v, messages, out));
        counted = out[0];
        feed = Math.min(feed, feed(v, symbols, messages, timeOf, tickMs, fed));
      }
      if (counted != perVenue)
        throw new IllegalStateException(v.name + ": counted " + counted + " of " + perVenue);
      if (fed[2] != perVenue)
        throw new IllegalStateException(
            v.name + ": the feed's minutes hold " + fed[2] + " of " + perVenue + " trades");
      System.out.printf(
          "  %-8s %,10.0f msg/s per core (tokenising alone %,10.0f: ratio %.2f)%n",
          v.name, perVenue / full, perVenue / base, base / full);
      feedLines.add(
          "  %-8s %,10.0f msg/s per core through the feed, %d ticks of %,d quotes, %d minutes handed over"
              .formatted(v.name, perVenue / feed, fed[0], markets, fed[1]));
      allFull += full;
      allBase += base;
      allFeed += feed;
      allMessages += perVenue;
    }
    double rate = allMessages / allFull;
    System.out.printf(
        "  all      %,10.0f msg/s per core (tokenising alone %,10.0f: ratio %.2f)%n",
        rate, allMessages / allBase, allBase / allFull);
    System.out.printf(
        "the feed (frame -> parser -> gap check -> minute candles -> the feed's bookkeeping, plus a"
            + " tick's quotes of all %,d markets every %d ms of exchange time and the minute's"
            + " handover), the venue's share of 50,000 trades/s:%n",
        markets, tickMs);
    feedLines.forEach(System.out::println);
    double feedRate = allMessages / allFeed;
    System.out.printf(
        "  all      %,10.0f msg/s per core (tokenising alone %,10.0f: ratio %.2f)%n",
        feedRate, allMessages / allBase, allBase / allFeed);
    System.out.printf(
        "| trade streams, 10,000 symbols x 6 venues | 50,000 trades/s on <= 0.5 core | %.3f core | ratio to tokenising %.2f |%n",
        50_000 / rate, allBase / allFull);
    System.out.printf(
        "| same, through the feeds with tick quotes every %d ms | 50,000 trades/s on <= 0.5 core | %.3f core | ratio to tokenising %.2f |%n",
        tickMs, 50_000 / feedRate, allBase / allFeed);
  }

  /**
   * CPU seconds for the same messages through a {@link FeedDriver} (a fresh feed each round), with
   * a tick's quotes every {@code tickMs} of exchange time and the minute handover once a minute and
   * grace have passed; {@code out}: ticks, minutes handed over, trades in the minutes.
   */
  private static double feed(
      Venue v,
      List<String> symbols,
      List<Buffer> messages,
      java.util.function.IntToLongFunction timeOf,
      int tickMs,
      long[] out) {
    long[] clock = {timeOf.applyAsLong(0)};
    FeedDriver driver = new FeedDriver(v.name, symbols, () -> clock[0]);
    boolean binary = v.name.equals("upbit");
    long nextTick = clock[0] + tickMs;
    // as the poller: once a minute, after the minute and its grace (3 s) have passed
    long nextHandover = (clock[0] / 60_000 + 1) * 60_000 + 4_000;
    long ticks = 0;
    long handedOver = 0;
    long trades = 0;
    long quotes = 0;
    long start = CPU.getCurrentThreadCpuTime();
    for (int n = 0; n < messages.size(); n++) {
      clock[0] = timeOf.applyAsLong(n);
      driver.frame(messages.get(n), binary);
      if (clock[0] >= nextTick) {
        quotes += driver.tick(clock[0]).size();
        ticks++;
        nextTick += tickMs;
      }
      if (clock[0] >= nextHandover) {
        for (SourceMinute m : driver.closed(clock[0])) {
          handedOver++;
          trades += m.trades();
        }
        nextHandover += 60_000;
      }
    }
    // the rest of the minutes (after the run: not timed)
    double cpu = (CPU.getCurrentThreadCpuTime() - start) / 1e9;
    for (SourceMinute m : driver.closed(clock[0] + 120_000)) trades += m.trades();
    if (quotes == 0 && ticks > 0) throw new IllegalStateException(v.name + ": no quotes");
    out[0] = ticks;
    out[1] = handedOver;
    out[2] = trades;
    return cpu;
  }

  /** CPU seconds to tokenise every message with Jackson (the floor of any JSON parser). */
  private static double tokenise(List<Buffer> messages) throws Exception {
    long start = CPU.getCurrentThreadCpuTime();
    long tokens = 0;
    for (Buffer b : messages) {
      try (JsonParser p = JSON.createParser(b.getBytes())) {
        while (p.nextToken() != null) tokens++;
      }
    }
    if (tokens == 0) throw new IllegalStateException();
    return (CPU.getCurrentThreadCpuTime() - start) / 1e9;
  }

  /** CPU seconds for parse, gap check and minute candles; {@code out[0]} the trades counted. */
  private static double pipeline(Venue v, List<Buffer> messages, long[] out) {
    GapDetector gaps = new GapDetector();
    TradeMinutes minutes = new TradeMinutes(3_000);
    long start = CPU.getCurrentThreadCpuTime();
    long counted = 0;
    for (Buffer b : messages) {
      StreamEvent e = v.protocol.parse(b);
      if (!(e instanceof StreamEvent.Trades trades))
        throw new IllegalStateException(v.name + ": " + e);
      for (Trade t : trades.trades()) {
        if (!gaps.check(t).count()) continue;
        if (minutes.add(t.market(), t.timeMs(), t.price(), t.size(), t.timeMs())) counted++;
      }
    }
    out[0] = counted;
    return (CPU.getCurrentThreadCpuTime() - start) / 1e9;
  }
}
