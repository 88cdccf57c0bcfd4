package oracle.http.market;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
import oracle.common.Addresses;
import oracle.common.Candle;
import oracle.common.RedisKeys;
import oracle.http.ApiTestEnv;
import oracle.storage.Resolution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22 item 7, end to end over real Redis and PostgreSQL (the API tests' Redis DB 4 and
 * database oracle_api): the symbol spellings users type, ISO-8601 {@code from}/{@code to}, UDF
 * {@code pricescale} per symbol, {@code simulated} on every answer of a simulated oracle (and on
 * none of a real one), and milliseconds named {@code *Ms}.
 */
class ApiConsistencyTest {
  /** 2024-02-01T00:00:00Z: history no other API test writes. */
  static final long T = 1_706_745_600L;

  static final String ISO_T = "2024-02-01T00:00:00Z";

  static Vertx vertx;
  static Pool pg;
  static Redis redis;
  static WebClient client;

  /** A real oracle's API, and a simulated one's (dev mode's market simulator). */
  static int port;

  static int simulatedPort;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    pg = ApiTestEnv.pg(vertx);
    redis = ApiTestEnv.redis(vertx);
    ApiTestEnv.createSchema(pg);
    JsonArray symbols = new JsonArray(new ArrayList<>(ApiTestEnv.SYMBOLS)).add("SHIB/USDT");
    JsonObject config = ApiTestEnv.config().put("symbols", symbols);
    port = ApiTestEnv.deploy(vertx, config.copy()).actualPort();
    simulatedPort = ApiTestEnv.deploy(vertx, config.copy().put("simulated", true)).actualPort();
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

  static HttpResponse<Buffer> get(int port, String uri) {
    return await(client.get(port, "127.0.0.1", uri).send());
  }

  static JsonObject ok(int port, String uri) {
    HttpResponse<Buffer> r = get(port, uri);
    assertThat(r.statusCode()).as(uri + " -> " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static void storePrice(String symbol, JsonObject price) {
    await(redis.send(Request.cmd(Command.SET).arg(RedisKeys.price(symbol)).arg(price.encode())));
  }

  static JsonObject price(double price) {
    return new JsonObject().put("price", price).put("timestamp", System.currentTimeMillis());
  }

  @Test
  void everySymbolSpellingReadsTheConfiguredSymbol() {
    storePrice("BTC/USDT", price(43_210.5));
    for (String typed :
        List.of("BTC/USDT", "btc/usdt", "BTC-USDT", "BTCUSDT", "btc_usdt", "btcusdt"))
      assertThat(ok(port, "/api/v1/market/price?symbol=" + typed).getString("symbol"))
          .as(typed)
          .isEqualTo("BTC/USDT");

    assertThat(ok(port, "/api/v1/market/ohlcv?symbol=eth-usdt&resolution=1m").getString("symbol"))
        .isEqualTo("ETH/USDT");
    JsonObject prices = ok(port, "/api/v1/market/prices?symbols=btcusdt,ETH_USDT,BTC/USDT");
    assertThat(prices.getJsonArray("prices").getJsonObject(0).getString("symbol"))
        .isEqualTo("BTC/USDT");
    assertThat(prices.getJsonArray("prices")).hasSize(1); // BTC once, whatever its spellings
    assertThat(prices.getJsonArray("missing").getList()).containsExactly("ETH/USDT");
    assertThat(ok(port, "/api/v1/udf/symbols?symbol=solusdt").getString("ticker"))
        .isEqualTo("SOL/USDT");
    assertThat(
            ok(
                    port,
                    "/api/v1/udf/history?symbol=sol-usdt&resolution=1&from="
                        + T
                        + "&to="
                        + (T + 60))
                .getString("s"))
        .isEqualTo("no_data");

    for (String typed : List.of("solusdt", "SOL-USDT", "sol_u")) {
      JsonArray found = get(port, "/api/v1/udf/search?query=" + typed).bodyAsJsonArray();
      assertThat(found).as(typed).hasSize(1);
      assertThat(found.getJsonObject(0).getString("symbol")).isEqualTo("SOL/USDT");
    }

    HttpResponse<Buffer> unknown = get(port, "/api/v1/market/price?symbol=DOGEUSDT");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("error", "not_found")
                .put("field", "symbol")
                .put("message", "unknown symbol DOGE/USDT; see /api/v1/market/symbols"));
    HttpResponse<Buffer> malformed = get(port, "/api/v1/market/prices?symbols=BTCUSDT,BTC.USDT");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.bodyAsJsonObject().getString("field")).isEqualTo("symbols");
    assertThat(malformed.bodyAsJsonObject().getString("message"))
        .contains("btc/usdt, BTC-USDT, BTC_USDT and BTCUSDT are read as BTC/USDT");
  }

  @Test
  void isoInstantsAreTheSameAsUnixSeconds() {
    List<Bar> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) stored.add(ApiTestEnv.minute(T + i * 60L, 40_000));
    ApiTestEnv.insert(pg, Resolution.M1, "BTC/USDT", stored);

    JsonObject seconds =
        ok(
            port,
            "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=" + T + "&to=" + (T + 240));
    JsonObject iso =
        ok(
            port,
            "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from="
                + ISO_T
                + "&to=2024-02-01T01:04:00%2B01:00");
    assertThat(seconds.getJsonArray("candles")).hasSize(5);
    assertThat(iso).isEqualTo(seconds);

