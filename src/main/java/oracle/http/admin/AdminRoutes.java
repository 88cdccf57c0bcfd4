package oracle.http.admin;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import oracle.config.OracleConfig;

/**
 * Every {@code /admin/*} route behind one bearer-token guard. Without a configured token nothing is
 * mounted, so the routes answer 404: an unset token can never mean "open".
 */
public final class AdminRoutes {
  private AdminRoutes() {}

  public static void mount(Vertx vertx, Router router, OracleConfig config) {
    config
        .adminToken()
        .ifPresent(
            token -> {
              router.route("/admin/*").handler(new AdminAuth(token));
              new VerticleAdminRoutes(vertx).mount(router);
              new BackfillAdminRoutes(vertx, config).mount(router);
            });
  }
}
