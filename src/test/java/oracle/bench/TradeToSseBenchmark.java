package oracle.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import oracle.common.Addresses;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.exchange.FakeMarkets;
import oracle.simulator.FakeExchangeServer;
import oracle.simulator.Trading;
import oracle.support.TestEnv;

/**
 * The delay from a simulated trade to the SSE event carrying it, through the whole oracle (fake
 * venues' trade tape → streams or REST tickers → polling → aggregation → Redis → event bus → {@code
 * GET /api/v1/market/stream}), at {@code ingestion.intervalMs} 1000 and 200, each with the trade
 * streams on and, as the baseline in the same run, with REST polling only ({@code stream: false}).
 *
 * <p>Each symbol is listed on one venue (Binance, OKX or Bybit: no KRW conversion, no REST rate
 * limit on the fakes) with a quorum of 1, so a candle's close is that venue's price: its trade
 * (streamed) or its ticker's last trade (polled). A trade is "carried" by the first SSE event of
 * its symbol received at or after its exchange time whose close is its price (relative 1e-9). Only
 * trades alone in their tick interval (none of the same market within {@code intervalMs} + 100 ms
 * before them) are timed: a tick that sees two trades sends their VWAP, and the second one's own
 * price goes out a tick later, which would time the tick that carried it one interval late; so the
 * markets trade slowly ({@code bench.tradesPerSecond}, 0.5 by default) to keep most trades alone.
 * The fakes push their trades every 20 ms (their trade timer), which is in the delay.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=oracle.bench.TradeToSseBenchmark \
 *     [-Dbench.symbols=16] [-Dbench.seconds=40] [-Dbench.warmup=6] [-Dbench.tradesPerSecond=0.5] \
 *     [-Dbench.redisDb=2] [-Dbench.pgDatabase=oracle_ingestion]
 * </pre>
 */
public final class TradeToSseBenchmark {
  private static final List<String> VENUES = List.of("binance", "okx", "bybit");

  private record Event(long atMs, double close) {}

  private record Result(int trades, int carried, double p50, double p90, double p99) {}

