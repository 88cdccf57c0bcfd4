package oracle.http;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import oracle.http.common.ApiErrors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests no well-behaved client sends, over a raw socket: each answers its 4xx (or 505) with the
 * JSON error shape naming the part of the request at fault, never a 5xx or an empty body.
 */
class HostileRequestTest {
  static final String TOKEN = "hostile-test-token-0123456789";
  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start() {
    vertx = ApiTestEnv.vertx();
    // A high rate limit: other suites' requests from 127.0.0.1 share the limiter's window in Redis.
    JsonObject config =
        H1Env.config(H1Env.REDIS_DB).put("admin", new JsonObject().put("token", TOKEN));
    port = ApiTestEnv.deploy(vertx, config).actualPort();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  // Each request is written verbatim: \r\n line ends, %% for a literal percent sign
  // in the CSV source.
  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      GET /%zz HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                        | 400 | path
      GET /api/v1/market/%zz HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                          | 400 | path
      GET /api/v1/udf/%zz HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                             | 400 | path
      POST /eventbus/%zz HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 0\\r\\n\\r\\n      | 400 | path
      TRACE /eventbus/%zz HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                             | 400 | path
      GET /api/v1/market/symbols HTTP/1.1\\r\\n\\r\\n                                  | 400 | host
      GET /api/v1/market/symbols HTTP/1.1\\r\\nHost: a\\r\\n b\\r\\n\\r\\n             | 400 | host
      GET /api/v1/market/symbols HTTP/1.1\\r\\nHost: [::1\\r\\n\\r\\n                   | 400 | host
      GET /admin/backfill/nope?a=%zz HTTP/1.1\\r\\nHost: a\\r\\nAuthorization: Bearer hostile-test-token-0123456789\\r\\n\\r\\n | 400 | query
      GET /api/v1/market/symbols HTTP/9.9\\r\\nHost: a\\r\\n\\r\\n                      | 505 | version
      GET /api/v1/market/symbols http/1.1\\r\\nHost: a\\r\\n\\r\\n                      | 400 | version
      GET /api/v1/market/symbols Http/1.0\\r\\nHost: a\\r\\n\\r\\n                      | 400 | version
      GET /api/v1/market/symbols FTP/1.1\\r\\nHost: a\\r\\n\\r\\n                       | 400 | version
      GET /api/v1/market/symbols HTTP/1.2\\r\\nHost: a\\r\\n\\r\\n                      | 505 | version
      GET /api/v1/market/symbols HTTP/2.0\\r\\nHost: a\\r\\n\\r\\n                      | 505 | version
      GET /nothing HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                    | 404 | path
      DELETE /api/v1/market/symbols HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                   | 405 | method
      GET / HTTP/1.1\\r\\nHost: a\\r\\nRange: bytes=99999999-\\r\\n\\r\\n              | 416 | range
      \\u0001\\u0002 garbage\\r\\n\\r\\n                                                | 400 | request
      GET /eventbus/websocket HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                         | 400 | upgrade
      POST /eventbus/000/abcdefgh/xhr_send HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 0\\r\\n\\r\\n | 400 | body
      """)
  void answersTheJsonErrorShapeNamingTheField(String request, int status, String field)
      throws Exception {
    String raw =
        request
            .replace("\\r", "\r")
            .replace("\\n", "\n")
            .replace("\\u0001", "\u0001")
            .replace("\\u0002", "\u0002");
    RawHttp.Response r = RawHttp.send(port, raw);
    assertThat(r.status()).as(r.status() + " " + r.headers() + " " + r.body()).isEqualTo(status);
    assertThat(r.headers().get("content-type")).as(r.body()).startsWith("application/json");
    JsonObject body = r.json();
    assertThat(body.getString("error")).isEqualTo(ApiErrors.reason(status));
    assertThat(body.getString("field")).as(r.body()).isEqualTo(field);
    assertThat(body.getString("message")).isNotBlank();
    if (raw.contains(" /api/v1/udf/"))
      assertThat(body.getString("s")).isEqualTo("error"); // TradingView reads s/errmsg
  }

  @org.junit.jupiter.api.Test
  void unusualButValidRequestsAreServed() throws Exception {
    // HTTP/1.0 needs no Host; an IPv6 literal host with a port is a usable one.
    assertThat(RawHttp.send(port, "GET /api/v1/market/symbols HTTP/1.0\r\n\r\n").status())
        .isEqualTo(200);
    assertThat(
            RawHttp.send(
                    port,
                    "GET /api/v1/market/symbols HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n")
                .status())
        .isEqualTo(200);
    assertThat(
            RawHttp.send(
                    port,
                    "GET /api/v1/market/symbols?x=%41 HTTP/1.1\r\nHost: oracle.example\r\nConnection: close\r\n\r\n")
                .status())
        .isEqualTo(200);
  }

  /**
   * The JDK's HttpClient (and curl --http2) ask to upgrade a plain connection to HTTP/2 with {@code
   * Upgrade: h2c}. The API speaks HTTP/1.x only, so the answer is a whole HTTP/1.1 response, never
   * a 101 whose HTTP/2 stream then stalls the client.
   */
  @org.junit.jupiter.api.Test
  void anH2cUpgradeRequestIsAnsweredInHttp11() throws Exception {
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_2)
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .build();
    java.net.http.HttpResponse<String> r =
        client
            .sendAsync(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/openapi.json"))
                    .timeout(java.time.Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
    assertThat(new JsonObject(r.body()).getString("openapi")).startsWith("3.1");
    RawHttp.Response raw =
        RawHttp.send(
            port,
            "GET /api/v1/health/live HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n");
    assertThat(raw.status()).isEqualTo(200);
  }
}
