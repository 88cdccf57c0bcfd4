package oracle.leader;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import oracle.common.Addresses;
import oracle.common.BusRequest;

/**
 * The leader verticle's requests over the event bus, typed in one place: its status ({@code
 * oracle.leader.status}) and the fencing floor a writer saw ({@code oracle.leader.fencing-floor}).
 */
public final class LeaderClient {
  private static final long TIMEOUT_MS = 1_500;

  private final Vertx vertx;

  public LeaderClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code leader}, {@code fencingToken}, ...; fails when no leader verticle answers in time. */
  public Future<JsonObject> status() {
    return BusRequest.send(vertx, Addresses.LEADER_STATUS, null, TIMEOUT_MS);
  }

  /**
   * Tells the leader that the database holds a token above its own (a newer term exists); answers
   * whether it stepped down.
   */
  public Future<Boolean> fencingFloor(long floor) {
    return BusRequest.<JsonObject>send(
            vertx, Addresses.LEADER_FENCING_FLOOR, new JsonObject().put("floor", floor), TIMEOUT_MS)
        .map(body -> body.getBoolean("steppedDown", false));
  }
}