  public static void main(String[] args) {
    try {
      measure();
      System.exit(0);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1); // the deployment's threads would keep the JVM alive
    }
  }

  private static void measure() throws Exception {
    int symbols = Integer.getInteger("bench.symbols", 16);
    int seconds = Integer.getInteger("bench.seconds", 40);
    int warmup = Integer.getInteger("bench.warmup", 6);
    double rate = Double.parseDouble(System.getProperty("bench.tradesPerSecond", "0.5"));
    int redisDb = Integer.getInteger("bench.redisDb", TestEnv.REDIS_DB_INGESTION);
    String pgDatabase = System.getProperty("bench.pgDatabase", "oracle_ingestion");

    Vertx vertx = Vertx.vertx();
    FakeExchangeServer fake = TestEnv.await(FakeExchangeServer.start(vertx));
    Map<String, String> venueOf = new LinkedHashMap<>();
    for (int i = 0; i < symbols; i++) {
      String symbol = "L%03d/USDT".formatted(i);
      String venue = VENUES.get(i % VENUES.size());
      venueOf.put(symbol, venue);
      fake.price(venue, symbol, 10 + 3.1 * i).liquidity(venue, symbol, 1_000_000);
    }
    fake.trading(Trading.defaults(7).withRate(rate));
    String pgUrl = TestEnv.migratedPgUrl(pgDatabase);
    System.out.printf(
        "trade-to-SSE benchmark: %d symbols on %s (one venue each), %.2f trades/s per market, "
            + "warm-up %d s, measuring %d s per run%n",
        symbols, VENUES, rate, warmup, seconds);

    Map<String, Result> results = new LinkedHashMap<>();
    for (int interval : new int[] {1_000, 200})
      for (boolean stream : new boolean[] {true, false}) {
        TestEnv.flushRedis(vertx, redisDb);
        Result r = run(vertx, fake, venueOf, interval, stream, seconds, warmup, redisDb, pgUrl);
        String name = (stream ? "stream" : "REST poll") + " @ " + interval + " ms";
        results.put(name, r);
        System.out.printf(
            "%-20s trades %4d, carried %4d: p50 %6.0f ms, p90 %6.0f ms, p99 %6.0f ms (target p99 <= %d)%n",
            name, r.trades(), r.carried(), r.p50(), r.p90(), r.p99(), interval + 150);
      }
    System.out.println();
    System.out.println("| benchmark | baseline (REST poll, same run) | streams | ratio | target |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (int interval : new int[] {1_000, 200}) {
      Result s = results.get("stream @ " + interval + " ms");
      Result p = results.get("REST poll @ " + interval + " ms");
      System.out.printf(
          "| trade → SSE p50 / p90 / p99 at intervalMs %d | %.0f / %.0f / %.0f ms | %.0f / %.0f / %.0f ms | %.2f / %.2f / %.2f | p99 ≤ %d ms |%n",
          interval,
          p.p50(),
          p.p90(),
          p.p99(),
          s.p50(),
          s.p90(),
          s.p99(),
          s.p50() / p.p50(),
          s.p90() / p.p90(),
          s.p99() / p.p99(),
          interval + 150);
    }
    TestEnv.await(fake.close());
    TestEnv.await(vertx.close());
  }

  private static Result run(
      Vertx vertx,
      FakeExchangeServer fake,
      Map<String, String> venueOf,
      int intervalMs,
      boolean stream,
      int seconds,
      int warmup,
      int redisDb,
      String pgUrl)
      throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    JsonObject sources = stream ? fake.streamingSourcesConfig() : fake.sourcesConfig();
    sources.remove("uniswap");
    for (String venue : List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit")) {
      // each symbol is listed on its one venue only (no refused subscriptions, no unknown tickers)
      JsonObject markets = new JsonObject();
      venueOf.forEach(
          (symbol, v) -> {
            if (!v.equals(venue)) markets.put(symbol, false);
          });
      sources.getJsonObject(venue).put("timeoutMs", 900).put("markets", markets);
    }
    JsonObject config =
        TestEnv.baseConfig(redisDb, null)
            .put("postgres", new JsonObject().put("url", pgUrl))
            .put("instanceId", "bench-sse")
            .put(
                "http",
                new JsonObject()
                    .put("port", port)
                    .put("streams", new JsonObject().put("maxPerClient", 1_000)))
            .put("rateLimit", new JsonObject().put("requests", 1_000_000))
            .put(
                "leader",
                new JsonObject().put("ttlMs", 10_000).put("heartbeatMs", 2_000).put("retryMs", 200))
            .put("symbols", new JsonArray(new ArrayList<>(venueOf.keySet())))
            .put("exchanges", new JsonArray(VENUES))
            .put("sources", sources)
            .put("ingestion", new JsonObject().put("intervalMs", intervalMs).put("minSources", 1))
            // no day of klines backfilled at each start, competing with the measured path
            .put(
                "backfill", new JsonObject().put("intervalMs", 86_400_000).put("windowMinutes", 5));
    OracleDeployment deployment = new OracleDeployment(vertx, AppSettings.from(config));
    TestEnv.await(deployment.start());
    waitForLeader(vertx);
    progress("deployed, leading; opening %d event streams", venueOf.size());

    Map<String, List<Event>> events = new ConcurrentHashMap<>();
    // one connection per event stream (the default pool's 5 would hold the 6th request back)
    HttpClient client =
        vertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions(),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(venueOf.size() + 4));
    for (String symbol : venueOf.keySet()) {
      List<Event> list = new CopyOnWriteArrayList<>();
      events.put(symbol, list);
      StringBuilder buffer = new StringBuilder();
      // the handler is set on the event loop as the answer arrives, so no event is missed
      TestEnv.await(
          client
              .request(
                  HttpMethod.GET,
                  port,
                  "127.0.0.1",
                  "/api/v1/market/stream?symbol="
                      + java.net.URLEncoder.encode(symbol, java.nio.charset.StandardCharsets.UTF_8))
              .compose(HttpClientRequest::send)
              .onSuccess(
                  response ->
                      response.handler(
                          chunk -> {
                            long now = System.currentTimeMillis();
                            buffer.append(chunk.toString());
                            int end;
                            while ((end = buffer.indexOf("\n\n")) >= 0) {
                              String message = buffer.substring(0, end);
                              buffer.delete(0, end + 2);
                              int data = message.indexOf("data: ");
                              if (!message.startsWith("event: candle") || data < 0) continue;
                              JsonObject candle = new JsonObject(message.substring(data + 6));
                              list.add(new Event(now, candle.getDouble("close")));
                            }
                          })));
    }
    progress("streams open; warming up %d s, then measuring %d s", warmup, seconds);
    Thread.sleep(warmup * 1_000L);
    long from = System.currentTimeMillis();
    Thread.sleep(seconds * 1_000L);
    long to = System.currentTimeMillis();
    Thread.sleep(Math.max(3_000, 3L * intervalMs)); // the window's last trades reach SSE

    List<Double> delays = new ArrayList<>();
    Map<String, List<Double>> byVenue = new java.util.TreeMap<>();
    int trades = 0;
    for (Map.Entry<String, String> e : venueOf.entrySet()) {
      List<Event> seen = events.get(e.getKey());
      long previousMs = Long.MIN_VALUE / 2;
      for (FakeMarkets.Trade t :
          fake.recentTrades(e.getValue(), e.getKey(), from - intervalMs - 200)) {
        // A trade that followed another within one tick interval can share that tick with it:
        // the tick sends their VWAP, and its own price goes out only as the last trade of the next
        // tick, one interval after the tick that did carry it. Only a trade alone in its interval
        // can be told by its price, so only those are timed (both paths alike).
        boolean alone = t.timeMs() - previousMs > intervalMs + 100;
        previousMs = t.timeMs();
        if (t.timeMs() < from || t.timeMs() >= to || !alone) continue;
        trades++;
        for (Event ev : seen)
          if (ev.atMs() >= t.timeMs() && Math.abs(ev.close() / t.price() - 1) < 1e-9) {
            delays.add((double) (ev.atMs() - t.timeMs()));
            byVenue
                .computeIfAbsent(e.getValue(), k -> new ArrayList<>())
                .add((double) (ev.atMs() - t.timeMs()));
            break;
          }
      }
    }
    progress("measured; stopping");
    client.close();
    TestEnv.await(deployment.stop());
    Collections.sort(delays);
    byVenue.forEach(
        (venue, d) -> {
          Collections.sort(d);
          progress(
              "  %-8s carried %3d: p50 %5.0f ms, p90 %5.0f ms, p99 %5.0f ms",
              venue, d.size(), pct(d, 0.5), pct(d, 0.9), pct(d, 0.99));
        });
    return new Result(
        trades, delays.size(), pct(delays, 0.50), pct(delays, 0.90), pct(delays, 0.99));
  }

  private static void progress(String format, Object... args) {
    System.out.printf("  [%tT] " + format + "%n", prepend(System.currentTimeMillis(), args));
    System.out.flush();
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] out = new Object[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static void waitForLeader(Vertx vertx) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        JsonObject s =
            TestEnv.await(vertx.eventBus().<JsonObject>request(Addresses.LEADER_STATUS, null))
                .body();
        if (Boolean.TRUE.equals(s.getBoolean("leader"))) return;
      } catch (RuntimeException notYet) {
        // not deployed yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no leader within 30 s");
  }

  private static double pct(List<Double> sorted, double q) {
    if (sorted.isEmpty()) return Double.NaN;
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
