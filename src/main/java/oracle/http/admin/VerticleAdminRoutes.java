package oracle.http.admin;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/verticles} and {@code POST /admin/verticles/{name}/redeploy}, answered by the
 * deployment over the event bus. Mounted behind {@link AdminAuth}.
 */
public final class VerticleAdminRoutes {
  private final DeploymentClient deployment;

  public VerticleAdminRoutes(Vertx vertx) {
    this.deployment = new DeploymentClient(vertx);
  }

  public void mount(Router router) {
    router.get("/admin/verticles").handler(this::list);
    router.post("/admin/verticles/:name/redeploy").handler(this::redeploy);
  }

  private void list(RoutingContext ctx) {
    deployment
        .verticles()
        .onSuccess(body -> json(ctx, 200, body))
        .onFailure(err -> json(ctx, 503, error("unavailable", err.getMessage())));
  }

  private void redeploy(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    deployment
        .redeploy(name)
        .onSuccess(body -> json(ctx, body.containsKey("deploymentId") ? 200 : 202, body))
        .onFailure(
            err -> {
              if (err instanceof ReplyException re
                  && re.failureCode() == DeploymentClient.UNKNOWN_VERTICLE) {
                json(
                    ctx, 404, error("not_found", "unknown verticle: " + name).put("field", "name"));
              } else {
                json(ctx, 500, error("redeploy_failed", err.getMessage()));
              }
            });
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
