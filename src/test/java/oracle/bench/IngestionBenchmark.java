package oracle.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import oracle.aggregation.IngestionCodecs;
import oracle.common.Addresses;
import oracle.deploy.Verticles;
import oracle.support.TestEnv;

/**
 * Ingestion benchmark: N symbols (default 1,000) × 6 exchanges (Binance, Coinbase, Kraken, OKX,
 * Bybit, Upbit) served by fake exchanges in a separate JVM ({@code oracle.simulator
 * .FakeExchangeMain}, started here with the same classpath), the real leader + polling +
 * aggregation verticles in this one. Prints tick duration p50/p95/p99 (tick start → candles in
 * Redis) with its breakdown, ticks skipped while measuring, candle updates per second and this
 * process's CPU alone (process CPU time / wall time; 1.0 = one core; the fakes' CPU is printed
 * apart), then the issue-14 table row of the run: {@code | benchmark | issue baseline | now |
 * target |}.
 *
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=oracle.bench.IngestionBenchmark \
 *     [-Dbench.symbols=1000] [-Dbench.seconds=30] [-Dbench.warmup=8] [-Dbench.coinbaseAll=true] \
 *     [-Dbench.redisDb=2] [-Dbench.pgDatabase=oracle_ingestion] [-Dbench.fakePort=0]
 * </pre>
 *
 * {@code bench.redisDb} / {@code bench.pgDatabase} choose the Redis DB (flushed first) and
 * PostgreSQL database; {@code bench.fakePort} the first of the fakes' 7 ports (0: free ports).
 *
 * <p>Sources use their default rate limits. Coinbase has no batch endpoint: by default it reads 8
 * tickers per second (its real limit), round-robin; {@code -Dbench.coinbaseAll=true} lifts its
 * limit so all tickers are requested every tick (the worst case for the poller).
 */
public final class IngestionBenchmark {
  private IngestionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int symbols = Integer.getInteger("bench.symbols", 1000);
    int seconds = Integer.getInteger("bench.seconds", 30);
    int warmup = Integer.getInteger("bench.warmup", 8);
    boolean coinbaseAll = Boolean.getBoolean("bench.coinbaseAll");
    int redisDb = Integer.getInteger("bench.redisDb", TestEnv.REDIS_DB_INGESTION);
    String pgDatabase = System.getProperty("bench.pgDatabase", "oracle_ingestion");
    int fakePort = Integer.getInteger("bench.fakePort", 0);

