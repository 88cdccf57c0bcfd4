package oracle.http.admin;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import oracle.backfill.BackfillVerticle;
import oracle.backfill.FakeKlineSource;
import oracle.common.Addresses;
import oracle.deploy.AppSettings;
import oracle.storage.CandleRepository;
import oracle.storage.Resolution;
import oracle.storage.StorageBackend;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The admin routes over real HTTP, talking to a real BackfillVerticle on plain PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillAdminRoutesTest {
  static final String TOKEN = "s3cret-admin-token-0123456789";

  Vertx vertx;
  Pool pool;
  CandleRepository repo;
  WebClient client;
  HttpServer withToken;
  HttpServer withoutToken;
  long base;

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    pool = StorageBackend.PLAIN.pool(vertx);
    repo = StorageBackend.PLAIN.freshSchema(pool);
    JsonObject config =
        TestEnv.baseConfig(TestEnv.REDIS_DB_STORAGE, "oracle_storage")
            .put("symbols", new JsonArray().add("BTC/USDT").add("ETH/USDT"))
            .put("admin", new JsonObject().put("token", TOKEN))
            .put(
                "backfill", new JsonObject().put("windowMinutes", 5).put("intervalMs", 86_400_000));
    AppSettings settings = AppSettings.from(config);
    await(
        vertx.deployVerticle(
            () ->
                new BackfillVerticle(
                    settings.stores(),
                    settings.backfill(),
                    settings.ingestion(),
                    settings.exchanges(),
                    settings.storage(),
                    () ->
                        List.of(
                            new FakeKlineSource("binance", 0, false),
                            new FakeKlineSource("okx", 0.5, false))),
            new DeploymentOptions().setConfig(config)));
    withToken = server(AppSettings.from(config));
    withoutToken =
        server(AppSettings.from(config.copy().put("admin", new JsonObject().put("token", ""))));
    client = WebClient.create(vertx);
    base = Resolution.D1.bucketStart(System.currentTimeMillis() / 1000) - 86_400;
  }

  HttpServer server(AppSettings config) {
    Router router = Router.router(vertx);
    oracle.http.admin.AdminRoutes.mount(
        vertx, router, config.adminToken(), config.rateLimits().trustedProxies(), config.symbols());
    return await(vertx.createHttpServer().requestHandler(router).listen(0));
  }

  @AfterAll
  void tearDown() {
    client.close();
    await(pool.close());
    await(vertx.close());
  }

  HttpResponse<Buffer> post(HttpServer server, String query, String auth) {
    var req = client.post(server.actualPort(), "127.0.0.1", "/admin/backfill?" + query);
    if (auth != null) req.putHeader("Authorization", auth);
    return await(req.send());
  }

  HttpResponse<Buffer> get(String id, String auth) {
    var req = client.get(withToken.actualPort(), "127.0.0.1", "/admin/backfill/" + id);
    if (auth != null) req.putHeader("Authorization", auth);
    return await(req.send());
  }

  String range() {
    return "symbol=BTC/USDT&from=" + base + "&to=" + (base + 29 * 60);
  }

  @Test
  void routesAreOffWithoutAConfiguredToken() {
    assertThat(post(withoutToken, range(), "Bearer " + TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void missingTokenIs401AndWrongTokenIs403() {
    assertThat(post(withToken, range(), null).statusCode()).isEqualTo(401);
    assertThat(post(withToken, range(), "Basic abc").statusCode()).isEqualTo(401);
    assertThat(post(withToken, range(), "Bearer nope").statusCode()).isEqualTo(403);
    assertThat(get("x", null).statusCode()).isEqualTo(401);
    assertThat(get("x", "Bearer nope").statusCode()).isEqualTo(403);
  }

  @Test
  void badParametersAre400NamingTheField() {
    String auth = "Bearer " + TOKEN;
    assertThat(field(post(withToken, "from=" + base + "&to=" + (base + 60), auth)))
        .isEqualTo("symbol");
    assertThat(field(post(withToken, "symbol=DOGE/USDT&from=" + base + "&to=" + (base + 60), auth)))
        .isEqualTo("symbol");
    assertThat(field(post(withToken, "symbol=BTC/USDT&from=yesterday&to=" + (base + 60), auth)))
        .isEqualTo("from");
    assertThat(field(post(withToken, "symbol=BTC.USDT&from=" + base + "&to=" + (base + 60), auth)))
        .isEqualTo("symbol");
    assertThat(field(post(withToken, "symbol=DOGEUSDT&from=" + base + "&to=" + (base + 60), auth)))
        .isEqualTo("symbol");
    assertThat(
            field(
                post(withToken, "symbol=BTC/USDT&from=" + base + "&to=2026-02-30T00:00:00Z", auth)))
        .isEqualTo("to");
    assertThat(field(post(withToken, "symbol=BTC/USDT&from=" + base, auth))).isEqualTo("to");
    assertThat(field(post(withToken, "symbol=BTC/USDT&from=" + base + "&to=" + (base - 60), auth)))
        .isEqualTo("to");
    assertThat(
            field(
                post(
                    withToken,
                    "symbol=BTC/USDT&from=" + (base - 40 * 86_400) + "&to=" + base,
                    auth)))
        .isEqualTo("to");
  }

  static String field(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_request"); // the API's shape
    assertThat(r.bodyAsJsonObject().getString("message")).isNotBlank();
    return r.bodyAsJsonObject().getString("field");
  }

  @Test
  void aNewTermsFirstScanFillsUpToTheMinuteBeforeIt() throws InterruptedException {
    // The periodic passes leave the last minutes to the flush; a term's first scan need not (its
    // ticks cannot write minutes closed before it), so a first run's chart has no gap there.
    long lastClosed = System.currentTimeMillis() / 1000 / 60 * 60 - 60;
    vertx
        .eventBus()
        .publish(
            Addresses.LEADER_ELECTED,
            new JsonObject().put("instanceId", "t").put("fencingToken", 70_000));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Long> missing = List.of(lastClosed);
    while (System.nanoTime() < deadline && !missing.isEmpty()) {
      Thread.sleep(100);
      missing = await(repo.missingMinutes("ETH/USDT", lastClosed, lastClosed));
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void aJobStartsOnTheLeaderAndReportsProgress() throws InterruptedException {
    String auth = "Bearer " + TOKEN;
    vertx.eventBus().publish(Addresses.LEADER_REVOKED, new JsonObject());
    HttpResponse<Buffer> follower = post(withToken, range(), auth);
    assertThat(follower.statusCode()).isEqualTo(503);
    assertThat(follower.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");

    vertx
        .eventBus()
        .publish(
            Addresses.LEADER_ELECTED,
            new JsonObject().put("instanceId", "t").put("fencingToken", 70_000));
    HttpResponse<Buffer> started =
        post(
            withToken,
            // Spelled as users type it: the job is the canonical symbol's.
            "symbol=btc-usdt&from="
                + java.time.Instant.ofEpochSecond(base)
                + "&to="
                + (base + 29 * 60),
            auth);
    assertThat(started.statusCode()).isEqualTo(202);
    String id = started.bodyAsJsonObject().getString("id");
    assertThat(started.getHeader("Location")).isEqualTo("/admin/backfill/" + id);
    assertThat(started.bodyAsJsonObject().getString("symbol")).isEqualTo("BTC/USDT");

    JsonObject progress = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      progress = get(id, auth).bodyAsJsonObject();
      if ("done".equals(progress.getString("state"))) break;
      Thread.sleep(50);
    }
    assertThat(progress.getString("state")).isEqualTo("done");
    assertThat(progress.getInteger("missingMinutes")).isEqualTo(30);
    assertThat(progress.getInteger("filledMinutes")).isEqualTo(30);
    assertThat(progress.getString("symbol")).isEqualTo("BTC/USDT");
    assertThat(await(repo.missingMinutes("BTC/USDT", base, base + 29 * 60))).isEmpty();
    HttpResponse<Buffer> unknown = get("no-such-job", auth);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(unknown.bodyAsJsonObject().getString("field")).isEqualTo("id");
  }
}
