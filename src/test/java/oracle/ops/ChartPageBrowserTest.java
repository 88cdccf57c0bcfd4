package oracle.ops;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import oracle.common.Addresses;
import oracle.common.Candle;
import oracle.common.RedisKeys;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.deploy.VertxFactory;
import oracle.hotstore.CandleKeys;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chart page in a real browser against a real oracle: headless Chromium (Debian's package),
 * driven by playwright-core from {@code web/test/chart-page.mjs}, loads {@code GET /} from an
 * in-process oracle on Redis DB 5 and database {@code oracle_ops}; sees the loading state while the
 * market API is held back, then the seeded history drawn (candle count and candle-coloured pixels
 * on the chart's canvas), the last price with its status, confidence, staleness and quorum, its
 * sources with their weights as shares adding up to 100 %, the page's icon; then sees the open
 * candle follow new 1-minute candles published on the event bus, at 1m and folded into the open 5m
 * bucket; and after the HTTP verticle is redeployed under it, sees the stream come back and a
 * change the stream never delivered drawn from the reloaded history; and last a withheld price with
 * its reason in words and every breaker state in words. Requests leaving the oracle's origin are
 * blocked and must not happen, nor any console error or warning or response of 400 or above
 * (outside the outage the test causes); the page's API calls show in {@code /metrics} by route, as
 * the dashboard's latency panel reads them.
 */
class ChartPageBrowserTest {
  static final String CHROMIUM_INSTALL = "apt-get install -y --no-install-recommends chromium";
  private static final int HISTORY_MINUTES = 30;
  private static final long STAGE_TIMEOUT_S = 90;
  private static final String WITHHELD_SYMBOL = "ETH/USDT";

  /** A symbol of its own per run, so rows left from an earlier run never show up. */
  private final String symbol = "OPS" + randomLetters(5) + "/USDT";

  /** A configured symbol that never gets a price in this test. */
  private final String unpricedSymbol = "OPS" + randomLetters(5) + "/USDT";

  private Vertx vertx;
  private OracleDeployment oracle;
  private Redis redis;
  private Process browser;

  @BeforeEach
  void start() throws IOException {
    vertx = VertxFactory.withPrometheusMetrics();
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_OPS);
    redis = Redis.createClient(vertx, TestEnv.redisUrl(TestEnv.REDIS_DB_OPS));
  }

  @AfterEach
  void stop() {
    if (browser != null && browser.isAlive()) browser.destroyForcibly();
    try {
      if (oracle != null) await(oracle.stop());
    } finally {
      deleteRows();
      redis.close();
      await(vertx.close());
    }
  }

  @Test
  void pageDrawsHistoryAndFollowsTheOpenCandle() throws Exception {
    Path chromium = Tools.require("chromium", CHROMIUM_INSTALL, "/usr/bin/chromium");
    Path node =
        Tools.require(
            "node", "apt-get install -y --no-install-recommends nodejs npm", "/usr/bin/node");
    Path playwright = Tools.root().resolve("web/node_modules/playwright-core/package.json");
    if (!Files.exists(playwright))
      fail(
          "web/node_modules is missing: the build's npm ci step (mvn generate-resources) installs it");

    int port = freePort();
    resetDatabase();
    oracle = new OracleDeployment(vertx, AppSettings.from(config(port)));
    await(oracle.start());
    ensureCandleTables();

    long now = RedisKeys.minuteOf(System.currentTimeMillis());
    List<Candle> minutes = seedHistory(now);
    seedPrice();
    seedWithheldPrice();

    ProcessBuilder pb =
        new ProcessBuilder(
                node.toString(),
                "web/test/chart-page.mjs",
                "http://127.0.0.1:" + port,
                symbol,
                "target")
            .directory(Tools.root().toFile())
            .redirectError(Tools.root().resolve("target/chart-page-node.log").toFile());
    pb.environment().put("CHROMIUM", chromium.toString());
    browser = pb.start();
    BlockingQueue<JsonObject> reports = readReports(browser);
    Writer toBrowser = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8);

    // ---- before the data: the market API is held back, the page says it is loading
    JsonObject loading = stage(reports, "loading");
    assertThat(loading.getBoolean("loading")).isTrue();
    assertThat(loading.getBoolean("loadingShown")).as("loading notice shown").isTrue();
    assertThat(loading.getString("loadingText")).startsWith("Loading");
    assertThat(loading.getJsonObject("priceFields").getMap())
        .containsExactly(java.util.Map.entry("price", "loading…"));
    assertThat(loading.getInteger("candleCount")).isZero();

    // ---- 1m history
    JsonObject h1 = stage(reports, "history-1m");
    assertThat(h1.getBoolean("loadingShown")).as("loading notice once the data is there").isFalse();
    JsonObject fields = h1.getJsonObject("priceFields");
    assertThat(fields.getString("price")).isEqualTo("64,000.50");
    assertThat(fields.getString("status")).isEqualTo("published");
    assertThat(fields.getString("confidence")).isEqualTo("± 0.75 (0.0012 %)");
    assertThat(fields.getString("stale")).isEqualTo("no");
    assertThat(fields.getString("sources needed")).isEqualTo("2");
    assertThat(fields.getString("method")).isEqualTo("vwap");
    // 1.5e9, 4e8 and 5e5 of 1.9005e9: 78.927 %, 21.047 % and 0.026 % (shown as such, counted as
    // 0); rounded by the largest remainder so the shown shares add up to 100 %
    assertThat(h1.getJsonArray("sourcesUsed").encode())
        .isEqualTo(
            "[[\"binance\",\"64,000.50\",\"78.9 %\"],[\"coinbase\",\"64,001.00\",\"21.1 %\"],"
                + "[\"upbit\",\"64,002.00\",\"< 0.1 %\"]]");
    assertThat(sharesTotal(h1.getJsonArray("sourcesUsed"))).isEqualTo(100.0, within(1e-9));
    JsonObject icon = h1.getJsonObject("icon");
    assertThat(icon.getString("href")).isEqualTo("/ui/favicon.svg");
    assertThat(icon.getInteger("status")).as("the favicon request").isEqualTo(200);
    assertThat(icon.getString("type")).startsWith("image/svg+xml");
    assertThat(h1.getJsonArray("errors")).as("page errors").isEmpty();
    assertThat(h1.getInteger("candleCount")).isEqualTo(HISTORY_MINUTES);
    assertThat(h1.getString("candleCountText")).isEqualTo(String.valueOf(HISTORY_MINUTES));
    assertThat(h1.getInteger("candlePixels"))
        .as("candle-coloured pixels on the chart")
        .isGreaterThan(200);
    assertThat(h1.getJsonArray("symbols").getList()).contains(symbol, "ETH/USDT");
    assertCandle(h1.getJsonObject("lastCandle"), minutes.get(minutes.size() - 1));
    assertThat(h1.getJsonArray("sourcesUsed").encode())
        .contains("binance")
        .contains("coinbase")
        .contains("64,000.50");
    assertThat(h1.getJsonArray("sourcesDropped").encode())
        .isEqualTo("[[\"kraken\",\"outlier: far from the other sources\"]]");
    assertThat(h1.getString("priceText")).contains("vwap");
    JsonArray healthExchanges = h1.getJsonArray("healthExchanges");
    if (healthExchanges != null) {
      for (Object name : healthExchanges)
        assertThat(h1.getJsonArray("exchangesShown").encode()).contains((String) name);
    }

    // ---- a new price moves the open 1m candle
    Candle last = minutes.get(minutes.size() - 1);
    Candle update1 =
        new Candle(
            symbol,
            last.time(),
            last.open(),
            last.high() + 250.25,
            last.low(),
            last.high() + 250.25,
            last.volume() + 3.5,
            System.currentTimeMillis(),
            0);
    publish(update1);
    send(toBrowser, new JsonObject().put("close", update1.close()));
    JsonObject l1 = stage(reports, "live-1m");
    assertCandle(l1.getJsonObject("lastCandle"), update1);
    assertThat(l1.getInteger("candleCount")).isEqualTo(HISTORY_MINUTES);
    assertThat(l1.getInteger("streamEvents")).isGreaterThanOrEqualTo(1);

    // ---- 5m: history bucketed by the API, the live minute folded into the open bucket
    long bucket = Math.floorDiv(last.time(), 300L) * 300L;
    List<Candle> current = new ArrayList<>(minutes.subList(0, minutes.size() - 1));
    current.add(update1);
    long buckets = current.stream().map(c -> Math.floorDiv(c.time(), 300L)).distinct().count();
    JsonObject h5 = stage(reports, "history-5m");
    assertThat(h5.getInteger("candleCount")).isEqualTo((int) buckets);
    assertBucket(h5.getJsonObject("lastCandle"), bucket, current);

    Candle update2 =
        new Candle(
            symbol,
            last.time(),
            last.open(),
            update1.high(),
            last.low() - 100.75,
            last.low() - 100.75,
            update1.volume() + 7.25,
            System.currentTimeMillis(),
            0);
    publish(update2);
    send(toBrowser, new JsonObject().put("close", update2.close()));
    JsonObject l5 = stage(reports, "live-5m");
    current.set(current.size() - 1, update2);
    assertBucket(l5.getJsonObject("lastCandle"), bucket, current);
    assertThat(l5.getInteger("candlePixels")).isGreaterThan(200);
    assertThat(l5.getJsonArray("consoleErrors"))
        .as("console errors and warnings while the oracle was up")
        .isEmpty();
    assertThat(l5.getJsonArray("badResponses")).as("responses of 400 or above").isEmpty();

    // ---- a change the stream never delivers shows after the stream reconnects (HTTP redeployed)
    Candle update3 =
        new Candle(
            symbol,
            last.time(),
            last.open(),
            update1.high() + 1.5,
            update2.low(),
            update1.high() + 1.5,
            update2.volume() + 1.0,
            System.currentTimeMillis(),
            0);
    await(redis.send(hset(update3)));
    send(toBrowser, new JsonObject().put("close", update3.close()));
    long t0 = System.nanoTime();
    // Bounded above the HTTP server's 30 s shutdown grace, which an open SSE stream may use up.
    oracle
        .registry()
        .redeploy(OracleDeployment.HTTP)
        .toCompletionStage()
        .toCompletableFuture()
        .get(75, TimeUnit.SECONDS);
    System.out.printf(
        "HTTP verticle redeployed with an open SSE stream in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    JsonObject reconnected = stage(reports, "reconnected");
    System.out.printf(
        "page saw the stream drop after %d ms and was live again after %d ms%n",
        reconnected.getLong("downAfterMs"), reconnected.getLong("backAfterMs"));
    assertThat(reconnected.getString("whileDown")).isIn("reconnecting", "closed");
    current.set(current.size() - 1, update3);
    assertBucket(reconnected.getJsonObject("lastCandle"), bucket, current);

    // ---- a withheld price says why; breakers in words (two states added to the real answer)
    awaitHealthReports("binance", port);
    send(
        toBrowser,
        new JsonObject()
            .put("symbol", WITHHELD_SYMBOL)
            .put(
                "exchanges",
                new JsonObject().put("zz-cut-off", "OPEN").put("zz-probing", "HALF_OPEN")));
    JsonObject w = stage(reports, "withheld");
    JsonObject wf = w.getJsonObject("priceFields");
    assertThat(wf.getString("price")).isEqualTo("withheld");
    assertThat(wf.getString("status"))
        .isEqualTo(
            "withheld: the sources disagree (fewer than 2 agree within the allowed divergence)");
    assertThat(wf.getString("last agreed")).startsWith("3,000.25 at ");
    assertThat(wf.getString("stale")).isEqualTo("yes");
    assertThat(wf.getString("sources needed")).isEqualTo("2");
    assertThat(wf.getString("confidence")).isEqualTo("± 1.50 (0.050 %)");
    assertThat(w.getString("usedTitle")).isEqualTo("Sources heard this tick");
    assertThat(w.getJsonArray("sourcesUsed").encode())
        .isEqualTo(
            "[[\"binance\",\"3,000.50\",\"66.7 %\"],[\"coinbase\",\"3,090.00\",\"33.3 %\"],"
                + "[\"okx\",\"3,001.00\",\"—\"]]");
    assertThat(sharesTotal(w.getJsonArray("sourcesUsed"))).isEqualTo(100.0, within(1e-9));
    assertThat(w.getJsonArray("sourcesDropped").encode())
        .isEqualTo("[[\"kraken\",\"diverged: outside the allowed band around the median\"]]");
    assertThat(w.getJsonObject("exchangeStates").getMap())
        .containsExactly(
            java.util.Map.entry("binance", "healthy"),
            java.util.Map.entry("zz-cut-off", "cut off"),
            java.util.Map.entry("zz-probing", "probing"));
    assertThat(w.getString("healthSummary")).contains("1/3 healthy");

    // ---- no price yet: the page says so (and the console stays empty, checked below)
    send(toBrowser, new JsonObject().put("symbol", unpricedSymbol));
    JsonObject none = stage(reports, "no-price");
    assertThat(none.getJsonObject("priceFields").getMap())
        .containsExactly(java.util.Map.entry("price", "no price yet"));
    assertThat(none.getBoolean("loadingShown")).isFalse();

    JsonObject done = stage(reports, "done");
    assertThat(done.getJsonArray("consoleErrors"))
        .as("console errors and warnings after the oracle came back")
        .isEmpty();
    assertThat(done.getJsonArray("badResponses")).as("responses of 400 or above").isEmpty();
    for (Object r : done.getJsonArray("iconResponses"))
      assertThat((String) r).as("the browser's own icon request").startsWith("200 ");
    assertThat(done.getJsonArray("external"))
        .as("requests that left the oracle's origin")
        .isEmpty();
    assertThat(done.getJsonArray("pageErrors")).as("uncaught errors in the page").isEmpty();
    assertThat(browser.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(browser.exitValue()).isZero();

    // The dashboard's API latency panel groups by route: the page's requests are there, by route.
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .containsPattern("oracle_api_duration_seconds_bucket\\{[^}]*route=\"/api/v1/market/ohlcv\"")
        .containsPattern(
            "oracle_api_duration_seconds_bucket\\{[^}]*route=\"/api/v1/market/prices\"")
        .contains("oracle_is_leader");
  }

  private JsonObject config(int port) {
    JsonObject json = TestEnv.baseConfig(TestEnv.REDIS_DB_OPS, "oracle_ops");
    json.put("instanceId", "ops-browser-" + ProcessHandle.current().pid());
    json.getJsonObject("http").put("port", port);
    json.put("symbols", new JsonArray().add(symbol).add(WITHHELD_SYMBOL).add(unpricedSymbol));
    // No exchange is reachable: the page's data comes from what the test writes.
    json.put("exchanges", new JsonArray().add("binance"));
    json.put(
        "sources",
        new JsonObject().put("binance", new JsonObject().put("url", "http://127.0.0.1:9")));
    // The breaker stays closed (a failed poll then reports nothing), so no
    // tick withholds the seeded
    // prices; prices stay fresh for the whole run.
    json.getJsonObject("sources")
        .getJsonObject("binance")
        .put("breaker", new JsonObject().put("maxFailures", 1000));
    json.put("ingestion", new JsonObject().put("stalenessMs", 600_000));
    json.put("rateLimit", new JsonObject().put("requests", 10_000));
    return json;
  }

  /**
   * {@value #HISTORY_MINUTES} closed-and-open minutes up to {@code now}, as the aggregation writes
   * them.
   */
  private List<Candle> seedHistory(long now) {
    List<Candle> candles = new ArrayList<>();
    List<Request> writes = new ArrayList<>();
    double close = 64_000.0;
    for (int i = HISTORY_MINUTES - 1; i >= 0; i--) {
      long t = now - i * 60L;
      double open = close;
      close = open + ((i % 3) - 1) * 12.5 + (i % 5);
      Candle c =
          new Candle(
              symbol,
              t,
              open,
              Math.max(open, close) + 4.0,
              Math.min(open, close) - 3.0,
              close,
              1.0 + i * 0.5,
              // Never dated in the future, as the aggregation never writes a future updated_at: the
              // page keeps the newest update of a minute, and a seed dated ahead would outrank the
              // live update the test publishes (and echoed by the withheld-price ticks) for up to
              // 30 s.
              Math.min(t * 1000 + 30_000, System.currentTimeMillis() - 1_000),
              0);
      candles.add(c);
      writes.add(hset(c));
    }
    await(redis.batch(writes));
    return candles;
  }

  private void seedPrice() {
    JsonObject price =
        new JsonObject()
            .put("symbol", symbol)
            .put("price", 64_000.5)
            .put("timestamp", System.currentTimeMillis())
            .put("method", "vwap")
            .put("confidence", 0.75)
            .put("dispersion", 0.0004)
            .put("minSources", 2)
            .put(
                "sourcesUsed",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("exchange", "binance")
                            .put("price", 64_000.5)
                            .put("weight", 1.5e9))
                    .add(
                        new JsonObject()
                            .put("exchange", "coinbase")
                            .put("price", 64_001.0)
                            .put("weight", 4.0e8))
                    .add(
                        new JsonObject()
                            .put("exchange", "upbit")
                            .put("price", 64_002.0)
                            .put("weight", 5.0e5)))
            .put(
                "sourcesDropped",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("exchange", "kraken")
                            .put("reason", "outlier")
                            .put("price", 70_000.0)))
            .put("status", "ok")
            .put("stale", false);
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.price(symbol)).arg(price.encode())));
  }

  /**
   * The second symbol's price as a tick without quorum leaves it: the last agreed price, then the
   * status members ({@code Aggregator.Result#withheldTail}) naming this tick's sources.
   */
  private void seedWithheldPrice() {
    long now = System.currentTimeMillis();
    JsonObject price =
        new JsonObject()
            .put("symbol", WITHHELD_SYMBOL)
            .put("price", 3_000.25)
            .put("timestamp", now - 20_000)
            .put("method", "median")
            .put("confidence", 1.5)
            .put("dispersion", 0.001)
            .put("minSources", 2)
            .put("sourcesUsed", new JsonArray())
            .put("sourcesDropped", new JsonArray())
            .put("status", "diverged")
            .put("stale", true)
            .put("statusAt", now)
            .put(
                "statusSources",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("exchange", "binance")
                            .put("price", 3_000.5)
                            .put("weight", 2.0e8))
                    .add(
                        new JsonObject()
                            .put("exchange", "coinbase")
                            .put("price", 3_090.0)
                            .put("weight", 1.0e8))
                    .add(new JsonObject().put("exchange", "okx").put("price", 3_001.0))
                    .add(
                        new JsonObject()
                            .put("exchange", "kraken")
                            .put("reason", "diverged")
                            .put("price", 3_200.0)));
    await(
        redis.send(
            Request.cmd(Command.SET).arg(RedisKeys.price(WITHHELD_SYMBOL)).arg(price.encode())));
  }

  /** The sum of the share column's percentages ("< 0.1 %" counts as 0, "—" is no share). */
  private static double sharesTotal(JsonArray rows) {
    double sum = 0;
    for (Object row : rows) {
      String share = ((JsonArray) row).getString(2);
      if (share.endsWith(" %") && !share.startsWith("<"))
        sum += Double.parseDouble(share.replace(" %", ""));
    }
    return sum;
  }

  /** Until {@code /api/v1/health} names the exchange (this instance leads and polls it). */
  private static void awaitHealthReports(String exchange, int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      JsonObject exchanges = new JsonObject(body).getJsonObject("exchanges");
      if (exchanges != null && exchanges.containsKey(exchange)) return;
      Thread.sleep(200);
    }
    fail("/api/v1/health never named " + exchange);
  }

  /** What the aggregation does on a tick: the Redis candle first, then the event-bus update. */
  private void publish(Candle c) {
    await(redis.send(hset(c)));
    vertx.eventBus().publish(Addresses.candle(symbol), c.toJson());
  }

  private static Request hset(Candle c) {
    return Request.cmd(Command.HSET)
        .arg(CandleKeys.candle(c.symbol(), c.time()))
        .arg("open")
        .arg(Double.toString(c.open()))
        .arg("high")
        .arg(Double.toString(c.high()))
        .arg("low")
        .arg(Double.toString(c.low()))
        .arg("close")
        .arg(Double.toString(c.close()))
        .arg("volume")
        .arg(Double.toString(c.volume()))
        .arg("updated_at")
        .arg(Long.toString(c.updatedAt()));
  }

  private static void assertCandle(JsonObject shown, Candle expected) {
    assertThat(shown).as("the chart's last candle").isNotNull();
    assertThat(shown.getLong("time")).isEqualTo(expected.time());
    assertThat(shown.getDouble("open")).isEqualTo(expected.open());
    assertThat(shown.getDouble("high")).isEqualTo(expected.high());
    assertThat(shown.getDouble("low")).isEqualTo(expected.low());
    assertThat(shown.getDouble("close")).isEqualTo(expected.close());
    assertThat(shown.getDouble("volume")).isCloseTo(expected.volume(), within(1e-9));
  }

  /**
   * The open 5m bucket must be exactly its minutes folded: first open, max high, min low, last
   * close, summed volume.
   */
  private static void assertBucket(JsonObject shown, long bucket, List<Candle> minutes) {
    List<Candle> in =
        minutes.stream().filter(c -> c.time() >= bucket && c.time() < bucket + 300).toList();
    assertThat(shown).as("the chart's last candle").isNotNull();
    assertThat(shown.getLong("time")).isEqualTo(bucket);
    assertThat(shown.getDouble("open")).isEqualTo(in.get(0).open());
    assertThat(shown.getDouble("high"))
        .isEqualTo(in.stream().mapToDouble(Candle::high).max().orElseThrow());
    assertThat(shown.getDouble("low"))
        .isEqualTo(in.stream().mapToDouble(Candle::low).min().orElseThrow());
    assertThat(shown.getDouble("close")).isEqualTo(in.get(in.size() - 1).close());
    assertThat(shown.getDouble("volume"))
        .isCloseTo(in.stream().mapToDouble(Candle::volume).sum(), within(1e-6));
  }

  private static BlockingQueue<JsonObject> readReports(Process p) {
    BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  String l = line.trim();
                  if (l.startsWith("{")) queue.add(new JsonObject(l));
                }
              } catch (IOException | RuntimeException e) {
                queue.add(
                    new JsonObject()
                        .put("stage", "error")
                        .put("message", "reading the browser script: " + e));
              }
              queue.add(new JsonObject().put("stage", "exit"));
            },
            "chart-page-reader");
    reader.setDaemon(true);
    reader.start();
    return queue;
  }

  private static JsonObject stage(BlockingQueue<JsonObject> reports, String name) throws Exception {
    JsonObject r = reports.poll(STAGE_TIMEOUT_S, TimeUnit.SECONDS);
    if (r == null)
      fail(
          "no '" + name + "' report from the browser within " + STAGE_TIMEOUT_S + " s" + nodeLog());
    if (!name.equals(r.getString("stage")))
      fail("expected stage '" + name + "', got " + r.encodePrettily() + nodeLog());
    return r;
  }

  private static String nodeLog() {
    try {
      return "\nnode stderr:\n"
          + Files.readString(Tools.root().resolve("target/chart-page-node.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static void send(Writer w, JsonObject o) throws IOException {
    w.write(o.encode() + "\n");
    w.flush();
  }

  private Pool pg() {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(1))
        .connectingTo(PgConnectOptions.fromUri(TestEnv.pgUrl("oracle_ops")))
        .using(vertx)
        .build();
  }

  /** A clean slate in this area's own database, so the oracle's storage starts from nothing. */
  private void resetDatabase() {
    Pool pg = pg();
    try {
      await(pg.query("DROP SCHEMA IF EXISTS public CASCADE").execute());
      await(pg.query("CREATE SCHEMA public").execute());
    } finally {
      await(pg.close());
    }
  }

  /**
   * The candle tables the API reads. The storage area's migrations create them when the oracle
   * starts (asynchronously); where this build has no migrations yet, the contract's columns are
   * created here.
   */
  private void ensureCandleTables() throws InterruptedException {
    Pool pg = pg();
    try {
      boolean migrates = isPresent("oracle.storage.Migrator");
      for (int i = 0; migrates && i < 100 && !tableExists(pg, "ohlcv_1d"); i++) Thread.sleep(200);
      if (tableExists(pg, "ohlcv_1d")) return;
      for (String table :
          List.of("ohlcv_1m", "ohlcv_5m", "ohlcv_15m", "ohlcv_1h", "ohlcv_4h", "ohlcv_1d")) {
        await(
            pg.query(
                    "CREATE TABLE IF NOT EXISTS "
                        + table
                        + " (time timestamptz NOT NULL, symbol text NOT NULL,"
                        + " open double precision NOT NULL, high double precision NOT NULL, low double precision NOT NULL,"
                        + " close double precision NOT NULL, volume double precision NOT NULL, PRIMARY KEY (symbol, time))")
                .execute());
      }
    } finally {
      await(pg.close());
    }
  }

  private static boolean tableExists(Pool pg, String name) {
    return await(
                pg.preparedQuery(
                        "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1")
                    .execute(Tuple.of(name)))
            .size()
        > 0;
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Best effort: the rows the oracle's flush may have written for this run's symbol. */
  private void deleteRows() {
    Pool pg = pg();
    try {
      for (Row row :
          await(
              pg.query(
                      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                          + " AND table_type = 'BASE TABLE' AND table_name LIKE 'ohlcv\\_%'")
                  .execute())) {
        String table = row.getString(0);
        if (!table.matches("ohlcv_[a-z0-9]+")) continue;
        await(
            pg.preparedQuery("DELETE FROM " + table + " WHERE symbol = $1")
                .execute(Tuple.of(symbol)));
      }
    } catch (RuntimeException e) {
      // nothing was written (no schema yet) or the table is not deletable; the unique symbol keeps
      // runs apart anyway
    } finally {
      await(pg.close());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String randomLetters(int n) {
    Random r = new Random();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append((char) ('A' + r.nextInt(26)));
    return sb.toString().toUpperCase(Locale.ROOT);
  }
}
