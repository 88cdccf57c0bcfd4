package oracle.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.config.OracleConfig;
import oracle.http.market.MarketApi;
import oracle.http.market.UdfApi;
import oracle.http.ratelimit.RateLimitHandler;
import oracle.http.ratelimit.RateLimitSettings;
import oracle.http.ratelimit.RateLimiter;
import oracle.http.stream.EventBusBridge;
import oracle.http.admin.AdminRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API, served by every instance: health, metrics (and the market routes). */
public final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

  public static final String LOCAL_MAP = "oracle.http";
  public static final String PORT_KEY = "port";

  private Redis redis;
  private Pool pg;
  private HttpServer server;

  @Override
  public Future<?> start() {
    OracleConfig config = OracleConfig.from(config());
    redis = RedisFactory.create(vertx, config.redisUrl());
    pg = PgFactory.pool(vertx, config.pgUrl(), config.pgPoolSize());

    RateLimitSettings rateLimit = RateLimitSettings.from(config);
    MarketApi market = new MarketApi(vertx, config, redis, pg);

    Router router = Router.router(vertx);
    // HEAD is GET without the body (uptime monitors, proxies): routed as GET, vert.x leaves the body
    // out. Not for the endless streams, which a HEAD would hold open.
    router.route().method(HttpMethod.HEAD).handler(ctx -> {
      String path = ctx.request().path();
      if (path.endsWith("/stream") || path.startsWith(EventBusBridge.MOUNT)) ctx.next();
      else ctx.reroute(HttpMethod.GET, ctx.request().uri());
    });
    ApiMetrics metrics = new ApiMetrics();
    router.route().handler(metrics::handle);
    HealthHandler health = new HealthHandler(vertx, redis, pg, config.instanceId());
    health.simulated = config.json().getBoolean("simulated", false);
    router.get(metrics.template("/api/v1/health")).handler(health::handle);
    router.get(metrics.template("/metrics")).handler(PrometheusScrapingHandler.create());
    WebPage.mount(router); // the chart page: GET / and its assets under /ui/
    ApiDocs.mount(router); // GET /api/v1/openapi.json and its rendered page GET /docs
    router.route(EventBusBridge.MOUNT + "/*").subRouter(EventBusBridge.router(vertx));
    // Everything below is rate limited; health, metrics and the bridge above are not.
    router.route("/api/*").handler(new RateLimitHandler(new RateLimiter(redis, rateLimit), rateLimit)::handle);
    router.route(MarketApi.MOUNT + "/*").subRouter(market.router(metrics));
    router.route(UdfApi.MOUNT + "/*").subRouter(new UdfApi(vertx, market).router(metrics));
    AdminRoutes.mount(vertx, router, config);
    ApiErrors.install(router);

    server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
        .setMaxInitialLineLength(ApiErrors.MAX_REQUEST_LINE));
    return server.requestHandler(router).invalidRequestHandler(ApiErrors::invalidRequest).listen(config.httpPort())
        .onSuccess(s -> {
          // Published so tests and tools can find the port when configured as 0.
          vertx.sharedData().getLocalMap(LOCAL_MAP).put(PORT_KEY, s.actualPort());
          log.info("HTTP listening on port {}", s.actualPort());
        });
  }

  /** The bound port of this instance's server (the API tests deploy it directly with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    // Closing the server first lets in-flight requests finish before the clients go away.
    return server.shutdown().eventually(() -> redis.close()).eventually(() -> pg.close());
  }
}
