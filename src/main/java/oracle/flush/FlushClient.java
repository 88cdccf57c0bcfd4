package oracle.flush;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import oracle.common.Addresses;
import oracle.common.BusRequest;

/** The flush verticle's status over the event bus ({@code oracle.flush.status}). */
public final class FlushClient {
  private static final long TIMEOUT_MS = 1_500;

  private final Vertx vertx;

  public FlushClient(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code leader}, {@code lagSeconds}, {@code lastFlushAt}, {@code lastError}, ... */
  public Future<JsonObject> status() {
    return BusRequest.send(vertx, Addresses.FLUSH_STATUS, null, TIMEOUT_MS);
  }
}
