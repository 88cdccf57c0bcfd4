package oracle.http.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.deploy.Verticles;
import oracle.http.ApiTestEnv;
import oracle.storage.Resolution;
import oracle.support.TestEnv;

/**
 * API benchmark (run by {@code bench/api-benchmark.sh}): loads one year of 1-minute candles for 10
 * symbols (5.26M rows) plus the 5m..1d rollups into PostgreSQL database {@code oracle_api_bench},
 * starts the HTTP verticle (rate limiting on, limit raised by configuration) and, in the same JVM,
 * a bare vert.x-web route serving the same bytes from memory; then drives each with {@code wrk} on
 * loopback and prints requests/s and p50/p99 latency.
 *
 * <p>Options: {@code --duration=SECONDS} (default 15), {@code --connections=N} (default 16), {@code
 * --threads=N} (wrk threads, default 1), {@code --instances=N} (HTTP verticle instances for both
 * servers, default 1), {@code --cache-mb=N} (closed-history cache, default 2048: the whole year of
 * 10 symbols; 0 = off), {@code --cold} (skip warming the cache by paging through the year once),
 * {@code --reload} (rebuild the data), {@code --serve} (set up, then just serve, for manual
 * probing), {@code --load-only} (set up the data, then exit), {@code --no-cache-off} (skip the
 * second configuration), {@code --database=NAME} (default {@code oracle_api_bench}), {@code
 * --redis-db=N} (default 4), {@code --port=P} (the oracle on P, the bare route on P+1, the oracle
 * with its history cache off on P+2; default 18080).
 *
 * <p>The 1m windows are also served by a second HTTP verticle with {@code http.cache.megabytes} 0
 * (every read from PostgreSQL), and the run ends with the table: baseline, now, target.
 */
public final class ApiBenchmark {
  static final List<String> SYMBOLS =
      List.of(
          "BTC/USDT",
          "ETH/USDT",
          "SOL/USDT",
          "XRP/USDT",
          "ADA/USDT",
          "DOGE/USDT",
          "DOT/USDT",
          "LTC/USDT",
          "LINK/USDT",
          "AVAX/USDT");
  static final String DATABASE = "oracle_api_bench";

  /** Issue 14's figures, measured before this round of work on the same machine. */
  static final double BASELINE_1M_RATIO_WARM = 0.38;

  static final double BASELINE_1D_P99_MS = 7.1;
  static final long YEAR_MINUTES = 365L * 24 * 60;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    int duration = Integer.parseInt(opts.getOrDefault("duration", "15"));
    int connections = Integer.parseInt(opts.getOrDefault("connections", "16"));
    int threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
    int instances = Integer.parseInt(opts.getOrDefault("instances", "1"));
    int cacheMb = Integer.parseInt(opts.getOrDefault("cache-mb", "2048"));
    String database = opts.getOrDefault("database", DATABASE);
    int redisDb = Integer.parseInt(opts.getOrDefault("redis-db", "" + TestEnv.REDIS_DB_API));
    int oraclePort = Integer.parseInt(opts.getOrDefault("port", "18080"));
    int barePort = oraclePort + 1;
    int cacheOffPort = oraclePort + 2;
    boolean cacheOffRun = !opts.containsKey("no-cache-off") && cacheMb > 0;

    Vertx vertx = ApiTestEnv.vertx();
    String pgUrl = TestEnv.pgUrl(database);
    Pool pg = PgFactory.pool(vertx, pgUrl, 2);
    long end = RedisKeys.minuteOf(System.currentTimeMillis());
    long start = end - (YEAR_MINUTES - 1) * 60;
    load(pg, start, end, opts.containsKey("reload"));
    await(pg.close());
    if (opts.containsKey("load-only")) {
      await(vertx.close());
      System.exit(0);
    }

