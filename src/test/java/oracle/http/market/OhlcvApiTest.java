package oracle.http.market;

import static oracle.http.ApiTestEnv.minute;
import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import oracle.common.RedisKeys;
import oracle.http.ApiTestEnv;
import oracle.http.HttpVerticle;
import oracle.storage.Resolution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** OHLCV end to end: real HTTP, candles from PostgreSQL (oracle_api) and Redis (DB 4). */
class OhlcvApiTest {
  /** 2024-01-01T00:00:00Z: old enough that Redis never holds it. */
  static final long T0 = 1_704_067_200L;

  /**
   * Other tests' history ten and twenty days later: the closed-history cache keeps blocks between
   * tests.
   */
  static final long T1 = T0 + 10 * 86_400L;

  static final long T2 = T0 + 20 * 86_400L;
  static final String BTC = "BTC/USDT";

  static Vertx vertx;
  static Pool pg;
  static Redis redis;
  static WebClient client;
  static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    pg = ApiTestEnv.pg(vertx);
    redis = ApiTestEnv.redis(vertx);
    ApiTestEnv.createSchema(pg);
    // One extra symbol per resolution: the closed-history cache keeps blocks between tests, so each
    // resolution's test gets history no other test wrote.
    JsonArray symbols = new JsonArray(new ArrayList<>(ApiTestEnv.SYMBOLS));
    for (Resolution r : Resolution.values()) symbols.add(resolutionSymbol(r));
    HttpVerticle http = ApiTestEnv.deploy(vertx, ApiTestEnv.config().put("symbols", symbols));
    port = http.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @BeforeEach
  void clean() {
    ApiTestEnv.clear(vertx, pg);
  }

  static String resolutionSymbol(Resolution r) {
    return "RES" + r.name() + "/USDT";
  }

  static HttpResponse<Buffer> get(String uri) {
    return await(client.get(port, "127.0.0.1", uri).send());
  }

