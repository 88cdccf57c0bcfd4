package oracle.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import oracle.common.Addresses;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/health}: this instance's view of itself and its dependencies. 200 when Redis
 * and PostgreSQL answer, 503 with the reasons otherwise. Each probe has a short timeout so the
 * endpoint answers even when a dependency hangs.
 */
final class HealthHandler {
  private static final long PROBE_TIMEOUT_MS = 1_500;

  private final Vertx vertx;
  private final Redis redis;
  private final Pool pg;
  private final String instanceId;
  private final long startedAt = System.currentTimeMillis();
  /** Prices come from the dev mode's built-in market simulator (config key {@code simulated}). */
  boolean simulated;

  HealthHandler(Vertx vertx, Redis redis, Pool pg, String instanceId) {
    this.vertx = vertx;
    this.redis = redis;
    this.pg = pg;
    this.instanceId = instanceId;
  }

  void handle(RoutingContext ctx) {
    Future<Boolean> redisUp = redis.send(Request.cmd(Command.PING)).timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).map(r -> true).otherwise(false);
    Future<Boolean> pgUp = pg.query("SELECT 1").execute().timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).map(r -> true).otherwise(false);
    Future<JsonObject> leader = ask(Addresses.LEADER_STATUS);
    Future<JsonObject> polling = ask(Addresses.POLLING_STATUS);
    Future<JsonObject> flush = ask(Addresses.FLUSH_STATUS);
    Future.join(redisUp, pgUp, leader, polling, flush).onComplete(ignored -> {
      List<String> reasons = new ArrayList<>();
      if (!redisUp.result()) reasons.add("redis unreachable");
      if (!pgUp.result()) reasons.add("postgres unreachable");
      JsonObject l = leader.result();
      JsonObject body = new JsonObject()
          .put("status", reasons.isEmpty() ? "ok" : "degraded")
          .put("instanceId", instanceId)
          .put("leader", l.getBoolean("leader", false))
          .put("fencingToken", l.getValue("fencingToken"))
          .put("redis", redisUp.result() ? "up" : "down")
          .put("postgres", pgUp.result() ? "up" : "down")
          .put("exchanges", polling.result().getJsonObject("exchanges", new JsonObject()))
          .put("flushLagSeconds", flush.result().getValue("lagSeconds"))
          .put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000);
      JsonObject flushState = flush.result();
      if (!flushState.isEmpty()) body.put("flush", flushState);
      if (!reasons.isEmpty()) body.put("reasons", reasons);
      if (simulated) body.put("simulated", true); // dev mode's market simulator: say so plainly
      ctx.response()
          .setStatusCode(reasons.isEmpty() ? 200 : 503)
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(body.encode());
    });
  }

  /** Asks a local verticle for its status; an absent verticle yields an empty object. */
  private Future<JsonObject> ask(String address) {
    return vertx.eventBus()
        .<JsonObject>request(address, null, new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS))
        .map(m -> m.body() == null ? new JsonObject() : m.body())
        .otherwise(new JsonObject());
  }
}
