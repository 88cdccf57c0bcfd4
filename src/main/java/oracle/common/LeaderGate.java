package oracle.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.LongConsumer;

/**
 * Connects a leader-only verticle to the leader signals: it calls {@code onElected(token)} on
 * {@code oracle.leader.elected} and {@code onRevoked} on {@code oracle.leader.revoked}. At attach
 * time it asks the leader verticle for the current state, so a verticle deployed or redeployed
 * while this instance already leads starts at once. Handlers run on the caller's context.
 */
public final class LeaderGate {
  private LeaderGate() {}

  public static Future<Void> attach(Vertx vertx, LongConsumer onElected, Runnable onRevoked) {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.LEADER_ELECTED, m -> onElected.accept(m.body().getLong("fencingToken")));
    vertx.eventBus().<JsonObject>consumer(Addresses.LEADER_REVOKED, m -> onRevoked.run());
    return vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.LEADER_STATUS, null, new DeliveryOptions().setSendTimeout(2_000))
        .map(
            reply -> {
              JsonObject s = reply.body();
              if (s.getBoolean("leader", false)) onElected.accept(s.getLong("fencingToken"));
              return (Void) null;
            })
        // No leader verticle deployed (or not answering): not leader until a signal says otherwise.
        .recover(err -> Future.succeededFuture());
  }
}
