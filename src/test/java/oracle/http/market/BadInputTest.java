package oracle.http.market;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import oracle.http.ApiTestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad input gets its 4xx and a JSON body naming the field and the rule; never a 500. */
class BadInputTest {
  static Vertx vertx;
  static WebClient client;
  static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    Pool pg = ApiTestEnv.pg(vertx);
    ApiTestEnv.createSchema(pg);
    port = ApiTestEnv.deploy(vertx, ApiTestEnv.config()).actualPort();
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
      GET | /api/v1/market/ohlcv?resolution=1m                                      | 400 | symbol     | is required, e.g. BTC/USDT
      GET | /api/v1/market/ohlcv?symbol=&resolution=1m                              | 400 | symbol     | is required, e.g. BTC/USDT
      GET | /api/v1/market/ohlcv?symbol=btc.usdt&resolution=1m                      | 400 | symbol     | must be a symbol like BTC/USDT (btc/usdt, BTC-USDT, BTC_USDT and BTCUSDT are read as BTC/USDT); got 'btc.usdt'
      GET | /api/v1/market/ohlcv?symbol=DOGEUSDT&resolution=1m                      | 404 | symbol     | unknown symbol DOGE/USDT; see /api/v1/market/symbols
      GET | /api/v1/market/ohlcv?symbol=doge-usdt&resolution=1m                     | 404 | symbol     | unknown symbol DOGE/USDT; see /api/v1/market/symbols
      GET | /api/v1/market/ohlcv?symbol=BTCEUR&resolution=1m                        | 400 | symbol     | must be a symbol like BTC/USDT (btc/usdt, BTC-USDT, BTC_USDT and BTCUSDT are read as BTC/USDT); got 'BTCEUR'
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT%27%20OR%201=1--&resolution=1m      | 400 | symbol     | must be a symbol like BTC/USDT (btc/usdt, BTC-USDT, BTC_USDT and BTCUSDT are read as BTC/USDT); got 'BTC/USDT' OR 1=1--'
      GET | /api/v1/market/ohlcv?symbol=DOGE/USDT&resolution=1m                     | 404 | symbol     | unknown symbol DOGE/USDT; see /api/v1/market/symbols
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&symbol=ETH/USDT&resolution=1m      | 400 | symbol     | must be given once
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT                                    | 400 | resolution | must be one of 1m,5m,15m,1h,4h,1d
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=2m                      | 400 | resolution | must be one of 1m,5m,15m,1h,4h,1d
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1M                      | 400 | resolution | must be one of 1m,5m,15m,1h,4h,1d
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=abc             | 400 | from       | must be Unix seconds (0 to 253402300799) or an ISO-8601 instant such as 2026-12-07T10:00:00Z
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=-5              | 400 | from       | must be Unix seconds (0 to 253402300799) or an ISO-8601 instant such as 2026-12-07T10:00:00Z
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=1.5             | 400 | from       | must be Unix seconds (0 to 253402300799) or an ISO-8601 instant such as 2026-12-07T10:00:00Z
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&to=1764068400000000  | 400 | to         | must be Unix seconds (0 to 253402300799) or an ISO-8601 instant such as 2026-12-07T10:00:00Z
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=2026-13-01T00:00:00Z | 400 | from | must be Unix seconds (0 to 253402300799) or an ISO-8601 instant such as 2026-12-07T10:00:00Z
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&to=yesterday       | 400 | to         | must be Unix seconds (0 to 253402300799) or an ISO-8601 instant such as 2026-12-07T10:00:00Z
      GET | /api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=2026-12-07&to=2 | 400 | from       | must be Unix seconds (0 to 253402300799) or an ISO-8601 instant such as 2026-12-07T10:00:00Z
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=200&to=100      | 400 | from       | must not be after to
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=0              | 400 | limit      | must be an integer between 1 and 5000
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=5001           | 400 | limit      | must be an integer between 1 and 5000
      GET | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=99999999999999999999 | 400 | limit | must be an integer between 1 and 5000
      GET | /api/v1/market/ohlcv?symbol=%zz&resolution=1m                           | 400 | query      | malformed query string
      GET | /api/v1/market/price                                                    | 400 | symbol     | is required, e.g. BTC/USDT
      GET | /api/v1/market/price?symbol=XRP/USDT                                    | 404 | symbol     | unknown symbol XRP/USDT; see /api/v1/market/symbols
      GET | /api/v1/market/prices?symbols=BTC/USDT,btc.usdt                         | 400 | symbols    | must be a symbol like BTC/USDT (btc/usdt, BTC-USDT, BTC_USDT and BTCUSDT are read as BTC/USDT); got 'btc.usdt'
      GET | /api/v1/market/prices?symbols=,%20,                                     | 400 | symbols    | must name at least one symbol, e.g. BTC/USDT,ETH/USDT
      GET | /api/v1/market/prices?symbols=BTC/USDT,XRP/USDT                         | 404 | symbols    | unknown symbol XRP/USDT; see /api/v1/market/symbols
      GET | /api/v1/market/prices?symbols=BTC/USDT&symbols=ETH/USDT                 | 400 | symbols    | must be given once
      GET | /api/v1/market/stream?symbol=nope                                       | 400 | symbol     | must be a symbol like BTC/USDT (btc/usdt, BTC-USDT, BTC_USDT and BTCUSDT are read as BTC/USDT); got 'nope'
      GET | /api/v1/market/stream?symbol=XRP/USDT                                   | 404 | symbol     | unknown symbol XRP/USDT; see /api/v1/market/symbols
      GET | /api/v1/udf/history?symbol=BTC/USDT&resolution=1m&from=1&to=2           | 400 | resolution | must be one of 1,5,15,60,240,1D
      GET | /api/v1/udf/history?symbol=BTC/USDT&resolution=1&to=2                   | 400 | from       | is required (Unix seconds or an ISO-8601 instant)
      GET | /api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=1                 | 400 | to         | is required (Unix seconds or an ISO-8601 instant)
      GET | /api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=9&to=2            | 400 | from       | must not be after to
      GET | /api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=1&to=2&countback=0 | 400 | countback | must be an integer between 1 and 5000
      GET | /api/v1/udf/symbols?symbol=DOGE/USDT                                    | 404 | symbol     | unknown symbol DOGE/USDT; see /api/v1/market/symbols
      GET | /api/v1/no/such/route                                                   | 404 | path         | no route /api/v1/no/such/route
      GET | /nothing                                                                | 404 | path         | no route /nothing
      POST | /api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m                     | 405 | method        | method_not_allowed
      """)
  void badInputIsRejectedWithItsFieldAndRule(
      String method, String uri, int status, String field, String message) {
    check(method, uri, status, field, message);
  }

  @org.junit.jupiter.api.Test
  void requestsTheHttpDecoderRejectsStillGetAJsonErrorNamingWhatWasTooLong() {
    String longQuery = "/api/v1/market/prices?symbols=" + "BTC/USDT,".repeat(2_000);
    HttpResponse<Buffer> uri = await(client.get(port, "127.0.0.1", longQuery).send());
    assertThat(uri.statusCode()).isEqualTo(414);
    assertThat(uri.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("error", "uri_too_long")
                .put("field", "uri")
                .put("message", "the request line is longer than 16384 bytes"));

    HttpResponse<Buffer> headers =
        await(
            client
                .get(port, "127.0.0.1", "/api/v1/market/symbols")
                .putHeader("X-Big", "x".repeat(20_000))
                .send());
    assertThat(headers.statusCode()).isEqualTo(431);
    assertThat(headers.bodyAsJsonObject().getString("field")).isEqualTo("headers");

    // A long but legal request line (every configured symbol, repeated) is served.
    String manySymbols = "/api/v1/market/prices?symbols=" + "BTC/USDT,ETH/USDT,".repeat(500);
    assertThat(await(client.get(port, "127.0.0.1", manySymbols).send()).statusCode())
        .isEqualTo(200);
  }

  @org.junit.jupiter.api.Test
  void headAnswersLikeGetWithoutABody() {
    HttpResponse<Buffer> head =
        await(client.head(port, "127.0.0.1", "/api/v1/market/symbols").send());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("content-type")).isEqualTo("application/json");
    assertThat(head.body()).isNull();
    assertThat(
            await(client.head(port, "127.0.0.1", "/api/v1/market/price?symbol=nope").send())
                .statusCode())
        .isEqualTo(400);
    assertThat(
            await(client.head(port, "127.0.0.1", "/api/v1/market/stream?symbol=BTC/USDT").send())
                .statusCode())
        .isEqualTo(405);
  }

  private void check(String method, String uri, int status, String field, String message) {
    HttpResponse<Buffer> r =
        await(client.request(HttpMethod.valueOf(method), port, "127.0.0.1", uri).send());

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("error"))
        .isEqualTo(
            switch (status) {
              case 400 -> "bad_request";
              case 404 -> "not_found";
              default -> "method_not_allowed";
            });
    assertThat(body.getString("field")).as(r.bodyAsString()).isEqualTo(field);
    assertThat(body.getString("message")).isEqualTo(message);
  }
}
