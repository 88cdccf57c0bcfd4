package oracle.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/** One event-bus request with its timeout, answering the reply's body; for the typed clients. */
public final class BusRequest {
  private BusRequest() {}

  /**
   * The reply's body; fails on timeout, no handler, or the handler's failure (a ReplyException).
   */
  public static <T> Future<T> send(Vertx vertx, String address, Object body, long timeoutMs) {
    return vertx
        .eventBus()
        .<T>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(m -> m.body());
  }
}
