package oracle.app;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.deploy.VertxFactory;
import oracle.http.HttpVerticle;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole deployment in-process, over real HTTP, Redis (database 6) and PostgreSQL. */
class OracleAppTest {
  private Vertx vertx;
  private WebClient client;
  private OracleDeployment deployment;

  @BeforeEach
  void setUp() {
    vertx = VertxFactory.withPrometheusMetrics();
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_APP);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    if (deployment != null) await(deployment.stop());
    await(vertx.close());
  }

  private int start(JsonObject overrides) {
    JsonObject json =
        TestEnv.baseConfig(TestEnv.REDIS_DB_APP, "oracle_app")
            .put("instanceId", "app-test")
            .put(
                "leader",
                new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 500).put("retryMs", 100))
            .mergeIn(overrides, true);
    deployment = new OracleDeployment(vertx, AppSettings.from(json));
    await(deployment.start());
    return (Integer)
        vertx.sharedData().getLocalMap(HttpVerticle.LOCAL_MAP).get(HttpVerticle.PORT_KEY);
  }

  @Test
  void healthReportsLeadershipAndDependencies() throws InterruptedException {
    int port = start(new JsonObject());
    JsonObject body = null;
    for (int i = 0; i < 50; i++) {
      HttpResponse<Buffer> r = await(client.get(port, "127.0.0.1", "/api/v1/health").send());
      assertThat(r.statusCode()).isEqualTo(200);
      body = r.bodyAsJsonObject();
      if (body.getBoolean("leader")) break;
      Thread.sleep(100);
    }
    // No exchange answers here (offline): serving, but degraded with the reasons.
    assertThat(body.getString("status")).isEqualTo("degraded");
    assertThat(body.getJsonArray("reasons").getList()).contains("no price updated within 10000 ms");
    assertThat(body.getString("instanceId")).isEqualTo("app-test");
    assertThat(body.getBoolean("leader")).isTrue();
    assertThat(body.getLong("fencingToken")).isPositive();
    assertThat(body.getString("redis")).isEqualTo("up");
    assertThat(body.getString("postgres")).isEqualTo("up");
    assertThat(body.containsKey("exchanges")).isTrue();
    assertThat(body.containsKey("flushLagSeconds")).isTrue();
    assertThat(body.getLong("uptimeSeconds")).isNotNegative();
  }

  @Test
  void metricsArePrometheusText() throws InterruptedException {
    int port = start(new JsonObject());
    await(client.get(port, "127.0.0.1", "/api/v1/health").send());
    Thread.sleep(300);
    HttpResponse<Buffer> r = await(client.get(port, "127.0.0.1", "/metrics").send());
    assertThat(r.statusCode()).isEqualTo(200);
    String text = r.bodyAsString();
    assertThat(text)
        .contains(
            "oracle_is_leader",
            "oracle_leader_changes_total",
            "oracle_leader_fencing_token",
            "jvm_memory_used_bytes",
            "vertx_http_server_requests_total",
            "vertx_eventbus_");
  }

  /**
   * {@code /metrics} stays short: every timer publishes its few explicit buckets (no percentile
   * histogram with Micrometer's default 69 buckets), and the series that must exist from the start
   * do. Prints the line counts (the issue measured 3,000 lines, 2,355 of them buckets).
   */
  @Test
  void metricsHaveFewBucketsPerTimer() throws InterruptedException {
    int port = start(new JsonObject());
    for (String path :
        List.of(
            "/api/v1/health",
            "/api/v1/health/live",
            "/api/v1/health/ready",
            "/api/v1/market/price?symbol=BTC/USDT",
            "/api/v1/market/price?symbol=NOPE",
            "/api/v1/market/symbols",
            "/api/v1/market/ohlcv?symbol=BTC/USDT&resolution=1m",
            "/no/such/route",
            "/metrics")) {
      await(client.get(port, "127.0.0.1", path).send());
    }
    Thread.sleep(300);
    String text = await(client.get(port, "127.0.0.1", "/metrics").send()).bodyAsString();
    List<String> lines = text.lines().toList();
    Map<String, Integer> bucketsPerTimer = new TreeMap<>();
    for (String line : lines) {
      if (line.startsWith("#") || !line.contains("_bucket{")) continue;
      String series = line.substring(0, line.lastIndexOf(' ')).replaceAll("le=\"[^\"]*\",?", "");
      bucketsPerTimer.merge(series, 1, Integer::sum);
    }
    long bucketLines = bucketsPerTimer.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(
        "/metrics: %d lines, %d bucket lines, %d histogram series, at most %d buckets per timer%n",
        lines.size(),
        bucketLines,
        bucketsPerTimer.size(),
        bucketsPerTimer.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    assertThat(bucketsPerTimer).as("the API timer publishes buckets").isNotEmpty();
    assertThat(bucketsPerTimer)
        .allSatisfy((series, n) -> assertThat(n).as(series).isLessThanOrEqualTo(13));
    assertThat(text)
        .contains(
            "oracle_build_info{",
            "oracle_sources_dropped_total{",
            "oracle_price_oldest_age_seconds");
  }

  @Test
  void unreachableDatabaseAnswers503WithTheReason() {
    int port =
        start(
            new JsonObject()
                .put(
                    "postgres",
                    new JsonObject().put("url", "postgresql://postgres@127.0.0.1:1/test")));
    HttpResponse<Buffer> r = await(client.get(port, "127.0.0.1", "/api/v1/health").send());
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("degraded");
    assertThat(body.getString("postgres")).isEqualTo("down");
    assertThat(body.getString("redis")).isEqualTo("up");
    assertThat(body.getJsonArray("reasons").getList())
        .contains("postgres unreachable")
        .doesNotContain("redis unreachable");
  }
}
