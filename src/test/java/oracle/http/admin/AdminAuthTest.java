package oracle.http.admin;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import oracle.config.ConfigException;
import oracle.deploy.AppSettings;
import oracle.http.ratelimit.TrustedProxies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Failed admin authentications are limited per client; a short admin token is refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAuthTest {
  static final String TOKEN = "admin-auth-test-token-0123456789";

  Vertx vertx;
  HttpServer server;
  WebClient client;

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    // The test's loopback peer is a trusted proxy, so X-Forwarded-For picks the client.
    router
        .route("/admin/*")
        .handler(new AdminAuth(TOKEN, TrustedProxies.parse("k", List.of("127.0.0.1"))));
    router.get("/admin/ping").handler(ctx -> ctx.response().end("pong"));
    server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    client = WebClient.create(vertx);
  }

  @AfterAll
  void tearDown() {
    client.close();
    await(vertx.close());
  }

  HttpResponse<Buffer> ping(String clientIp, String auth) {
    var req =
        client
            .get(server.actualPort(), "127.0.0.1", "/admin/ping")
            .putHeader("X-Forwarded-For", clientIp);
    if (auth != null) req.putHeader("Authorization", auth);
    return await(req.send());
  }

  @Test
  void tenFailuresInAMinuteAndTheClientIsRefusedWithRetryAfterEvenWithTheRightToken() {
    String guesser = "203.0.113.7";
    for (int i = 0; i < FailedAttempts.MAX_FAILURES; i++) {
      assertThat(ping(guesser, i % 2 == 0 ? "Bearer guess" + i : null).statusCode()).isIn(401, 403);
    }
    HttpResponse<Buffer> refused = ping(guesser, "Bearer " + TOKEN);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 60L);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("too_many_attempts");
    // Another client is not affected, and a right token is never counted as a failure.
    for (int i = 0; i < FailedAttempts.MAX_FAILURES + 2; i++) {
      assertThat(ping("203.0.113.8", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void windowsEndAndTheMapIsSwept() {
    FailedAttempts f = new FailedAttempts();
    for (int i = 0; i < FailedAttempts.MAX_FAILURES; i++) f.failed("a", 1_000);
    assertThat(f.blockedForMs("a", 1_000)).isEqualTo(FailedAttempts.WINDOW_MS);
    assertThat(f.blockedForMs("b", 1_000)).isZero();
    long later = 1_000 + FailedAttempts.WINDOW_MS;
    assertThat(f.blockedForMs("a", later)).isZero();
    f.failed("a", later);
    f.failed("a", later + FailedAttempts.WINDOW_MS); // a new window starts
    assertThat(f.blockedForMs("a", later + FailedAttempts.WINDOW_MS)).isZero();
    for (int i = 0; i < FailedAttempts.SWEEP_AT; i++) f.failed("c" + i, 0);
    f.failed("d", FailedAttempts.WINDOW_MS * 10);
    assertThat(f.clients()).isLessThanOrEqualTo(2);
  }

  @Test
  void anAdminTokenShorterThan24CharactersStopsTheStartNamingTheKeyButNotTheToken() {
    JsonObject json = new JsonObject().put("admin", new JsonObject().put("token", "short-secret"));
    assertThatThrownBy(() -> AppSettings.from(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin.token")
        .hasMessageContaining("at least 24 characters")
        .hasMessageNotContaining("short-secret");
    assertThat(
            AppSettings.from(new JsonObject().put("admin", new JsonObject().put("token", "")))
                .adminToken())
        .isEmpty();
  }
}
