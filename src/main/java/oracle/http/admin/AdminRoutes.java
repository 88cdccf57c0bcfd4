package oracle.http.admin;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;
import oracle.http.ratelimit.TrustedProxies;

/**
 * Every {@code /admin/*} route behind one bearer-token guard. Without a configured token nothing is
 * mounted, so the routes answer 404: an unset token can never mean "open".
 */
public final class AdminRoutes {
  private AdminRoutes() {}

  /**
   * @param adminToken {@code admin.token}
   * @param trusted the proxies whose {@code X-Forwarded-For} names the client (failed attempts are
   *     counted per client)
   * @param symbols the symbols a backfill job may fill
   */
  public static void mount(
      Vertx vertx,
      Router router,
      Optional<String> adminToken,
      TrustedProxies trusted,
      List<String> symbols) {
    adminToken.ifPresent(
        token -> {
          router.route("/admin/*").handler(new AdminAuth(token, trusted));
          new VerticleAdminRoutes(vertx).mount(router);
          new BackfillAdminRoutes(vertx, symbols).mount(router);
        });
  }
}