    JsonObject udf =
        ok(
            port,
            "/api/v1/udf/history?symbol=BTC/USDT&resolution=1&from="
                + ISO_T
                + "&to=2024-02-01T00:03:00Z");
    assertThat(OhlcvApiTest.times(udf)).containsExactly(T, T + 60, T + 120);

    HttpResponse<Buffer> bad =
        get(port, "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=2024-02-30T00:00:00Z");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("field")).isEqualTo("from");
  }

  @Test
  void udfPricescaleFollowsEachSymbolsPrice() {
    storePrice("BTC/USDT", price(100_000));
    storePrice("SHIB/USDT", price(0.00001234));
    storePrice("SOL/USDT", new JsonObject().put("price", "unreadable"));
    assertThat(ok(port, "/api/v1/udf/symbols?symbol=BTC/USDT").getLong("pricescale"))
        .isEqualTo(100);
    assertThat(ok(port, "/api/v1/udf/symbols?symbol=SHIB/USDT").getLong("pricescale"))
        .isEqualTo(1_000_000_000L);
    // No price yet, or none readable: the 8 decimals every symbol had.
    assertThat(ok(port, "/api/v1/udf/symbols?symbol=ETH/USDT").getLong("pricescale"))
        .isEqualTo(100_000_000L);
    assertThat(ok(port, "/api/v1/udf/symbols?symbol=SOL/USDT").getLong("pricescale"))
        .isEqualTo(100_000_000L);
  }

  @Test
  void priceMillisecondsAreAlsoNamedMs() {
    long at = System.currentTimeMillis() - 2_000;
    storePrice(
        "BTC/USDT",
        price(43_000).put("timestamp", at - 5_000).put("status", "no_quorum").put("statusAt", at));
    JsonObject body = ok(port, "/api/v1/market/price?symbol=BTC/USDT");
    assertThat(body.getLong("timestampMs")).isEqualTo(at - 5_000);
    assertThat(body.getLong("timestamp")).as("the deprecated alias stays").isEqualTo(at - 5_000);
    assertThat(body.getLong("statusAtMs")).isEqualTo(at);
    assertThat(body.getLong("ageMs")).isGreaterThanOrEqualTo(7_000);
  }

  @Test
  void aSimulatedOracleSaysSoOnEveryAnswerAndARealOneOnNone() throws Exception {
    ApiTestEnv.insert(pg, Resolution.M1, "BTC/USDT", List.of(ApiTestEnv.minute(T, 40_000)));
    storePrice("BTC/USDT", price(43_000));
    List<String> uris =
        List.of(
            "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=" + T + "&to=" + (T + 60),
            "/api/v1/market/price?symbol=BTC/USDT",
            "/api/v1/udf/config",
            "/api/v1/udf/symbols?symbol=BTC/USDT",
            "/api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=" + T + "&to=" + (T + 60),
            "/api/v1/udf/history?symbol=ETH/USDT&resolution=1&from=" + T + "&to=" + (T + 60));
    for (String uri : uris) {
      assertThat(ok(simulatedPort, uri).getBoolean("simulated")).as(uri).isTrue();
      assertThat(ok(port, uri).containsKey("simulated")).as(uri).isFalse();
    }
    JsonObject history = ok(simulatedPort, uris.get(4));
    assertThat(history.getString("s")).isEqualTo("ok");
    assertThat(OhlcvApiTest.times(history)).containsExactly(T);

    Candle candle =
        new Candle(
            "ETH/USDT",
            System.currentTimeMillis() / 60_000 * 60,
            100.5,
            101.25,
            99.75,
            100.0,
            3.5,
            System.currentTimeMillis(),
            0);
    String simulatedEvent = firstEvent(simulatedPort, "ethusdt", candle);
    assertThat(new JsonObject(simulatedEvent).getBoolean("simulated")).isTrue();
    assertThat(new JsonObject(simulatedEvent).getLong("updatedAtMs")).isEqualTo(candle.updatedAt());
    String realEvent = firstEvent(port, "ETH-USDT", candle);
    assertThat(new JsonObject(realEvent).containsKey("simulated")).isFalse();
    assertThat(new JsonObject(realEvent).getString("symbol")).isEqualTo("ETH/USDT");
  }

  /**
   * Opens {@code /stream} with the symbol as typed, publishes {@code candle} once subscribed, and
   * returns the first event's data.
   */
  private static String firstEvent(int port, String typed, Candle candle) {
    HttpClient http = vertx.createHttpClient();
    try {
      StringBuilder received = new StringBuilder();
      Promise<Void> subscribed = Promise.promise();
      Promise<String> event = Promise.promise();
      await(
          http.request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setPort(port)
                      .setHost("127.0.0.1")
                      .setURI("/api/v1/market/stream?symbol=" + typed))
              .compose(req -> req.send())
              .map(
                  resp -> {
                    assertThat(resp.statusCode()).isEqualTo(200);
                    resp.handler(
                        chunk -> {
                          received.append(chunk.toString());
                          if (received.indexOf(": subscribed ETH/USDT\n\n") >= 0)
                            subscribed.tryComplete();
                          int at = received.indexOf("event: candle\ndata: ");
                          int end = at < 0 ? -1 : received.indexOf("\n\n", at);
                          if (end > 0) event.tryComplete(received.substring(at + 20, end));
                        });
                    return resp;
                  }));
      await(subscribed.future());
      vertx.eventBus().publish(Addresses.candle("ETH/USDT"), candle.toJson());
      return await(event.future());
    } finally {
      await(http.close());
    }
  }
}
