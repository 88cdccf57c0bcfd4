package oracle.http.ratelimit;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.ThreadLocalRandom;
import oracle.config.ConfigException;
import oracle.http.ApiTestEnv;
import oracle.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared quota over real HTTP and Redis (DB 4): two HttpVerticle instances in two Vertx
 * instances count one client together, so the 101st request in a minute is refused by either.
 */
class RateLimitApiTest {
  static Vertx first;
  static Vertx second;
  static int portA;
  static int portB;
  static WebClient client;

  @BeforeAll
  static void start() {
    first = ApiTestEnv.vertx();
    second = ApiTestEnv.vertx();
    ApiTestEnv.createSchema(ApiTestEnv.pg(first));
    TestEnv.flushRedis(first, TestEnv.REDIS_DB_API);
    // The default quota (100 / 60 s); the test's own address is a trusted proxy so each test can
    // act as a distinct client through X-Forwarded-For.
    JsonObject config =
        ApiTestEnv.config()
            .put(
                "rateLimit",
                new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.0/8")));
    portA = ApiTestEnv.deploy(first, config).actualPort();
    portB = ApiTestEnv.deploy(second, config).actualPort();
    client = WebClient.create(first);
  }

  @AfterAll
  static void stop() {
    await(first.close());
    await(second.close());
  }

  static HttpResponse<Buffer> get(int port, String uri, String clientIp) {
    return await(client.get(port, "127.0.0.1", uri).putHeader("X-Forwarded-For", clientIp).send());
  }

  static String randomClient() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "203.0." + r.nextInt(256) + "." + r.nextInt(1, 255);
  }

  /**
   * The window is Redis's clock minute; the estimate weighs the previous minute, so a run that
   * crossed a minute boundary would count less. Start early enough in a minute to finish inside it.
   */
  static void awaitFreshWindowStart() throws InterruptedException {
    Redis redis = ApiTestEnv.redis(first);
    Response time = await(redis.send(Request.cmd(Command.TIME)));
    redis.close();
    long secondInMinute = time.get(0).toLong() % 60;
    if (secondInMinute > 45) Thread.sleep((61 - secondInMinute) * 1000);
  }

  @Test
  void the101stRequestInAMinuteIsRefusedAcrossTwoInstances() throws InterruptedException {
    awaitFreshWindowStart();
    String ip = randomClient();
    for (int i = 1; i <= 100; i++) {
      HttpResponse<Buffer> r = get(i % 2 == 0 ? portA : portB, "/api/v1/market/symbols", ip);
      assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
      assertThat(r.getHeader("X-RateLimit-Limit")).isEqualTo("100");
      assertThat(r.getHeader("X-RateLimit-Remaining"))
          .as("request %d", i)
          .isEqualTo(Integer.toString(100 - i));
      assertThat(Long.parseLong(r.getHeader("X-RateLimit-Reset"))).isBetween(1L, 60L);
    }

    for (int port : new int[] {portA, portB}) {
      HttpResponse<Buffer> refused = get(port, "/api/v1/market/symbols", ip);
      assertThat(refused.statusCode()).isEqualTo(429);
      long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
      assertThat(retryAfter).isBetween(1L, 120L);
      assertThat(refused.getHeader("X-RateLimit-Limit")).isEqualTo("100");
      assertThat(refused.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
      assertThat(refused.getHeader("X-RateLimit-Reset")).isEqualTo(Long.toString(retryAfter));
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
    }

    // Another client is unaffected; health and metrics are exempt for the limited one.
    assertThat(get(portA, "/api/v1/market/symbols", randomClient()).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> health = get(portB, "/api/v1/health", ip);
    assertThat(health.statusCode()).isIn(200, 503);
    assertThat(health.getHeader("X-RateLimit-Limit")).isNull();
    // (Several Vertx instances in one JVM share micrometer's default registry,
    // so /metrics itself may
    // not answer 200 here; what matters is that the limiter leaves it alone.)
    HttpResponse<Buffer> metrics = get(portA, "/metrics", ip);
    assertThat(metrics.statusCode()).isNotEqualTo(429);
    assertThat(metrics.getHeader("X-RateLimit-Limit")).isNull();
  }

  @Test
  void forwardedForIsIgnoredFromAnUntrustedPeer() throws InterruptedException {
    Vertx vertx = ApiTestEnv.vertx();
    try {
      JsonObject config =
          ApiTestEnv.config()
              .put(
                  "rateLimit",
                  new JsonObject()
                      .put("requests", 3)
                      .put("trustedProxies", new JsonArray().add("10.0.0.0/8")));
      int port = ApiTestEnv.deploy(vertx, config).actualPort();
      awaitFreshWindowStart();
      TestEnv.flushRedis(vertx, TestEnv.REDIS_DB_API);
      // Each request claims a new address, but the peer (127.0.0.1) is not a trusted proxy.
      for (int i = 0; i < 3; i++)
        assertThat(get(port, "/api/v1/market/symbols", randomClient()).statusCode()).isEqualTo(200);
      assertThat(get(port, "/api/v1/market/symbols", randomClient()).statusCode()).isEqualTo(429);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void whenRedisIsDownRequestsAreServedAndCounted() {
    Vertx vertx = ApiTestEnv.vertx();
    try {
      // Nothing listens on port 1: every rate-limit call fails.
      JsonObject config =
          ApiTestEnv.config().put("redis", new JsonObject().put("url", "redis://127.0.0.1:1/4"));
      int port = ApiTestEnv.deploy(vertx, config).actualPort();
      double before = failOpenCount(port);

      ch.qos.logback.classic.Logger logger =
          (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RateLimitHandler.class);
      var logs =
          new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
      logs.start();
      logger.addAppender(logs);
      try {
        for (int i = 0; i < 30; i++) {
          HttpResponse<Buffer> r = get(port, "/api/v1/market/symbols", randomClient());
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.getHeader("X-RateLimit-Limit")).isNull();
        }
      } finally {
        logger.detachAppender(logs);
      }
      assertThat(failOpenCount(port)).isGreaterThanOrEqualTo(before + 30);
      // A summary, not a WARN per request: at most one per interval (30 requests take far less).
      assertThat(logs.list).hasSizeLessThanOrEqualTo(1);
    } finally {
      await(vertx.close());
    }
  }

  private static double failOpenCount(int port) {
    String scrape = get(port, "/metrics", "127.0.0.1").bodyAsString();
    return scrape
        .lines()
        .filter(l -> l.startsWith("oracle_api_ratelimit_failopen_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aBadTrustedProxyStopsTheStartWithTheKeyNamed() {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config =
          ApiTestEnv.config()
              .put(
                  "rateLimit",
                  new JsonObject().put("trustedProxies", new JsonArray().add("proxy.example.com")));
      assertThatThrownBy(() -> ApiTestEnv.deploy(vertx, config))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("rateLimit.trustedProxies");
    } finally {
      await(vertx.close());
    }
  }
}
