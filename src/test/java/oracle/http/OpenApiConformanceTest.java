package oracle.http;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import oracle.common.PgFactory;
import oracle.common.RedisKeys;
import oracle.http.market.Bar;
import oracle.storage.Migrator;
import oracle.storage.Resolution;
import oracle.storage.StorageFlavor;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAPI document served at {@code /api/v1/openapi.json} is the contract: it is parsed by a
 * real OpenAPI parser (swagger-parser), then every route is called (success and error answers) on a
 * real HTTP verticle over real Redis and PostgreSQL, and each answer's status, content type and
 * JSON body are checked against the document's schemas (networknt, JSON Schema 2020-12, as OpenAPI
 * 3.1 uses). Every documented operation must be exercised, so neither side can drift. Redis DB 14,
 * database h3_openapi.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiConformanceTest {
  private static final int REDIS_DB = 14;
  private static final String PG_DATABASE = "h3_openapi";
  private static final String TOKEN = "conformance-token-0123456789";
  private static final String BASE = "https://oracle.test/openapi.json";

  /**
   * Routes issue 13's other items are adding right now: checked once they answer, reported until
   * then.
   */
  private static final Set<String> PENDING =
      Set.of("GET /api/v1/health/live", "GET /api/v1/health/ready");

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Set<String> exercised = new TreeSet<>();
  private Vertx vertx;
  private Pool pg;
  private Redis redis;
  private int port;
  private int limitedPort;
  private String documentText;
  private JsonNode document;
  private JsonSchemaFactory schemas;

  @BeforeAll
  void start() throws Exception {
    vertx = ApiTestEnv.vertx();
    pg = PgFactory.pool(vertx, TestEnv.pgUrl(PG_DATABASE), 2);
    await(pg.query("DROP SCHEMA public CASCADE").execute());
    await(pg.query("CREATE SCHEMA public").execute());
    await(new Migrator(pg, Optional.of(StorageFlavor.PLAIN)).migrate());
    TestEnv.flushRedis(vertx, REDIS_DB);
    redis = Redis.createClient(vertx, TestEnv.redisUrl(REDIS_DB));

    long minute = System.currentTimeMillis() / 60_000 * 60;
    List<Bar> history = new ArrayList<>();
    for (int i = 120; i >= 2; i--) history.add(ApiTestEnv.minute(minute - i * 60L, 100));
    ApiTestEnv.insert(pg, Resolution.M1, "BTC/USDT", history);
    ApiTestEnv.putHot(redis, "BTC/USDT", ApiTestEnv.minute(minute, 100));
    JsonObject price =
        new JsonObject()
            .put("symbol", "BTC/USDT")
            .put("price", 101.5)
            .put("timestamp", System.currentTimeMillis())
            .put("method", "vwap")
            .put("dispersion", 0.0001)
            .put(
                "sourcesUsed",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("exchange", "binance")
                            .put("price", 101.5)
                            .put("weight", 1e9)
                            .put("minuteVolume", 2.0)))
            .put(
                "sourcesDropped",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("exchange", "kraken")
                            .put("reason", "outlier")
                            .put("price", 120.0)))
            .put("minuteVolume", 2.0);
    await(
        redis.send(Request.cmd(Command.SET).arg(RedisKeys.price("BTC/USDT")).arg(price.encode())));

    JsonObject config =
        TestEnv.baseConfig(REDIS_DB, PG_DATABASE)
            .put("symbols", new JsonArray(ApiTestEnv.SYMBOLS))
            .put("exchanges", new JsonArray().add("binance").add("kraken"))
            .put("admin", new JsonObject().put("token", TOKEN))
            .put("rateLimit", new JsonObject().put("requests", 1_000_000));
    port = ApiTestEnv.deploy(vertx, config).actualPort();
    // A second instance with a limit of 1 request per window answers the 429s.
    limitedPort =
        ApiTestEnv.deploy(
                vertx, config.copy().put("rateLimit", new JsonObject().put("requests", 1)))
            .actualPort();

    documentText = body(get(port, "/api/v1/openapi.json", Map.of()));
    document = mapper.readTree(documentText);
    schemas =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            b -> b.schemaLoaders(l -> l.schemas(Map.of(BASE, documentText))));
  }

  @AfterAll
  void stop() {
    if (vertx != null) await(vertx.close());
  }

  @Test
  void theDocumentIsAValidOpenApi31DocumentAndTheSameAsTheResource() throws IOException {
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(documentText, null, null);
    assertThat(parsed.getMessages()).as("swagger-parser messages").isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1");
    assertThat(parsed.getOpenAPI().getPaths())
        .containsKeys("/api/v1/market/ohlcv", "/api/v1/health", "/api/v1/openapi.json", "/docs");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(ApiDocs.DOCUMENT)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .as("served bytes = the resource")
          .isEqualTo(documentText);
    }
  }

  @Test
  void everyRouteAnswersAsDocumented() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
    // market
    check("GET", "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m", 200);
    check("GET", "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1h&limit=10", 200);
    check("GET", "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=2m", 400);
    check("GET", "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&from=20&to=10", 400);
    check("GET", "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m&limit=0", 400);
    check("GET", "/api/v1/market/ohlcv?symbol=DOGE/USDT&resolution=1m", 404);
    check("GET", "/api/v1/market/price?symbol=BTC/USDT", 200);
    check("GET", "/api/v1/market/price?symbol=ETH/USDT", 404);
    check("GET", "/api/v1/market/price", 400);
    check("GET", "/api/v1/market/prices", 200);
    check("GET", "/api/v1/market/prices?symbols=BTC/USDT,bad", 400);
    check("GET", "/api/v1/market/symbols", 200);
    check("GET", "/api/v1/market/stream?symbol=BTC/USDT", 200);
    check("GET", "/api/v1/market/stream?symbol=DOGE/USDT", 404);
    checkOn(limitedPort, "GET", "/api/v1/market/symbols", Map.of(), null);
    checkOn(limitedPort, "GET", "/api/v1/market/symbols", Map.of(), 429);
    // TradingView UDF
    check("GET", "/api/v1/udf/config", 200);
    check("GET", "/api/v1/udf/symbols?symbol=BTC/USDT", 200);
    check("GET", "/api/v1/udf/symbols?symbol=DOGE/USDT", 404);
    check("GET", "/api/v1/udf/symbols", 400);
    check("GET", "/api/v1/udf/search?query=BT", 200);
    check("GET", "/api/v1/udf/search?limit=0", 400);
    check("GET", "/api/v1/udf/time", 200);
    check(
        "GET",
        "/api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=" + (now - 3600) + "&to=" + now,
        200);
    check("GET", "/api/v1/udf/history?symbol=BTC/USDT&resolution=1&from=1000&to=2000", 200);
    check("GET", "/api/v1/udf/history?symbol=BTC/USDT&resolution=7&from=1000&to=2000", 400);
    check("GET", "/api/v1/udf/history?symbol=DOGE/USDT&resolution=1&from=1000&to=2000", 404);
    // health, contract, pages, metrics
    check("GET", "/api/v1/health", 200);
    check("GET", "/api/v1/health/live", 200);
    check("GET", "/api/v1/health/ready", null);
    check("GET", "/api/v1/openapi.json", 200);
    check("GET", "/docs", 200);
    check("GET", "/metrics", 200);
    check("GET", "/", 200);
    // admin: the guard, and what a lone HTTP verticle (no backfill, no registry) answers
    check("POST", "/admin/backfill?symbol=BTC/USDT&from=" + (now - 600), 401);
    checkOn(
        port,
        "POST",
        "/admin/backfill?symbol=BTC/USDT&from=" + (now - 600),
        Map.of("Authorization", "Bearer wrong"),
        403);
    checkOn(port, "POST", "/admin/backfill?symbol=BTC/USDT", auth, 400);
    checkOn(port, "POST", "/admin/backfill?symbol=BTC/USDT&from=" + (now - 600), auth, null);
    checkOn(port, "GET", "/admin/backfill/no-such-job", auth, null);
    checkOn(port, "GET", "/admin/verticles", auth, null);
    checkOn(port, "POST", "/admin/verticles/nope/redeploy", auth, null);

    Set<String> documented = new TreeSet<>();
    document
        .get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
    Set<String> missed = new TreeSet<>(documented);
    missed.removeAll(exercised);
    missed.removeAll(PENDING);
    assertThat(missed).as("documented operations no check exercised").isEmpty();
  }

  /** The /docs page loads only assets this server serves (the Swagger UI bundle from the jar). */
  @Test
  void theDocsPageAndItsBundleAreServedFromTheJar() throws Exception {
    oracle.support.Requirements.require(
        getClass().getClassLoader().getResource("webroot/docs/vendor/swagger-ui-bundle.js") != null,
        "the Swagger UI bundle was not built (npm was missing when the build ran); install npm and rebuild");
    String html = body(get(port, "/docs", Map.of()));
    assertThat(html)
        .contains("/docs/vendor/swagger-ui-bundle.js")
        .contains("/docs/docs.js")
        .doesNotContain("https://");
    for (String asset :
        List.of(
            "/docs/vendor/swagger-ui-bundle.js", "/docs/vendor/swagger-ui.css", "/docs/docs.js")) {
      HttpResponse<InputStream> r = get(port, asset, Map.of());
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(body(r).length()).as(asset + " size").isGreaterThan(100);
    }
  }

  /**
   * The checks bite: answers that drifted from the document (a renamed field, a wrong type) are
   * rejected.
   */
  @Test
  void aDriftedAnswerIsRejected() throws Exception {
    JsonSchema ohlcv =
        schemas.getSchema(
            SchemaLocation.of(BASE + "#/components/schemas/Ohlcv"),
            SchemaValidatorsConfig.builder().build());
    assertThat(
            ohlcv.validate(
                mapper.readTree(
                    "{\"symbol\":\"BTC/USDT\",\"resolution\":\"1m\",\"candles\":[],\"nextFrom\":null}")))
        .isEmpty();
    assertThat(
            ohlcv.validate(
                mapper.readTree(
                    "{\"symbol\":\"BTC/USDT\",\"resolution\":\"1m\",\"bars\":[],\"nextFrom\":null}")))
        .isNotEmpty();
    assertThat(
            ohlcv.validate(
                mapper.readTree(
                    "{\"symbol\":\"BTC/USDT\",\"resolution\":\"1m\",\"candles\":[{\"time\":\"x\",\"open\":1,\"high\":1,\"low\":1,\"close\":1,\"volume\":1}],\"nextFrom\":null}")))
        .isNotEmpty();
    JsonSchema error =
        schemas.getSchema(
            SchemaLocation.of(
                BASE + "#/components/responses/E400/content/application~1json/schema"),
            SchemaValidatorsConfig.builder().build());
    assertThat(error.validate(mapper.readTree("{\"status\":400}")))
        .as("an error without error/message")
        .isNotEmpty();
  }

  // ---- checking one answer against the document ----

  private void check(String method, String pathAndQuery, Integer expected) throws Exception {
    checkOn(port, method, pathAndQuery, Map.of(), expected);
  }

  private void checkOn(
      int on, String method, String pathAndQuery, Map<String, String> headers, Integer expected)
      throws Exception {
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    String template = template(path);
    String operation = method + " " + template;
    HttpResponse<InputStream> r = send(on, method, pathAndQuery, headers);
    int status = r.statusCode();
    String type = r.headers().firstValue("content-type").orElse("").replaceAll(";.*", "").trim();
    String text = type.equals("text/event-stream") ? "" : body(r);
    r.body().close();
    String label = operation + " (" + pathAndQuery + ") -> " + status + " " + type;
    System.out.println(label);
    if (PENDING.contains(operation) && status == 404 && text.contains("no route")) {
      System.out.println(
          "  not served on this branch yet (another item of issue 13 adds it): " + operation);
      return;
    }
    if (expected != null) assertThat(status).as(label + ": " + text).isEqualTo(expected);
    assertThat(template).as("documented path for " + path).isNotNull();
    JsonNode op = document.get("paths").get(template).get(method.toLowerCase());
    assertThat(op).as("documented operation " + operation).isNotNull();
    exercised.add(operation);

    String pointer =
        "/paths/" + escape(template) + "/" + method.toLowerCase() + "/responses/" + status;
    JsonNode response = op.get("responses").get(Integer.toString(status));
    assertThat(response).as(label + " is a documented status; body " + text).isNotNull();
    if (response.has("$ref")) {
      pointer = response.get("$ref").asText().substring(1);
      response = at(pointer);
    }
    if (response.has("headers")) {
      for (Iterator<String> it = response.get("headers").fieldNames(); it.hasNext(); ) {
        String header = it.next();
        assertThat(r.headers().firstValue(header))
            .as(label + ": documented header " + header)
            .isPresent();
      }
    }
    JsonNode content = response.get("content");
    assertThat(content).as(label + ": documented content").isNotNull();
    assertThat(content.has(type))
        .as(label + ": documented content types " + iterable(content.fieldNames()))
        .isTrue();
    if (!type.equals("application/json")) return;
    JsonSchema schema =
        schemas.getSchema(
            SchemaLocation.of(BASE + "#" + pointer + "/content/application~1json/schema"),
            SchemaValidatorsConfig.builder().build());
    Set<ValidationMessage> errors = schema.validate(mapper.readTree(text));
    assertThat(errors).as(label + " body " + text).isEmpty();
  }

  /**
   * The documented path template matching a concrete path ({@code /admin/backfill/{id}}), or null.
   */
  private String template(String path) {
    for (Iterator<String> it = document.get("paths").fieldNames(); it.hasNext(); ) {
      String t = it.next();
      String regex = "^" + Pattern.quote(t).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
      if (Pattern.compile(regex).matcher(path).matches()) return t;
    }
    return null;
  }

  private JsonNode at(String pointer) {
    return document.at(pointer);
  }

  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  private static Set<String> iterable(Iterator<String> it) {
    Set<String> out = new LinkedHashSet<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private HttpResponse<InputStream> get(int on, String path, Map<String, String> headers)
      throws Exception {
    return send(on, "GET", path, headers);
  }

  private HttpResponse<InputStream> send(
      int on, String method, String pathAndQuery, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static String body(HttpResponse<InputStream> r) throws IOException {
    try (InputStream in = r.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