    // The live tail as production has it: the last minutes of every symbol in Redis.
    Redis redis = Redis.createClient(vertx, TestEnv.redisUrl(redisDb));
    for (String s : SYMBOLS)
      for (long t = end - 120; t <= end; t += 60)
        ApiTestEnv.putHot(redis, s, ApiTestEnv.minute(t, 100));
    redis.close();

    await(
        vertx.deployVerticle(
            Verticles.of(config(database, redisDb, pgUrl, oraclePort, cacheMb))::http,
            new DeploymentOptions()
                .setConfig(config(database, redisDb, pgUrl, oraclePort, cacheMb))
                .setInstances(instances)));

    WebClient client = WebClient.create(vertx);
    String oneMinuteUri =
        "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=1000&from="
            + (start + 86_400)
            + "&to="
            + (start + 86_400 + 999 * 60);
    String yearUri =
        "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1d&from=" + (end - 365 * 86_400L);
    Buffer oneMinuteBody = await(client.get(oraclePort, "127.0.0.1", oneMinuteUri).send()).body();
    Buffer yearBody = await(client.get(oraclePort, "127.0.0.1", yearUri).send()).body();
    int candles1m = new JsonObject(oneMinuteBody).getJsonArray("candles").size();
    int candles1d = new JsonObject(yearBody).getJsonArray("candles").size();

    if (cacheMb > 0 && !opts.containsKey("cold")) {
      // Warm the closed-history cache the way chart traffic does over time: page
      // through the year once.
      long t0 = System.nanoTime();
      int pages = 0;
      for (String s : SYMBOLS) {
        Object next = start;
        while (next != null) {
          JsonObject page =
              await(
                      client
                          .get(
                              oraclePort,
                              "127.0.0.1",
                              "/api/v1/market/ohlcv?resolution=1m&limit=5000&symbol="
                                  + s
                                  + "&from="
                                  + next
                                  + "&to="
                                  + end)
                          .send())
                  .bodyAsJsonObject();
          next = page.getValue("nextFrom");
          pages++;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "cache warmed: %d pages of 5,000 candles in %.1f s%n",
          pages,
          (System.nanoTime() - t0) / 1e9);
    }

    List<HttpServer> bare = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      Router router = Router.router(vertx);
      router
          .get("/bare/1m")
          .handler(
              ctx ->
                  ctx.response().putHeader("content-type", "application/json").end(oneMinuteBody));
      router
          .get("/bare/1d")
          .handler(
              ctx -> ctx.response().putHeader("content-type", "application/json").end(yearBody));
      bare.add(await(vertx.createHttpServer().requestHandler(router).listen(barePort)));
    }

    // The same oracle with the history cache off: every read goes to PostgreSQL.
    if (cacheOffRun) {
      await(
          vertx.deployVerticle(
              Verticles.of(config(database, redisDb, pgUrl, cacheOffPort, 0))::http,
              new DeploymentOptions()
                  .setConfig(config(database, redisDb, pgUrl, cacheOffPort, 0))
                  .setInstances(instances)));
      Buffer offBody = await(client.get(cacheOffPort, "127.0.0.1", oneMinuteUri).send()).body();
      if (!offBody.equals(oneMinuteBody))
        throw new IllegalStateException("the cache-off answer differs from the cached one");
    }

    Path script = Files.createTempFile("oracle-bench", ".lua");
    Files.writeString(script, windowsScript(start, end), StandardCharsets.UTF_8);
    Path yearScript = Files.createTempFile("oracle-bench-1d", ".lua");
    Files.writeString(yearScript, yearScript(end), StandardCharsets.UTF_8);
    if (opts.containsKey("serve")) {
      System.out.printf(
          "serving: oracle on %d, bare on %d, cache off on %d; wrk scripts %s %s;"
              + " e.g. curl 'http://127.0.0.1:%d%s'%n",
          oraclePort, barePort, cacheOffPort, script, yearScript, oraclePort, oneMinuteUri);
      Thread.sleep(Long.MAX_VALUE);
    }

