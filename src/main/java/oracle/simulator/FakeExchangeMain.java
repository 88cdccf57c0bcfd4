package oracle.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/**
 * Runs a {@link FakeExchangeServer} as its own process (so a benchmark measures the oracle's CPU,
 * not the fake's): scripts {@code N} symbols ({@code S0001/USDT}...) on six exchanges with a price
 * random walk every 500 ms and growing minute volumes, prints {@code {"sources": {...}, "symbols":
 * [...]}} as one line on stdout, and exits when stdin closes.
 *
 * <p>{@code java -cp <test classpath> oracle.simulator.FakeExchangeMain 1000 [firstPort]
 * [tradesPerSecond]}: the exchanges listen on {@code firstPort}.. {@code firstPort + 6}, or on free
 * ports without it (0). With {@code tradesPerSecond} > 0 every market trades ({@link Trading}) and
 * the line also carries {@code "streamingSources"} (the venues' trade streams on).
 */
public final class FakeExchangeMain {
  static final List<String> CEX = FakeExchangeServer.MARKET_EXCHANGES;
  static final double KRW_PER_USDT = 1_400;

  private FakeExchangeMain() {}

  /** Whether {@code exchange} reads the USDT symbol from a KRW market (Upbit). */
  static boolean krw(String exchange, String symbol) {
    return oracle.exchange.registry.Exchanges.derive(exchange, symbol)
        .quoteCurrency()
        .equals("KRW");
  }

  public static String symbol(int i) {
    return String.format("S%04d/USDT", i);
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int firstPort = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    double tradesPerSecond = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    Vertx vertx = Vertx.vertx();
    FakeExchangeServer fake =
        FakeExchangeServer.start(vertx, firstPort).toCompletionStage().toCompletableFuture().get();
    fake.cacheResponses(
        1_000); // the walk below re-scripts every 500 ms; this keeps the fake's own CPU low
    // A benchmark measures the oracle's CPU: no venue refuses it (IngestionBenchmark's
    // bench.coinbaseAll polls Coinbase above its real 10 requests/s on purpose).
    fake.rateLimit("coinbase", 0, 0);
    if (tradesPerSecond > 0) fake.trading(Trading.defaults(42).withRate(tradesPerSecond));
    Random rnd = new Random(42);
    double[] prices = new double[n];
    io.vertx.core.json.JsonArray symbols = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < n; i++) {
      prices[i] = 1 + rnd.nextDouble() * 50_000;
      String s = symbol(i);
      symbols.add(s);
      for (String e : CEX)
        fake.liquidity(e, s, 1e6 + rnd.nextDouble() * 1e9).minuteVolume(e, s, rnd.nextDouble());
    }
    fake.price("upbit", "USDT/KRW", KRW_PER_USDT);
    Runnable walk =
        () -> {
          for (int i = 0; i < n; i++) {
            prices[i] *= 1 + (rnd.nextDouble() - 0.5) * 0.002;
            String s = symbol(i);
            for (String e : CEX) {
              double p = prices[i] * (1 + (rnd.nextDouble() - 0.5) * 0.0005);
              fake.price(e, s, krw(e, s) ? p * KRW_PER_USDT : p);
            }
          }
        };
    walk.run();
    vertx.setPeriodic(500, id -> walk.run());
    JsonObject line = new JsonObject().put("sources", fake.sourcesConfig()).put("symbols", symbols);
    if (tradesPerSecond > 0) line.put("streamingSources", fake.streamingSourcesConfig());
    System.out.println(line.encode());
    System.out.flush();
    while (System.in.read() >= 0) {
      // run until the parent closes our stdin (or dies)
    }
    vertx.close();
    System.exit(0);
  }
}
