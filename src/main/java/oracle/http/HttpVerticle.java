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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API, served by every instance: health, metrics (and the market routes). */
public final class HttpVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

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
    new oracle.backfill.BackfillAdminRoutes(vertx, config).mount(router); // /admin/backfill (only with an admin token)

    server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true));
    return server.requestHandler(router).listen(config.httpPort())
        .onSuccess(s -> log.info("HTTP listening on port {}", s.actualPort()));
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    // Closing the server first lets in-flight requests finish before the clients go away.
    return server.shutdown().eventually(() -> redis.close()).eventually(() -> pg.close());
  }
}