    System.out.printf(
        Locale.ROOT,
        "%nData: %d symbols x %d minutes = %,d rows in ohlcv_1m (+ rollups), %s%n",
        SYMBOLS.size(),
        YEAR_MINUTES,
        SYMBOLS.size() * YEAR_MINUTES,
        database);
    System.out.printf(
        Locale.ROOT,
        "1m window: %d candles, %,d bytes; 1d year: %d candles, %,d bytes%n",
        candles1m,
        oneMinuteBody.length(),
        candles1d,
        yearBody.length());
    System.out.printf(
        Locale.ROOT,
        "wrk -t%d -c%d -d%ds, %d HTTP verticle instance(s), rate limit on (10M/min), history cache %s%n%n",
        threads,
        connections,
        duration,
        instances,
        cacheMb == 0
            ? "off"
            : cacheMb + " MB" + (opts.containsKey("cold") ? " (cold)" : " (warmed)"));

    String base = "http://127.0.0.1:";
    Result bare1m = wrk(base + barePort + "/bare/1m", null, threads, connections, duration);
    Result api1m = wrk(base + oraclePort + "/", script, threads, connections, duration);
    Result bare1d = wrk(base + barePort + "/bare/1d", null, threads, connections, duration);
    Result api1d = wrk(base + oraclePort + "/", yearScript, threads, connections, duration);

    // Latency below saturation: 2 connections, so queueing behind 16 in-flight
    // requests does not count.
    Result api1dLight = wrk(base + oraclePort + "/", yearScript, 1, 2, duration);
    Result bare1dLight = wrk(base + barePort + "/bare/1d", null, 1, 2, duration);

    Result off1m = null;
    Result off1d = null;
    if (cacheOffRun) {
      off1m = wrk(base + cacheOffPort + "/", script, threads, connections, duration);
      off1d = wrk(base + cacheOffPort + "/", yearScript, threads, connections, duration);
    }

    System.out.printf(
        Locale.ROOT, "%-46s %12s %10s %10s%n", "scenario", "requests/s", "p50 ms", "p99 ms");
    print("bare route, 1m-window bytes from memory", bare1m);
    print("oracle 1m, random 1,000-candle windows", api1m);
    print("bare route, 1d-year bytes from memory", bare1d);
    print("oracle 1d, one-year query (random symbol)", api1d);
    print("bare route, 1d-year bytes, 2 connections", bare1dLight);
    print("oracle 1d, one-year query, 2 connections", api1dLight);
    if (off1m != null) {
      print("oracle 1m windows, history cache off", off1m);
      print("oracle 1d year, history cache off", off1d);
    }
    System.out.printf(
        Locale.ROOT,
        "%n1m throughput vs bare: %.2f; 1d year p99: %.2f ms at %d connections, %.2f ms at 2%n",
        api1m.rps / bare1m.rps,
        api1d.p99Ms,
        connections,
        api1dLight.p99Ms);

    String warm =
        cacheMb + " MB history cache" + (opts.containsKey("cold") ? " (cold)" : ", warmed");
    System.out.printf(Locale.ROOT, "%n| benchmark | issue baseline | now | target |%n");
    System.out.printf(Locale.ROOT, "| --- | --- | --- | --- |%n");
    System.out.printf(
        Locale.ROOT,
        "| 1m 1,000-candle windows vs bare route, %s | %.2f | %.2f (%,.0f vs %,.0f req/s) | >= 0.5 |%n",
        cacheMb == 0 ? "history cache off" : warm,
        BASELINE_1M_RATIO_WARM,
        api1m.rps / bare1m.rps,
        api1m.rps,
        bare1m.rps);
    if (off1m != null)
      System.out.printf(
          Locale.ROOT,
          "| 1m 1,000-candle windows vs bare route, history cache off (PostgreSQL) | new | %.2f (%,.0f req/s) | >= 0.15 |%n",
          off1m.rps / bare1m.rps,
          off1m.rps);
    System.out.printf(
        Locale.ROOT,
        "| one-year 1d p99, %d connections | %.1f ms | %.2f ms (bare route, same bytes: %.2f ms) | < 5 ms |%n",
        connections,
        BASELINE_1D_P99_MS,
        api1d.p99Ms,
        bare1d.p99Ms);

