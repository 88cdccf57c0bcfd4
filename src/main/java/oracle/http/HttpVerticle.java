package oracle.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import oracle.common.PgFactory;
import oracle.common.RedisFactory;
import oracle.config.OracleConfig;
import oracle.http.admin.AdminAuth;
import oracle.http.admin.VerticleAdminRoutes;
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

    Router router = Router.router(vertx);
    HealthHandler health = new HealthHandler(vertx, redis, pg, config.instanceId());
    router.get("/api/v1/health").handler(health::handle);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    // Admin routes exist only when a token is configured; without one they are 404.
    config.adminToken().ifPresent(token -> {
      router.route("/admin/*").handler(new AdminAuth(token));
      new VerticleAdminRoutes(vertx).mount(router);
    });

    server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true));
    return server.requestHandler(router).listen(config.httpPort())
        .onSuccess(s -> {
          // Published so tests and tools can find the port when configured as 0.
          vertx.sharedData().getLocalMap(LOCAL_MAP).put(PORT_KEY, s.actualPort());
          log.info("HTTP listening on port {}", s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    // Closing the server first lets in-flight requests finish before the clients go away.
    return server.shutdown().eventually(() -> redis.close()).eventually(() -> pg.close());
  }
}