    Process fakeProcess =
        new ProcessBuilder(
                javaBin(),
                "-Xmx512m",
                "-cp",
                classpath(),
                "oracle.simulator.FakeExchangeMain",
                Integer.toString(symbols),
                Integer.toString(fakePort))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(fakeProcess.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("{"));
      if (line == null) throw new IllegalStateException("fake exchange process did not start");
      JsonObject fake = new JsonObject(line);
      run(
          fake,
          new Run(symbols, seconds, warmup, coinbaseAll, redisDb, pgDatabase),
          fakeProcess.toHandle());
    } finally {
      fakeProcess.getOutputStream().close();
      fakeProcess.destroy();
    }
    System.exit(0);
  }

  /** What one run measures, and where. */
  private record Run(
      int symbols, int seconds, int warmup, boolean coinbaseAll, int redisDb, String pgDatabase) {}

  private static void run(JsonObject fake, Run run, ProcessHandle fakeProcess) throws Exception {
    int symbolCount = run.symbols();
    int seconds = run.seconds();
    int warmup = run.warmup();
    boolean coinbaseAll = run.coinbaseAll();
    JsonObject sources = fake.getJsonObject("sources");
    for (String name : sources.fieldNames()) {
      JsonObject s = sources.getJsonObject(name).put("timeoutMs", 900);
      // Default (real) rate limits, except Coinbase in the worst-case mode: all
      // 1,000 tickers every tick.
      if (coinbaseAll && name.equals("coinbase"))
        s.put("rateLimit", new JsonObject().put("requestsPerSecond", 2_000).put("burst", 2_000));
    }
    JsonObject config =
        TestEnv.baseConfig(run.redisDb(), null)
            .put("postgres", new JsonObject().put("url", TestEnv.migratedPgUrl(run.pgDatabase())))
            .put("instanceId", "bench")
            .put("symbols", fake.getJsonArray("symbols"))
            .put(
                "exchanges",
                new JsonArray(List.of("binance", "coinbase", "kraken", "okx", "bybit", "upbit")))
            .put(
                "leader",
                new JsonObject().put("ttlMs", 10_000).put("heartbeatMs", 2_000).put("retryMs", 200))
            .put("ingestion", new JsonObject().put("intervalMs", 1_000).put("stalenessMs", 10_000))
            .put("sources", sources);

    Vertx vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, run.redisDb());
    List<Double> durations = Collections.synchronizedList(new ArrayList<>());
    List<Double> collects = Collections.synchronizedList(new ArrayList<>());
    List<Double> aggregates = Collections.synchronizedList(new ArrayList<>());
    List<Double> redisTimes = Collections.synchronizedList(new ArrayList<>());
    AtomicLong updates = new AtomicLong();
    AtomicLong measuring = new AtomicLong();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.INGESTION_TICK,
            m -> {
              if (Boolean.getBoolean("bench.verbose"))
                System.out.println("tick " + m.body().encode());
              if (measuring.get() == 1) {
                durations.add(m.body().getDouble("durationMs"));
                collects.add(m.body().getDouble("collectMs"));
                aggregates.add(m.body().getDouble("aggregateMs"));
                redisTimes.add(m.body().getDouble("redisMs"));
                updates.addAndGet(m.body().getLong("updated"));
              }
            });
    DeploymentOptions opts =
        new DeploymentOptions(); // the verticles get their settings from Verticles
    Verticles wired = Verticles.of(config);
    IngestionCodecs.register(vertx); // as the deployment root does
    TestEnv.await(vertx.deployVerticle(wired::leader, opts));
    TestEnv.await(vertx.deployVerticle(wired::aggregation, opts));
    String pollingId = TestEnv.await(vertx.deployVerticle(wired::polling, opts));

    System.out.printf(
        "ingestion benchmark: %d symbols x 6 exchanges, warm-up %d s, measuring %d s, coinbase %s%n",
        symbolCount,
        warmup,
        seconds,
        coinbaseAll
            ? "all tickers every tick (worst case)"
            : "at its default rate limit (8 tickers/s)");
    Thread.sleep(warmup * 1000L);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long skipped0 = skippedTicks(vertx);
    long fakeCpu0 = cpuNanos(fakeProcess);
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    measuring.set(1);
    Thread.sleep(seconds * 1000L);
    measuring.set(0);
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - wall0;
    long fakeCpu = cpuNanos(fakeProcess) - fakeCpu0;
    JsonObject status =
        TestEnv.await(vertx.eventBus().<JsonObject>request(Addresses.POLLING_STATUS, null)).body();
    long skipped = status.getLong("skippedTicks") - skipped0;

    List<Double> sorted = new ArrayList<>(durations);
    Collections.sort(sorted);
    List<Double> sortedCollect = sorted(collects);
    System.out.printf(
        "ticks measured: %d, skipped while measuring: %d (overall: %d), breakers: %s%n",
        sorted.size(),
        skipped,
        status.getLong("skippedTicks"),
        status.getJsonObject("exchanges").encode());
    if (!sorted.isEmpty()) {
      System.out.printf(
          "tick duration ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
          pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), sorted.get(sorted.size() - 1));
      System.out.printf(
          "  of which collecting quotes ms: p50 %.1f  p95 %.1f  p99 %.1f%n",
          pct(sortedCollect, 0.50), pct(sortedCollect, 0.95), pct(sortedCollect, 0.99));
      List<Double> a = sorted(aggregates);
      List<Double> r = sorted(redisTimes);
      System.out.printf(
          "  aggregating ms: p50 %.1f  p95 %.1f;  Redis pipeline ms: p50 %.1f  p95 %.1f%n",
          pct(a, 0.50), pct(a, 0.95), pct(r, 0.50), pct(r, 0.95));
    }
    System.out.printf(
        "candle updates into Redis: %.0f/s (%d symbols per tick expected)%n",
        updates.get() / (wall / 1e9), symbolCount);
    double cores = (double) cpu / wall;
    double updatesPerSecond = updates.get() / (wall / 1e9);
    System.out.printf(
        "CPU used by the oracle process: %.2f cores (process CPU %.1f s over %.1f s wall; %d processors)%n",
        cores, cpu / 1e9, wall / 1e9, os.getAvailableProcessors());
    System.out.printf(
        "CPU used by the fake exchanges' process (not counted above): %.2f cores%n",
        fakeCpu < 0 ? Double.NaN : (double) fakeCpu / wall);
    if (!sorted.isEmpty()) {
      System.out.println();
      System.out.println("| benchmark | issue baseline | now | target |");
      System.out.println("| --- | --- | --- | --- |");
      System.out.println(
          tableRow(
              symbolCount,
              sorted,
              sortedCollect,
              sorted(aggregates),
              sorted(redisTimes),
              sorted.size() + skipped,
              skipped,
              updatesPerSecond,
              cores));
    }
    // Stop ingestion first so no pipeline is in flight when the clients close.
    TestEnv.await(vertx.undeploy(pollingId));
    Thread.sleep(1_500);
    TestEnv.await(vertx.close());
  }

  /** The figures (issue 14), measured before this work, for the table's baseline column. */
  static final String BASELINE_1000 = "tick p50 107 / p99 159 ms, 0.16 cores";

  static final String BASELINE_10000 =
      "tick p50 1,004 / p95 2,229 / p99 2,490 ms; 9 of 35 ticks skipped; 8,667 candle updates/s;"
          + " 0.94 cores (collect p50 599 ms, aggregate p50 119 / p95 640 ms, Redis p50 209 / p95"
          + " 528 ms)";

  static final String TARGET_10000 =
      "tick p99 < 500 ms, no tick skipped, 10,000 updates/s, ≤ 0.5 core for the oracle process";

  private static String tableRow(
      int symbols,
      List<Double> ticks,
      List<Double> collect,
      List<Double> aggregate,
      List<Double> redis,
      long tickCount,
      long skipped,
      double updatesPerSecond,
      double cores) {
    if (symbols == 1000) {
      return String.format(
          "| `IngestionBenchmark` 1,000 symbols × 6 exchanges | %s | tick p50 %,.0f / p99 %,.0f ms,"
              + " %.2f cores | keep |",
          BASELINE_1000, pct(ticks, 0.50), pct(ticks, 0.99), cores);
    }
    String now =
        String.format(
            "tick p50 %,.0f / p95 %,.0f / p99 %,.0f ms; %d of %d ticks skipped; %,.0f candle"
                + " updates/s; %.2f cores (collect p50 %,.0f ms, aggregate p50 %,.0f / p95 %,.0f"
                + " ms, Redis p50 %,.0f / p95 %,.0f ms)",
            pct(ticks, 0.50),
            pct(ticks, 0.95),
            pct(ticks, 0.99),
            skipped,
            tickCount,
            updatesPerSecond,
            cores,
            pct(collect, 0.50),
            pct(aggregate, 0.50),
            pct(aggregate, 0.95),
            pct(redis, 0.50),
            pct(redis, 0.95));
    if (symbols == 10_000) {
      return "| `IngestionBenchmark -Dbench.symbols=10000` | "
          + BASELINE_10000
          + " | "
          + now
          + " | "
          + TARGET_10000
          + " |";
    }
    return String.format(
        "| `IngestionBenchmark -Dbench.symbols=%d` | (none) | %s | (none) |", symbols, now);
  }

  private static long skippedTicks(Vertx vertx) {
    return TestEnv.await(vertx.eventBus().<JsonObject>request(Addresses.POLLING_STATUS, null))
        .body()
        .getLong("skippedTicks");
  }

  /** A child process's CPU time so far, -1 when the platform does not say. */
  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
  }

  private static List<Double> sorted(List<Double> in) {
    List<Double> out = new ArrayList<>(in);
    Collections.sort(out);
    return out;
  }

  private static double pct(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** The test classpath, also when run by exec:java (which uses its own class loader). */
  private static String classpath() {
    ClassLoader cl = IngestionBenchmark.class.getClassLoader();
    if (cl instanceof URLClassLoader u) {
      List<String> parts = new ArrayList<>();
      for (URL url : u.getURLs()) {
        try {
          parts.add(new File(url.toURI()).getPath());
        } catch (java.net.URISyntaxException e) {
          parts.add(url.getPath());
        }
      }
      if (!parts.isEmpty()) return String.join(File.pathSeparator, parts);
    }
    return System.getProperty("java.class.path");
  }
}