    for (HttpServer s : bare) await(s.close());
    await(vertx.close());
    System.exit(0);
  }

  /** The benchmark's oracle: rate limiting on with a limit no run reaches. */
  static JsonObject config(String database, int redisDb, String pgUrl, int port, int cacheMb) {
    return TestEnv.baseConfig(redisDb, database)
        .put(
            "http",
            new JsonObject()
                .put("port", port)
                .put("cache", new JsonObject().put("megabytes", cacheMb)))
        .put("symbols", new JsonArray(SYMBOLS))
        .put("postgres", new JsonObject().put("url", pgUrl).put("poolSize", 8))
        .put("rateLimit", new JsonObject().put("requests", 10_000_000));
  }

  /** Random 1,000-minute windows over the stored year, random symbol: no two requests alike. */
  static String windowsScript(long start, long end) {
    StringBuilder symbols = new StringBuilder();
    for (String s : SYMBOLS)
      symbols.append(symbols.length() == 0 ? "" : ",").append('"').append(s).append('"');
    long windows = (end - start) / 60 - 1000;
    return "local symbols = {"
        + symbols
        + "}\n"
        + "math.randomseed(os.time())\n"
        + "request = function()\n"
        + "  local from = "
        + start
        + " + math.random(0, "
        + windows
        + ") * 60\n"
        + "  return wrk.format('GET', '/api/v1/market/ohlcv?symbol=' .. symbols[math.random(#symbols)] .. '&resolution=1m&limit=1000&from=' .. from .. '&to=' .. (from + 999 * 60))\n"
        + "end\n";
  }

  static String yearScript(long end) {
    StringBuilder symbols = new StringBuilder();
    for (String s : SYMBOLS)
      symbols.append(symbols.length() == 0 ? "" : ",").append('"').append(s).append('"');
    return "local symbols = {"
        + symbols
        + "}\n"
        + "request = function()\n"
        + "  return wrk.format('GET', '/api/v1/market/ohlcv?symbol=' .. symbols[math.random(#symbols)] .. '&resolution=1d&from="
        + (end - 365 * 86_400L)
        + "')\n"
        + "end\n";
  }

  // ---- data -------------------------------------------------------------------------------------

  static void load(Pool pg, long start, long end, boolean reload) {
    long expected = SYMBOLS.size() * YEAR_MINUTES;
    boolean exists =
        await(pg.query("SELECT to_regclass('ohlcv_1d') IS NOT NULL").execute())
            .iterator()
            .next()
            .getBoolean(0);
    if (exists && !reload) {
      var row =
          await(pg.query("SELECT count(*), max(time) FROM ohlcv_1m").execute()).iterator().next();
      // Reuse the data when it is complete and less than a day old (the 1d
      // query wants today's minutes).
      if (row.getLong(0) == expected && row.getOffsetDateTime(1).toEpochSecond() > end - 86_400) {
        System.out.println("data already loaded; --reload to rebuild");
        return;
      }
    }
    long t0 = System.nanoTime();
    for (Resolution r : Resolution.values())
      await(pg.query("DROP TABLE IF EXISTS " + r.table()).execute());
    for (Resolution r : Resolution.values()) {
      await(
          pg.query(
                  "CREATE TABLE "
                      + r.table()
                      + " (time timestamptz NOT NULL, symbol text NOT NULL,"
                      + " open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL,"
                      + " close double precision NOT NULL, volume double precision NOT NULL)")
              .execute());
    }
    // A smooth random walk per symbol: INSERT ... SELECT generate_series, one statement per symbol.
    for (int i = 0; i < SYMBOLS.size(); i++) {
      await(
          pg.preparedQuery(
                  "INSERT INTO ohlcv_1m (time, symbol, open, high, low, close, volume)"
                      + " SELECT t, $1, p, p * 1.001, p * 0.999, p * (1 + 0.0004 * sin(n)), 1 + (n % 97)"
                      + " FROM generate_series(0, $4::bigint - 1) AS n,"
                      + " LATERAL (SELECT to_timestamp($2::bigint + n * 60) AS t, $3::float8 * (1.2 + sin(n / 5000.0) * 0.2 + sin(n / 97.0) * 0.01) AS p) g")
              .execute(Tuple.of(SYMBOLS.get(i), start, 100.0 * (i + 1), YEAR_MINUTES)));
      System.out.printf("loaded %s%n", SYMBOLS.get(i));
    }
    await(pg.query("ALTER TABLE ohlcv_1m ADD PRIMARY KEY (symbol, time)").execute());
    // Rollups, each from the one below it, bucketed on the epoch like the API.
    Resolution below = Resolution.M1;
    for (Resolution r :
        List.of(Resolution.M5, Resolution.M15, Resolution.H1, Resolution.H4, Resolution.D1)) {
      await(
          pg.query(
                  "INSERT INTO "
                      + r.table()
                      + " SELECT to_timestamp(floor(extract(epoch FROM time) / "
                      + r.seconds()
                      + ") * "
                      + r.seconds()
                      + "),"
                      + " symbol, (array_agg(open ORDER BY time))[1], max(high), min(low), (array_agg(close ORDER BY time DESC))[1], sum(volume)"
                      + " FROM "
                      + below.table()
                      + " GROUP BY 1, 2")
              .execute());
      await(pg.query("ALTER TABLE " + r.table() + " ADD PRIMARY KEY (symbol, time)").execute());
      below = r;
    }
    await(pg.query("ANALYZE").execute());
    System.out.printf(
        "loaded %,d rows and rollups in %.0f s%n", expected, (System.nanoTime() - t0) / 1e9);
  }

  // ---- wrk --------------------------------------------------------------------------------------

  record Result(double rps, double p50Ms, double p99Ms, long non2xx) {}

  static Result wrk(String url, Path script, int threads, int connections, int duration)
      throws IOException, InterruptedException {
    run(url, script, threads, connections, 3); // warm-up (JIT, pools, page cache), discarded
    String out = run(url, script, threads, connections, duration);
    Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    Matcher p50 = Pattern.compile("50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    Matcher p99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    Matcher errors = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
    if (!rps.find() || !p50.find() || !p99.find())
      throw new IllegalStateException("unexpected wrk output:\n" + out);
    return new Result(
        Double.parseDouble(rps.group(1)),
        ms(p50),
        ms(p99),
        errors.find() ? Long.parseLong(errors.group(1)) : 0);
  }

  static String run(String url, Path script, int threads, int connections, int duration)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration + "s", "--latency"));
    if (script != null) cmd.addAll(List.of("-s", script.toString()));
    cmd.add(url);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(duration + 60L, TimeUnit.SECONDS) || p.exitValue() != 0)
      throw new IllegalStateException("wrk failed:\n" + out);
    return out;
  }

  static double ms(Matcher m) {
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }

  static void print(String name, Result r) {
    System.out.printf(
        Locale.ROOT,
        "%-46s %12.0f %10.2f %10.2f%s%n",
        name,
        r.rps,
        r.p50Ms,
        r.p99Ms,
        r.non2xx > 0 ? "   (" + r.non2xx + " non-2xx!)" : "");
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String a : args) {
      if (!a.startsWith("--")) throw new IllegalArgumentException("unknown argument " + a);
      int eq = a.indexOf('=');
      out.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
    }
    return out;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
