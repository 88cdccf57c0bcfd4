package oracle.app;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import oracle.config.ConfigLoader;
import oracle.deploy.AppSettings;
import oracle.deploy.OracleDeployment;
import oracle.deploy.Verticles;
import oracle.support.Poll;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live reconfiguration and the verticle admin routes, on a real deployment (Redis database 6). */
class LiveOperationsTest {
  private static final String TOKEN = "test-admin-token-0123456789";

  @TempDir Path dir;

  private Vertx vertx;
  private WebClient client;
  private OracleDeployment deployment;
  private ConfigLoader<AppSettings> loader;
  private Path file;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_APP);
    client = WebClient.create(vertx);
    // A fixed port, as in production: a redeployed HTTP verticle shares it with the old one.
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    file = dir.resolve("config.json");
    write(config(List.of("BTC/USDT")));
    loader = AppSettings.loader(vertx, Map.of("ORACLE_CONFIG", file.toString()), 100);
    deployment = new OracleDeployment(vertx, await(loader.load()));
    await(deployment.start());
  }

  @AfterEach
  void tearDown() {
    loader.close();
    await(deployment.stop());
    await(vertx.close());
  }

  private JsonObject config(List<String> symbols) {
    return TestEnv.baseConfig(TestEnv.REDIS_DB_APP, "oracle_app")
        .put("instanceId", "live-ops")
        .put("http", new JsonObject().put("port", port))
        .put(
            "leader",
            new JsonObject().put("ttlMs", 2_000).put("heartbeatMs", 500).put("retryMs", 100))
        .put("admin", new JsonObject().put("token", TOKEN))
        .put("symbols", new JsonArray(symbols));
  }

  private void write(JsonObject json) throws Exception {
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(tmp, json.encodePrettily());
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void changedSymbolsRedeployEveryVerticleThatKnowsThemButNotTheLeader() throws Exception {
    String leaderBefore = deployment.registry().deploymentId(OracleDeployment.LEADER);
    String pollingBefore = deployment.registry().deploymentId(OracleDeployment.POLLING);
    List<List<String>> applied = new CopyOnWriteArrayList<>();
    loader.onChange(next -> deployment.applyConfig(next).onSuccess(applied::add), err -> {});

    write(config(List.of("BTC/USDT", "ETH/USDT")));

    Poll.until(() -> !applied.isEmpty(), Duration.ofSeconds(5));
    assertThat(applied.get(0))
        .containsExactly(
            OracleDeployment.HTTP,
            OracleDeployment.AGGREGATION,
            OracleDeployment.POLLING,
            OracleDeployment.BACKFILL); // backfill after polling, which answers its kline requests
    assertThat(deployment.registry().deploymentId(OracleDeployment.LEADER)).isEqualTo(leaderBefore);
    assertThat(deployment.registry().deploymentId(OracleDeployment.POLLING))
        .isNotEqualTo(pollingBefore);
    assertThat(deployment.registry().currentConfig().getJsonArray("symbols").getList())
        .containsExactly("BTC/USDT", "ETH/USDT");
    // The new symbol can be read at once (no restart), and backfill knows it.
    HttpResponse<Buffer> ohlcv =
        await(
            client
                .get(port, "127.0.0.1", "/api/v1/market/ohlcv?symbol=ETH/USDT&resolution=1m")
                .send());
    assertThat(ohlcv.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> symbols =
        await(client.get(port, "127.0.0.1", "/api/v1/market/symbols").send());
    assertThat(symbols.bodyAsString()).contains("ETH/USDT");
    HttpResponse<Buffer> backfill =
        await(
            client
                .post(
                    port,
                    "127.0.0.1",
                    "/admin/backfill?symbol=ETH/USDT&from=1764000000&to=1764000600")
                .bearerTokenAuthentication(TOKEN)
                .send());
    assertThat(backfill.statusCode())
        .as(backfill.bodyAsString())
        .isIn(202, 503); // accepted by the leader; 503 only on a follower
    assertThat(backfill.bodyAsString()).doesNotContain("symbol must be one of");
  }

  @Test
  void invalidChangeIsRejectedAndTheRunningConfigurationStays() throws Exception {
    List<String> rejected = new CopyOnWriteArrayList<>();
    loader.onChange(next -> deployment.applyConfig(next), err -> rejected.add(err.getMessage()));

    write(config(List.of("BTCUSDT")));

    Poll.until(() -> !rejected.isEmpty(), Duration.ofSeconds(5));
    assertThat(rejected.get(0))
        .contains("symbols: expected canonical symbols like BTC/USDT, got 'BTCUSDT'");
    assertThat(deployment.registry().currentConfig().getJsonArray("symbols").getList())
        .containsExactly("BTC/USDT");
  }

  @Test
  void aBadValueInAVerticlesSectionIsRejectedBeforeAnythingIsRedeployed() throws Exception {
    String flushBefore = deployment.registry().deploymentId(OracleDeployment.FLUSH);
    List<String> rejected = new CopyOnWriteArrayList<>();
    loader.onChange(next -> deployment.applyConfig(next), err -> rejected.add(err.getMessage()));

    write(config(List.of("BTC/USDT")).put("flush", new JsonObject().put("intervalMs", "soon")));

    Poll.until(() -> !rejected.isEmpty(), Duration.ofSeconds(5));
    assertThat(rejected.get(0)).contains("flush.intervalMs: expected an integer");
    assertThat(deployment.registry().deploymentId(OracleDeployment.FLUSH)).isEqualTo(flushBefore);
    assertThat(deployment.registry().currentConfig().containsKey("flush")).isFalse();
  }

  @Test
  void aChangeWhoseVerticleFailsToStartIsRolledBackAndNothingStaysDown() throws Exception {
    // The flush verticle fails its next start (out of connections, say), then starts normally.
    java.util.concurrent.atomic.AtomicInteger starts =
        new java.util.concurrent.atomic.AtomicInteger();
    deployment
        .registry()
        .add(
            OracleDeployment.FLUSH,
            () ->
                starts.getAndIncrement() == 0
                    ? new io.vertx.core.VerticleBase() {
                      @Override
                      public io.vertx.core.Future<?> start() {
                        return io.vertx.core.Future.failedFuture("no connection available");
                      }
                    }
                    : Verticles.of(deployment.registry().currentConfig()).flush(),
            1);
    List<String> failed = new CopyOnWriteArrayList<>();
    loader.onChange(
        next -> deployment.applyConfig(next).onFailure(err -> failed.add(err.getMessage())),
        err -> {});

    write(config(List.of("BTC/USDT")).put("flush", new JsonObject().put("intervalMs", 120_000)));

    Poll.until(() -> !failed.isEmpty(), Duration.ofSeconds(5));
    assertThat(failed.get(0)).contains("no connection available");
    Poll.until(
        () -> deployment.registry().deploymentId(OracleDeployment.FLUSH) != null,
        Duration.ofSeconds(5));
    assertThat(starts.get()).isEqualTo(2);
    assertThat(deployment.registry().currentConfig().containsKey("flush"))
        .isFalse(); // the running configuration
  }

  @Test
  void adminRoutesRefuseWithoutTheRightToken() {
    assertThat(await(client.get(port, "127.0.0.1", "/admin/verticles").send()).statusCode())
        .isEqualTo(401);
    HttpResponse<Buffer> wrong =
        await(
            client
                .get(port, "127.0.0.1", "/admin/verticles")
                .bearerTokenAuthentication("nope")
                .send());
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.bodyAsJsonObject().getString("field")).isEqualTo("Authorization");
    HttpResponse<Buffer> unknown =
        await(
            client
                .post(port, "127.0.0.1", "/admin/verticles/nope/redeploy")
                .bearerTokenAuthentication(TOKEN)
                .send());
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void listsVerticlesAndRedeploysOne() {
    HttpResponse<Buffer> list =
        await(
            client
                .get(port, "127.0.0.1", "/admin/verticles")
                .bearerTokenAuthentication(TOKEN)
                .send());
    assertThat(list.statusCode()).isEqualTo(200);
    JsonArray verticles = list.bodyAsJsonObject().getJsonArray("verticles");
    List<String> names = new ArrayList<>();
    verticles.forEach(v -> names.add(((JsonObject) v).getString("name")));
    assertThat(names)
        .containsExactly("http", "leader", "flush", "aggregation", "polling", "backfill");
    JsonObject polling = verticles.getJsonObject(4);
    assertThat(polling.getString("deploymentId")).isNotBlank();
    assertThat(polling.getString("since")).isNotBlank();
    assertThat(polling.getString("configDigest")).hasSize(16);
    assertThat(polling.getInteger("instances")).isEqualTo(1);

    HttpResponse<Buffer> r =
        await(
            client
                .post(port, "127.0.0.1", "/admin/verticles/polling/redeploy")
                .bearerTokenAuthentication(TOKEN)
                .send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("deploymentId"))
        .isNotEqualTo(polling.getString("deploymentId"));
  }

  @Test
  void redeployingTheLeaderHandsOverWithANewToken() throws Exception {
    long first = waitForLeaderToken();
    HttpResponse<Buffer> r =
        await(
            client
                .post(port, "127.0.0.1", "/admin/verticles/leader/redeploy")
                .bearerTokenAuthentication(TOKEN)
                .send());
    assertThat(r.statusCode()).isEqualTo(200);
    long second = waitForLeaderToken();
    assertThat(second).isGreaterThan(first);
  }

  @Test
  void redeployingHttpDropsNoRequest() throws Exception {
    // One connection per request: a request the client sends on a pooled keep-alive connection
    // that the old server is closing was never accepted; every accepted request must complete.
    WebClient fresh =
        WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions().setKeepAlive(false));
    List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger retried =
        new java.util.concurrent.atomic.AtomicInteger();
    HttpResponse<Buffer> r =
        await(
            client
                .post(port, "127.0.0.1", "/admin/verticles/http/redeploy")
                .bearerTokenAuthentication(TOKEN)
                .send());
    assertThat(r.statusCode()).isEqualTo(202);
    for (int i = 0; i < 300; i++) {
      inFlight.add(
          fresh
              .get(port, "127.0.0.1", "/api/v1/health")
              .send()
              // A connection the old listener accepted in the instant it shuts down is closed
              // before its request is read (Vert.x closes a connection with no request in
              // progress): that request was never accepted, and HTTP lets a client send an
              // idempotent request again on a new connection (RFC 9112, 9.3.1), as browsers do.
              .recover(
                  err -> {
                    if (!(err instanceof io.vertx.core.http.HttpClosedException))
                      return Future.failedFuture(err);
                    retried.incrementAndGet();
                    return fresh.get(port, "127.0.0.1", "/api/v1/health").send();
                  }));
      Thread.sleep(2);
    }
    for (Future<HttpResponse<Buffer>> f : inFlight) {
      HttpResponse<Buffer> resp = await(f);
      assertThat(resp.statusCode()).as(resp.bodyAsString()).isEqualTo(200);
    }
    // Only connections opened in that instant (the client keeps at most 5 open at once): a server
    // dropping the requests it is serving when it stops would lose every one in flight.
    assertThat(retried.get()).as("requests sent again").isLessThanOrEqualTo(2);
    Poll.until(
        () ->
            !deployment.registry().describe().getJsonObject(0).getString("deploymentId").isEmpty(),
        Duration.ofSeconds(5));
  }

  private long waitForLeaderToken() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      JsonObject h =
          await(client.get(port, "127.0.0.1", "/api/v1/health").send()).bodyAsJsonObject();
      if (h.getBoolean("leader")) return h.getLong("fencingToken");
      Thread.sleep(50);
    }
    throw new AssertionError("no leader");
  }
}
