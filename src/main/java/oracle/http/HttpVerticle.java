package oracle.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import oracle.common.OracleMetrics;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.http.admin.AdminRoutes;
import oracle.http.common.ApiErrors;
import oracle.http.common.ApiMetrics;
import oracle.http.market.MarketApi;
import oracle.http.market.UdfApi;
import oracle.http.ratelimit.RateLimitHandler;
import oracle.http.ratelimit.RateLimitSettings;
import oracle.http.ratelimit.RateLimiter;
import oracle.http.stream.EventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API, served by every instance: health, metrics (and the market routes). */
public final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

  public static final String LOCAL_MAP = "oracle.http";
  public static final String PORT_KEY = "port";

  private final HttpSettings settings;
  private Redis redis;
  private Pool pg;
  private HttpServer server;

  private final OracleMetrics oracleMetrics;

  public HttpVerticle(HttpSettings settings, OracleMetrics metrics) {
    this.settings = settings;
    this.oracleMetrics = metrics;
  }

  @Override
  public Future<?> start() {
    redis = RedisFactory.create(vertx, settings.stores().redisUrl());
    pg =
        PgFactory.pool(
            vertx,
            settings.stores().pgReadUrl(),
            settings.stores().pgPoolSize()); // every API read: replica or pooler when set

    RateLimitSettings rateLimit = settings.rateLimit();
    MarketApi market = new MarketApi(vertx, settings.marketApi(), redis, pg, oracleMetrics);

    Router router = Router.router(vertx);
    // HEAD is GET without the body (uptime monitors, proxies): routed as GET, vert.x
    // leaves the body out. Not for the endless streams, which a HEAD would hold open.
    router
        .route()
        .method(HttpMethod.HEAD)
        .handler(
            ctx -> {
              String path = ctx.request().path();
              if (path.endsWith("/stream") || path.startsWith(EventBusBridge.MOUNT)) ctx.next();
              else ctx.reroute(HttpMethod.GET, ctx.request().uri());
            });
    ApiMetrics metrics = new ApiMetrics(oracleMetrics);
    router.route().handler(metrics::handle);
    router.route().handler(this::closeWhenDraining);
    HealthHandler health =
        new HealthHandler(
            vertx, redis, pg, settings.instanceId(), settings.symbols(), settings.stalenessMs());
    health.simulated = settings.simulated();
    router.get(metrics.template("/api/v1/health")).handler(health::handle);
    router.get(metrics.template("/api/v1/health/live")).handler(health::live);
    router.get(metrics.template("/api/v1/health/ready")).handler(health::ready);
    router.get(metrics.template("/metrics")).handler(PrometheusScrapingHandler.create());
    WebPage.mount(router); // the chart page: GET / and its assets under /ui/
    EventBusBridge.guard(router);
    ApiDocs.mount(router); // GET /api/v1/openapi.json and its rendered page GET /docs
    router
        .route(EventBusBridge.MOUNT + "/*")
        .subRouter(
            EventBusBridge.router(
                vertx, settings.bridge(), rateLimit.trustedProxies(), oracleMetrics));
    // Everything below is rate limited; health, metrics and the bridge above are not.
    router
        .route("/api/*")
        .handler(
            new RateLimitHandler(new RateLimiter(redis, rateLimit), rateLimit, oracleMetrics)
                ::handle);
    router.route(MarketApi.MOUNT + "/*").subRouter(market.router(metrics));
    router.route(UdfApi.MOUNT + "/*").subRouter(new UdfApi(vertx, market).router(metrics));
    AdminRoutes.mount(
        vertx, router, settings.adminToken(), rateLimit.trustedProxies(), settings.symbols());
    ApiErrors.install(router);

    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                // HTTP/1.x only (VersionGuard answers any other version 505): an h2c upgrade
                // request is served as HTTP/1.1 instead of being switched to HTTP/2 half-way.
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(true)
                .setMaxInitialLineLength(ApiErrors.MAX_REQUEST_LINE)
                // No traffic for this long closes a connection (RequestDeadline also closes one
                // whose request trickles in slower).
                .setIdleTimeout((int) settings.connections().idleTimeoutMs())
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS));
    return server
        .requestHandler(new RequestGuard(router))
        .invalidRequestHandler(ApiErrors::invalidRequest)
        .connectionHandler(new ConnectionGate(settings.connections(), oracleMetrics)::handle)
        .listen(settings.port(), settings.host())
        .onSuccess(
            s -> {
              // Published so tests and tools can find the port when configured as 0.
              vertx.sharedData().getLocalMap(LOCAL_MAP).put(PORT_KEY, s.actualPort());
              log.info("HTTP listening on port {}", s.actualPort());
            });
  }

  /** The bound port of this instance's server (the API tests deploy it directly with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Once this server drains (a redeploy's replacement already listens on the port, or the process
   * stops), every answer says {@code Connection: close} and its connection is closed after it: a
   * keep-alive client then opens a new connection (to the new listener) for its next request
   * instead of sending it on a connection about to close, where it would be lost without an answer.
   */
  private void closeWhenDraining(io.vertx.ext.web.RoutingContext ctx) {
    ctx.addHeadersEndHandler(
        v -> {
          if (draining)
            ctx.response()
                .putHeader(
                    io.vertx.core.http.HttpHeaders.CONNECTION,
                    io.vertx.core.http.HttpHeaders.CLOSE);
        });
    ctx.addEndHandler(
        v -> {
          if (draining) ctx.request().connection().close();
        });
    ctx.next();
  }

  @Override
  public Future<?> stop() {
    // Drain first: for DRAIN_GRACE_MS every busy keep-alive connection gets its last answer with
    // Connection: close (see closeWhenDraining); only then is the server shut down, which lets
    // in-flight requests (and open streams) finish and closes the connections left, all idle.
    draining = true;
    io.vertx.core.Promise<Void> grace = io.vertx.core.Promise.promise();
    vertx.setTimer(DRAIN_GRACE_MS, id -> grace.complete());
    return grace
        .future()
        .compose(
            v -> server.shutdown(SHUTDOWN_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS))
        .eventually(() -> redis.close())
        .eventually(() -> pg.close());
  }

  /**
   * How long a draining server keeps answering (each answer closing its connection) before it
   * stops.
   */
  static final long DRAIN_GRACE_MS = 1_000;

  /** Longest wait for in-flight requests once the server stops accepting. */
  static final long SHUTDOWN_TIMEOUT_SECONDS = 30;

  private volatile boolean draining;
}