  static JsonObject getOk(String uri) {
    HttpResponse<Buffer> r = get(uri);
    assertThat(r.statusCode()).as(uri + " -> " + r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("application/json");
    return r.bodyAsJsonObject();
  }

  static long nowMinute() {
    return RedisKeys.minuteOf(System.currentTimeMillis());
  }

  static List<Bar> bars(JsonArray candles) {
    List<Bar> out = new ArrayList<>();
    for (int i = 0; i < candles.size(); i++) {
      JsonObject c = candles.getJsonObject(i);
      // A 1-minute candle also says its trade count and origin (these tests' minutes: unknown,
      // live).
      if (c.containsKey("origin")) {
        assertThat(c.fieldNames())
            .containsExactlyInAnyOrder(
                "time", "open", "high", "low", "close", "volume", "trades", "origin", "closed");
        assertThat(c.getValue("trades")).isNull();
        assertThat(c.getString("origin")).isEqualTo("live");
      } else {
        assertThat(c.fieldNames())
            .containsExactlyInAnyOrder("time", "open", "high", "low", "close", "volume", "closed");
      }
      out.add(
          new Bar(
              c.getLong("time"),
              c.getDouble("open"),
              c.getDouble("high"),
              c.getDouble("low"),
              c.getDouble("close"),
              c.getDouble("volume")));
    }
    return out;
  }

  /**
   * The candle bodies are pooled direct buffers the handler frees once written: every one is freed,
   * whatever the client does (plain, gzip, HEAD, gone before the answer).
   */
  @Test
  void pooledBodiesAreReleasedWhateverTheClientDoes() throws Exception {
    List<Bar> stored = new ArrayList<>();
    for (int i = 0; i < 3000; i++) stored.add(minute(T2 + 40 * 86_400L + i * 60L, 30_000));
    ApiTestEnv.insert(pg, Resolution.M1, BTC, stored);
    String uri =
        "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=3000&from=" + (T2 + 40 * 86_400L);
    Buffer plain = get(uri).body();
    assertThat(new JsonObject(plain).getJsonArray("candles")).hasSize(3000);

    io.vertx.core.http.HttpClient raw =
        vertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions().setDecompressionSupported(false));
    for (int i = 0; i < 20; i++) {
      Buffer gzipped =
          await(
              raw.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", uri)
                  .compose(
                      req ->
                          req.putHeader("accept-encoding", "gzip")
                              .send()
                              .compose(
                                  resp -> {
                                    assertThat(resp.getHeader("content-encoding"))
                                        .isEqualTo("gzip");
                                    return resp.body();
                                  })));
      try (var in =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.getBytes()))) {
        assertThat(Buffer.buffer(in.readAllBytes())).isEqualTo(plain);
      }
      var head = await(client.head(port, "127.0.0.1", uri).send());
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isNull();
      // A client that asks and leaves at once.
      io.vertx.core.net.NetSocket socket =
          await(vertx.createNetClient().connect(port, "127.0.0.1"));
      await(socket.write("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
      await(socket.close());
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (MarketApi.BODIES_IN_FLIGHT.get() != 0 && System.currentTimeMillis() < deadline)
      Thread.sleep(20);
    assertThat(MarketApi.BODIES_IN_FLIGHT.get()).isZero();
    await(raw.close());
  }

  @Test
  void historyComesFromTheDatabase() {
    List<Bar> stored = new ArrayList<>();
    for (int i = 0; i < 10; i++) stored.add(minute(T0 + i * 60L, 40_000));
    ApiTestEnv.insert(pg, Resolution.M1, BTC, stored);

    JsonObject body =
        getOk(
            "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=" + T0 + "&to=" + (T0 + 540));

    assertThat(body.fieldNames())
        .containsExactlyInAnyOrder(
            "symbol", "resolution", "candles", "nextFrom", "gaps", "partial");
    assertThat(body.getString("symbol")).isEqualTo(BTC);
    assertThat(body.getString("resolution")).isEqualTo("1m");
    assertThat(body.getValue("nextFrom")).isNull();
    assertThat(bars(body.getJsonArray("candles"))).isEqualTo(stored);
  }

  @Test
  void oneMinuteCandlesSayTheirTradesAndOriginStoredAndHotAndRollupsDoNot() {
    long t = T2 + 100 * 86_400L; // history no other test reads (the block cache outlives tests)
    ApiTestEnv.insert(
        pg, Resolution.M1, BTC, List.of(minute(t, 1), minute(t + 60, 1), minute(t + 120, 1)));
    await(
        pg.preparedQuery(
                "UPDATE ohlcv_1m SET trades = CASE time WHEN to_timestamp($2) THEN 12 WHEN to_timestamp($2 + 120) THEN 5 END, "
                    + "origin = CASE time WHEN to_timestamp($2) THEN 'repaired' WHEN to_timestamp($2 + 60) THEN 'backfill' END "
                    + "WHERE symbol = $1")
            .execute(io.vertx.sqlclient.Tuple.of(BTC, t)));
    JsonArray stored =
        getOk("/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=" + t + "&to=" + (t + 120))
            .getJsonArray("candles");
    assertThat(stored).hasSize(3);
    assertThat(stored.getJsonObject(0).getLong("trades")).isEqualTo(12L);
    assertThat(stored.getJsonObject(0).getString("origin")).isEqualTo("repaired");
    assertThat(stored.getJsonObject(1).getValue("trades")).isNull();
    assertThat(stored.getJsonObject(1).getString("origin")).isEqualTo("backfill");
    assertThat(stored.getJsonObject(2).getLong("trades")).isEqualTo(5L);
    assertThat(stored.getJsonObject(2).getString("origin")).isEqualTo("live");

    long n = nowMinute();
    ApiTestEnv.putHot(redis, BTC, minute(n - 60, 2));
    ApiTestEnv.putHot(redis, BTC, minute(n, 2));
    await(
        redis.send(
            io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HSET)
                .arg(oracle.hotstore.CandleKeys.candle(BTC, n - 60))
                .arg("trades")
                .arg("9")
                .arg("origin")
                .arg("repaired")
                .arg("final")
                .arg("1")));
    await(
        redis.send(
            io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HSET)
                .arg(oracle.hotstore.CandleKeys.candle(BTC, n))
                .arg("trades")
                .arg("7")));
    JsonArray hot =
        getOk("/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=" + (n - 60))
            .getJsonArray("candles");
    assertThat(hot).hasSize(2);
    assertThat(hot.getJsonObject(0).getLong("trades")).isEqualTo(9L);
    assertThat(hot.getJsonObject(0).getString("origin")).isEqualTo("repaired");
    assertThat(hot.getJsonObject(1).getLong("trades")).isEqualTo(7L);
    assertThat(hot.getJsonObject(1).getString("origin")).isEqualTo("live");
    // a rollup bucket (here folded from the hot minutes) has neither
    JsonArray buckets =
        getOk(
                "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=5m&from="
                    + Resolution.M5.bucketStart(n - 60))
            .getJsonArray("candles");
    assertThat(buckets).isNotEmpty();
    for (int i = 0; i < buckets.size(); i++)
      assertThat(buckets.getJsonObject(i).fieldNames()).doesNotContain("trades", "origin");
  }

  @Test
  void theCurrentCandleComesFromRedis() {
    long n = nowMinute();
    Bar live = minute(n, 41_000);
    ApiTestEnv.putHot(redis, BTC, live);

    List<Bar> candles =
        bars(getOk("/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m").getJsonArray("candles"));

    assertThat(candles).isNotEmpty();
    assertThat(candles.get(candles.size() - 1)).isEqualTo(live);
  }

  @Test
  void theBoundaryHasNoDuplicateNoGapAndTheHotCandleWins() {
    long n = nowMinute();
    List<Bar> stored = new ArrayList<>();
    for (long t = n - 300; t <= n - 120; t += 60) stored.add(minute(t, 40_000));
    ApiTestEnv.insert(pg, Resolution.M1, BTC, stored);
    Bar hotOverlap = minute(n - 120, 50_000);
    ApiTestEnv.putHot(redis, BTC, hotOverlap);
    ApiTestEnv.putHot(redis, BTC, minute(n - 60, 50_000));
    ApiTestEnv.putHot(redis, BTC, minute(n, 50_000));

    List<Bar> candles =
        bars(
            getOk("/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=" + (n - 300))
                .getJsonArray("candles"));

    assertThat(candles)
        .extracting(Bar::time)
        .containsExactly(n - 300, n - 240, n - 180, n - 120, n - 60, n);
    assertThat(candles.subList(0, 3)).isEqualTo(stored.subList(0, 3));
    assertThat(candles.get(3)).isEqualTo(hotOverlap);
    assertThat(candles.get(5)).isEqualTo(minute(n, 50_000));
  }

  /**
   * Every resolution: closed buckets from its table; buckets overlapping the last hour rebuilt from
   * their stored minutes plus the hot ones (a stale rollup row for the open bucket must not show).
   */
  @ParameterizedTest
  @EnumSource(Resolution.class)
  void eachResolutionMergesItsOpenBucketWithTheHotMinutes(Resolution r) {
    String symbol = resolutionSymbol(r);
    long n = nowMinute();
    long size = r.seconds();
    long b = r.bucketStart(n);
    long first = b - 2 * size;
    TreeMap<Long, Bar> storedMinutes = new TreeMap<>();
    TreeMap<Long, Bar> rollups = new TreeMap<>();
    TreeMap<Long, Bar> hot = new TreeMap<>();
    if (r == Resolution.M1) {
      for (long t = n - 300; t <= n - 120; t += 60) storedMinutes.put(t, minute(t, 300));
      first = n - 300;
    } else {
      rollups.put(b - 2 * size, new Bar(b - 2 * size, 100, 110, 90, 105, 7));
      rollups.put(b - size, new Bar(b - size, 200, 210, 190, 205, 8));
      rollups.put(b, new Bar(b, 999, 999, 999, 999, 999)); // stale: the open bucket is rebuilt
      for (long t = b - size; t <= n - 120; t += 60) storedMinutes.put(t, minute(t, 300));
      ApiTestEnv.insert(pg, r, symbol, new ArrayList<>(rollups.values()));
    }
    ApiTestEnv.insert(pg, Resolution.M1, symbol, new ArrayList<>(storedMinutes.values()));
    for (long t = n - 120; t <= n; t += 60) {
      hot.put(t, minute(t, 500));
      ApiTestEnv.putHot(redis, symbol, hot.get(t));
    }

    List<Bar> candles =
        bars(
            getOk(
                    "/api/v1/market/ohlcv?symbol="
                        + symbol
                        + "&resolution="
                        + r.label()
                        + "&from="
                        + first)
                .getJsonArray("candles"));

    List<Bar> expected = expected(r, first, n, storedMinutes, hot, rollups);
    assertThat(candles)
        .extracting(Bar::time)
        .containsExactlyElementsOf(expected.stream().map(Bar::time).toList());
    for (int i = 0; i < expected.size(); i++) {
      Bar e = expected.get(i), c = candles.get(i);
      assertThat(c.open()).as("open %s", c.time()).isEqualTo(e.open());
      assertThat(c.high()).as("high %s", c.time()).isEqualTo(e.high());
      assertThat(c.low()).as("low %s", c.time()).isEqualTo(e.low());
      assertThat(c.close()).as("close %s", c.time()).isEqualTo(e.close());
      assertThat(c.volume()).as("volume %s", c.time()).isCloseTo(e.volume(), within(1e-9));
    }
    Bar last = candles.get(candles.size() - 1);
    assertThat(last.time()).isEqualTo(b);
    assertThat(last.close()).isEqualTo(hot.get(n).close());
  }

  /**
   * The specification, written plainly: hot minutes win; buckets touching the last hour fold their
   * minutes.
   */
  static List<Bar> expected(
      Resolution r,
      long first,
      long n,
      Map<Long, Bar> storedMinutes,
      Map<Long, Bar> hot,
      Map<Long, Bar> rollups) {
    TreeMap<Long, Bar> minutes = new TreeMap<>(storedMinutes);
    minutes.putAll(hot);
    long hotStart = n - 59 * 60;
    List<Bar> out = new ArrayList<>();
    for (long bucket = r.bucketStart(first); bucket <= r.bucketStart(n); bucket += r.seconds()) {
      Bar folded = null;
      if (bucket + r.seconds() - 60 >= hotStart || r == Resolution.M1) {
        for (Bar m : minutes.subMap(bucket, bucket + r.seconds()).values()) {
          Bar at = new Bar(bucket, m.open(), m.high(), m.low(), m.close(), m.volume());
          folded = folded == null ? at : folded.then(at);
        }
      }
      if (folded == null) folded = rollups.get(bucket);
      if (folded != null) out.add(folded);
    }
    return out;
  }

  @Test
  void aRangeBeyondTheLimitIsPagedWithNextFrom() {
    List<Bar> stored = new ArrayList<>();
    for (int i = 0; i < 25; i++) stored.add(minute(T1 + i * 60L, 40_000));
    ApiTestEnv.insert(pg, Resolution.M1, BTC, stored);

    List<Bar> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    Object next = T1;
    while (next != null) {
      JsonObject page =
          getOk(
              "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=10&from="
                  + next
                  + "&to="
                  + (T1 + 3600));
      List<Bar> bars = bars(page.getJsonArray("candles"));
      pageSizes.add(bars.size());
      seen.addAll(bars);
      next = page.getValue("nextFrom");
      if (next != null)
        assertThat(((Number) next).longValue()).isEqualTo(bars.get(bars.size() - 1).time() + 60);
    }
    assertThat(pageSizes).containsExactly(10, 10, 5);
    assertThat(seen).isEqualTo(stored);
  }

  @Test
  void udfHistoryHasTradingViewShape() {
    List<Bar> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) stored.add(minute(T2 + i * 60L, 40_000));
    ApiTestEnv.insert(pg, Resolution.M1, BTC, stored);

    JsonObject ok =
        getOk("/api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=" + T2 + "&to=" + (T2 + 240));
    assertThat(ok.getString("s")).isEqualTo("ok");
    // UDF's `to` is exclusive: the bar at T2+240 is not included.
    assertThat(times(ok)).containsExactly(T2, T2 + 60, T2 + 120, T2 + 180);
    assertThat(ok.getJsonArray("o").getList())
        .containsExactly(
            stored.get(0).open(), stored.get(1).open(), stored.get(2).open(), stored.get(3).open());
    for (String k : List.of("h", "l", "c", "v")) assertThat(ok.getJsonArray(k)).hasSize(4);
    assertThat(ok.getJsonArray("c").getDouble(3)).isEqualTo(stored.get(3).close());

    JsonObject countback =
        getOk(
            "/api/v1/udf/history?symbol=BTC/USDT&resolution=1&from="
                + (T2 + 3000)
                + "&to="
                + (T2 + 3600)
                + "&countback=2");
    assertThat(times(countback)).containsExactly(T2 + 180, T2 + 240);

    JsonObject noData =
        getOk(
            "/api/v1/udf/history?symbol=BTC/USDT&resolution=1&from="
                + (T2 + 3600)
                + "&to="
                + (T2 + 7200));
    assertThat(noData.getString("s")).isEqualTo("no_data");
    assertThat(noData.getLong("nextTime")).isEqualTo(T2 + 240);

    JsonObject none =
        getOk(
            "/api/v1/udf/history?symbol=ETH/USDT&resolution=1D&from=" + T2 + "&to=" + (T2 + 86400));
    assertThat(none.getString("s")).isEqualTo("no_data");
    assertThat(none.containsKey("nextTime")).isFalse();
  }

  static List<Long> times(JsonObject udf) {
    return udf.getJsonArray("t").stream().map(o -> ((Number) o).longValue()).toList();
  }

  @Test
  void udfConfigSymbolsSearchAndTime() {
    JsonObject config = getOk("/api/v1/udf/config");
    assertThat(config.getJsonArray("supported_resolutions").getList())
        .containsExactly("1", "5", "15", "60", "240", "1D");
    assertThat(config.getBoolean("supports_time")).isTrue();

    JsonObject info = getOk("/api/v1/udf/symbols?symbol=ETH/USDT");
    assertThat(info.getString("name")).isEqualTo("ETH/USDT");
    assertThat(info.getString("ticker")).isEqualTo("ETH/USDT");
    assertThat(info.getBoolean("has_intraday")).isTrue();
    assertThat(info.getString("timezone")).isEqualTo("Etc/UTC");

    JsonArray found = get("/api/v1/udf/search?query=eth").bodyAsJsonArray();
    assertThat(found).hasSize(1);
    assertThat(found.getJsonObject(0).getString("symbol")).isEqualTo("ETH/USDT");

    HttpResponse<Buffer> time = get("/api/v1/udf/time");
    assertThat(time.statusCode()).isEqualTo(200);
    assertThat(Long.parseLong(time.bodyAsString()))
        .isCloseTo(System.currentTimeMillis() / 1000, within(5L));
  }

  @Test
  void priceIsTheStoredAggregateWithSymbolAndAge() {
    long ts = System.currentTimeMillis() - 1_500;
    JsonObject stored =
        new JsonObject()
            .put("price", 43_210.5)
            .put("timestamp", ts)
            .put("sources", new JsonArray().add("binance").add("kraken"))
            .put(
                "dropped",
                new JsonArray().add(new JsonObject().put("source", "okx").put("reason", "outlier")))
            .put("dispersion", 0.0012);
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.price(BTC)).arg(stored.encode())));

    JsonObject body = getOk("/api/v1/market/price?symbol=BTC/USDT");

    assertThat(body.getDouble("price")).isEqualTo(43_210.5);
    assertThat(body.getLong("timestamp")).isEqualTo(ts);
    assertThat(body.getJsonArray("sources")).isEqualTo(stored.getJsonArray("sources"));
    assertThat(body.getJsonArray("dropped")).isEqualTo(stored.getJsonArray("dropped"));
    assertThat(body.getDouble("dispersion")).isEqualTo(0.0012);
    assertThat(body.getString("symbol")).isEqualTo(BTC);
    assertThat(body.getLong("ageMs")).isBetween(1_500L, 60_000L);
    assertThat(body.getBoolean("stale")).isFalse();

    // No source updated it for longer than ingestion.stalenessMs (10 s): flagged, still served.
    await(
        redis.send(
            Request.cmd(Command.SET)
                .arg(RedisKeys.price(BTC))
                .arg(stored.copy().put("timestamp", ts - 60_000).encode())));
    assertThat(getOk("/api/v1/market/price?symbol=BTC/USDT").getBoolean("stale")).isTrue();

    HttpResponse<Buffer> missing = get("/api/v1/market/price?symbol=ETH/USDT");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(missing.bodyAsJsonObject().getString("field")).isEqualTo("symbol");
  }

  @Test
  void pricesAnswerSeveralSymbolsInOneCallAndNameTheOnesWithoutAPrice() {
    long ts = System.currentTimeMillis() - 2_000;
    await(
        redis.send(
            Request.cmd(Command.SET)
                .arg(RedisKeys.price(BTC))
                .arg(new JsonObject().put("price", 43_210.5).put("timestamp", ts).encode())));
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.price("ETH/USDT")).arg("{not json")));

    JsonObject body = getOk("/api/v1/market/prices?symbols=ETH/USDT,%20BTC/USDT,BTC/USDT");
    assertThat(body.getJsonArray("prices")).hasSize(1);
    JsonObject btc = body.getJsonArray("prices").getJsonObject(0);
    assertThat(btc.getString("symbol")).isEqualTo(BTC);
    assertThat(btc.getDouble("price")).isEqualTo(43_210.5);
    assertThat(btc.getLong("ageMs")).isBetween(2_000L, 60_000L);
    assertThat(btc.getBoolean("stale")).isFalse();
    assertThat(body.getJsonArray("missing"))
        .containsExactly("ETH/USDT"); // unreadable counts as missing

    // Without the parameter: every configured symbol, in configuration order.
    JsonObject all = getOk("/api/v1/market/prices");
    assertThat(all.getJsonArray("prices")).hasSize(1);
    assertThat(all.getJsonArray("missing"))
        .hasSize(getOk("/api/v1/market/symbols").getJsonArray("symbols").size() - 1);
  }

  @Test
  void symbolsListTheConfiguredSymbolsAndSources() {
    JsonObject body = getOk("/api/v1/market/symbols");
    JsonArray symbols = body.getJsonArray("symbols");
    assertThat(symbols).hasSize(3 + Resolution.values().length);
    assertThat(symbols.getJsonObject(0))
        .isEqualTo(
            new JsonObject()
                .put("symbol", "BTC/USDT")
                .put("sources", new JsonArray().add("binance").add("kraken")));
  }

  @Test
  void requestsAreTimedByRouteTemplateAndStatus() {
    getOk("/api/v1/market/symbols");
    get("/api/v1/no/such/" + System.nanoTime());

    String scrape = get("/metrics").bodyAsString();

    assertThat(scrape).contains("oracle_api_duration_seconds_bucket{");
    assertThat(scrape)
        .containsPattern(
            "oracle_api_duration_seconds_count\\{route=\"/api/v1/market/symbols\",status=\"200\"}");
    assertThat(scrape)
        .containsPattern("oracle_api_duration_seconds_count\\{route=\"unmatched\",status=\"404\"}");
  }
}
