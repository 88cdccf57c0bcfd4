package oracle.http.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import oracle.common.Addresses;
import oracle.common.BusRequest;

/**
 * The deployment's admin requests over the event bus, typed in one place: the running verticles
 * ({@code oracle.admin.verticles}) and a redeploy by name ({@code oracle.admin.redeploy}), both
 * answered by {@code oracle.deploy.OracleDeployment}.
 */
public final class DeploymentClient {
  /** A redeploy waits for the old instance to stop and the new one to start. */
  private static final long TIMEOUT_MS = 30_000;

  /** The failure code of a redeploy of a name the deployment does not know. */
  public static final int UNKNOWN_VERTICLE = 404;

  private final Vertx vertx;

  public DeploymentClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code {"verticles": [...]}}. */
  public Future<JsonObject> verticles() {
    return BusRequest.send(vertx, Addresses.ADMIN_VERTICLES, null, TIMEOUT_MS);
  }

  /**
   * {@code {"name", "deploymentId"}} once redeployed, or {@code {"name", "status": "redeploying"}}
   * when the answer comes first (the HTTP verticle replacing itself); fails with a {@code
   * ReplyException} of {@link #UNKNOWN_VERTICLE} for an unknown name.
   */
  public Future<JsonObject> redeploy(String name) {
    return BusRequest.send(
        vertx, Addresses.ADMIN_REDEPLOY, new JsonObject().put("name", name), TIMEOUT_MS);
  }
}
