package oracle.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import oracle.exchange.binance.BinanceTradeStream;
import oracle.exchange.bybit.BybitTradeStream;
import oracle.exchange.coinbase.CoinbaseTradeStream;
import oracle.exchange.kraken.KrakenTradeStream;
import oracle.exchange.okx.OkxTradeStream;
import oracle.exchange.stream.GapDetector;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import oracle.exchange.stream.TradeMinutes;
import oracle.exchange.stream.TradeStreamProtocol;
import oracle.exchange.upbit.UpbitTradeStream;

/**
 * The trade streams' CPU per message: each venue's real message layout (one trade per message, the
 * busiest case per trade) for 10,000 markets, through the venue's parser, the gap detector and the
 * per-source minute candles, on one thread. Baseline in the same run: the same bytes only tokenised
 * by Jackson. Prints messages per CPU-second per venue and all together, the share of a core the
 * whole market at its busiest (50,000 trades/s) needs, and the ratio to the baseline.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=oracle.bench.TradeStreamBenchmark \
 *     [-Dbench.markets=10000] [-Dbench.messages=200000] [-Dbench.rounds=5]
 * </pre>
 */
public final class TradeStreamBenchmark {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final JsonFactory JSON = new JsonFactory();

  private record Venue(String name, TradeStreamProtocol protocol, IntFunction<String> message) {}

  public static void main(String[] args) throws Exception {
    int markets = Integer.getInteger("bench.markets", 10_000);
    int perVenue = Integer.getInteger("bench.messages", 200_000);
    int rounds = Integer.getInteger("bench.rounds", 5);
    Random random = new Random(7);
    double[] price = new double[markets];
    for (int i = 0; i < markets; i++) price[i] = 1 + random.nextDouble() * 1000;
    long t0 = System.currentTimeMillis();
    List<Venue> venues =
        List.of(
            new Venue(
                "binance",
                new BinanceTradeStream(),
                n ->
                    "{\"stream\":\"m%dusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":%d,\"s\":\"M%dUSDT\",\"t\":%d,\"p\":\"%.8f\",\"q\":\"%.8f\",\"b\":7038593583,\"a\":7038593613,\"T\":%d,\"m\":true,\"M\":true}}"
                        .formatted(
                            n % markets,
                            t0 + n,
                            n % markets,
                            n / markets,
                            price[n % markets],
                            0.5,
                            t0 + n)),
            new Venue(
                "coinbase",
                new CoinbaseTradeStream(),
                n ->
                    "{\"type\":\"match\",\"trade_id\":%d,\"maker_order_id\":\"2a0da34e-61f7-4c36-88e5-c9dd15927b16\",\"taker_order_id\":\"3c82abaa-c01e-4608-be59-6a1e69742891\",\"side\":\"sell\",\"size\":\"%.8f\",\"price\":\"%.8f\",\"product_id\":\"M%d-USDT\",\"sequence\":%d,\"time\":\"2026-12-07T16:43:37.089723Z\"}"
                        .formatted(n / markets + 1, 0.5, price[n % markets], n % markets, n)),
            new Venue(
                "kraken",
                new KrakenTradeStream(),
                n ->
                    "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"M%d/USD\",\"side\":\"buy\",\"price\":%.2f,\"qty\":0.01044926,\"ord_type\":\"limit\",\"trade_id\":%d,\"timestamp\":\"2026-12-07T12:43:11.798009Z\"}]}"
                        .formatted(n % markets, price[n % markets], n / markets + 1)),
            new Venue(
                "okx",
                new OkxTradeStream(),
                n ->
                    "{\"arg\":{\"channel\":\"trades\",\"instId\":\"M%d-USDT\"},\"data\":[{\"instId\":\"M%d-USDT\",\"tradeId\":\"%d\",\"px\":\"%.4f\",\"sz\":\"0.0002\",\"side\":\"buy\",\"ts\":\"%d\"}]}"
                        .formatted(
                            n % markets, n % markets, n / markets + 1, price[n % markets], t0 + n)),
            new Venue(
                "bybit",
                new BybitTradeStream(),
                n ->
                    "{\"topic\":\"publicTrade.M%dUSDT\",\"ts\":%d,\"type\":\"snapshot\",\"data\":[{\"i\":\"%d\",\"T\":%d,\"p\":\"%.2f\",\"v\":\"0.041732\",\"S\":\"Sell\",\"s\":\"M%dUSDT\",\"BT\":false}]}"
                        .formatted(
                            n % markets,
                            t0 + n,
                            2290000000050703789L + n,
                            t0 + n,
                            price[n % markets],
                            n % markets)),
            new Venue(
                "upbit",
                new UpbitTradeStream(),
                n ->
                    "{\"ty\":\"trade\",\"cd\":\"KRW-M%d\",\"tms\":%d,\"td\":\"2026-12-07\",\"ttm\":\"16:51:02\",\"ttms\":%d,\"tp\":%.1f,\"tv\":46.48838371,\"ab\":\"BID\",\"pcp\":123.0,\"c\":\"RISE\",\"cp\":4.0,\"sid\":%d,\"st\":\"REALTIME\"}"
                        .formatted(
                            n % markets,
                            t0 + n,
                            t0 + n,
                            price[n % markets] * 1300,
                            1618678262000003L + n)));

    System.out.printf(
        "trade streams: %d markets, %d one-trade messages per venue, %d rounds (best round counts)%n",
        markets, perVenue, rounds);
    double allFull = 0;
    double allBase = 0;
    long allMessages = 0;
    for (Venue v : venues) {
      List<Buffer> messages = new ArrayList<>(perVenue);
      for (int n = 0; n < perVenue; n++) messages.add(Buffer.buffer(v.message.apply(n)));
      double base = Double.MAX_VALUE;
      double full = Double.MAX_VALUE;
      long counted = 0;
      for (int r = 0; r < rounds; r++) {
        base = Math.min(base, tokenise(messages));
        long[] out = new long[1];
        full = Math.min(full, pipeline(v, messages, out));
        counted = out[0];
      }
      if (counted != perVenue)
        throw new IllegalStateException(v.name + ": counted " + counted + " of " + perVenue);
      System.out.printf(
          "  %-8s %,10.0f msg/s per core (tokenising alone %,10.0f: ratio %.2f)%n",
          v.name, perVenue / full, perVenue / base, base / full);
      allFull += full;
      allBase += base;
      allMessages += perVenue;
    }
    double rate = allMessages / allFull;
    System.out.printf(
        "  all      %,10.0f msg/s per core (tokenising alone %,10.0f: ratio %.2f)%n",
        rate, allMessages / allBase, allBase / allFull);
    System.out.printf(
        "| trade streams, 10,000 symbols x 6 venues | 50,000 trades/s on <= 0.5 core | %.3f core | ratio to tokenising %.2f |%n",
        50_000 / rate, allBase / allFull);
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
