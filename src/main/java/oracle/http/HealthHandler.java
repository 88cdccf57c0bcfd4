package oracle.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import oracle.common.RedisKeys;
import oracle.flush.FlushClient;
import oracle.leader.LeaderClient;
import oracle.polling.PollingClient;

/**
 * Health for operators and orchestrators.
 *
 * <ul>
 *   <li>{@code GET /api/v1/health}: this instance's view of itself and its dependencies. {@code
 *       status} is {@code ok}, or {@code degraded} with {@code reasons}: Redis unreachable, fewer
 *       than 2 healthy sources, no price updated within {@code ingestion.stalenessMs}. 200 while it
 *       can serve reads, 503 when it cannot (PostgreSQL unreachable).
 *   <li>{@code GET /api/v1/health/live}: the process answers (200, no dependency probed): liveness.
 *   <li>{@code GET /api/v1/health/ready}: reads can be served (the database answers): readiness,
 *       503 otherwise.
 * </ul>
 *
 * <p>Price freshness is judged from the shared {@code oracle:price:<symbol>} keys, so followers
 * (which do not ingest) report what the leader publishes. Healthy sources are the leader's closed
 * breakers; a follower, whose breakers never run, counts the sources used by the fresh prices
 * instead. The Redis and PostgreSQL probes (and the prices) are shared for {@link #CACHE_MS} by
 * every request, so a flood of health checks costs one {@code SELECT 1} a second, not one each on
 * the pool the API reads from; leadership and breakers come from the local verticles on every
 * request.
 */
final class HealthHandler {
  private static final long PROBE_TIMEOUT_MS = 1_500;
  static final long CACHE_MS = 1_000;
  static final int MIN_HEALTHY_SOURCES = 2;

  private final LeaderClient leaderClient;
  private final PollingClient pollingClient;
  private final FlushClient flushClient;
  private final Redis redis;
  private final Pool pg;
  private final String instanceId;
  private final List<String> symbols;
  private final long stalenessMs;
  private final long startedAt = System.currentTimeMillis();
  private Future<Probes> probes;
  private long probedAt;

  /** Prices come from the dev mode's built-in market simulator (config key {@code simulated}). */
  boolean simulated;

  HealthHandler(
      Vertx vertx,
      Redis redis,
      Pool pg,
      String instanceId,
      List<String> symbols,
      long stalenessMs) {
    this.leaderClient = new LeaderClient(vertx);
    this.pollingClient = new PollingClient(vertx);
    this.flushClient = new FlushClient(vertx);
    this.redis = redis;
    this.pg = pg;
    this.instanceId = instanceId;
    this.symbols = List.copyOf(symbols);
    this.stalenessMs = stalenessMs;
  }

  /** What the probes saw; {@code prices} is null when Redis did not answer. */
  private record Probes(long at, boolean redisUp, boolean pgUp, PriceView prices) {}

  /**
   * The local verticles' own state, asked on every request (in-process, cheap, and never stale).
   */
  private record Local(JsonObject leader, JsonObject polling, JsonObject flush) {}

  private Future<Local> local() {
    Future<JsonObject> leader = orEmpty(leaderClient.status());
    Future<JsonObject> polling = orEmpty(pollingClient.status());
    Future<JsonObject> flush = orEmpty(flushClient.status());
    return Future.join(leader, polling, flush)
        .transform(
            ignored ->
                Future.succeededFuture(
                    new Local(leader.result(), polling.result(), flush.result())));
  }

  void live(RoutingContext ctx) {
    send(ctx, 200, new JsonObject().put("status", "ok").put("instanceId", instanceId));
  }

  void ready(RoutingContext ctx) {
    probes()
        .onComplete(
            ar -> {
              Probes p = ar.result();
              JsonObject body =
                  new JsonObject()
                      .put("status", p.pgUp ? "ok" : "unavailable")
                      .put("postgres", p.pgUp ? "up" : "down")
                      .put("redis", p.redisUp ? "up" : "down");
              if (!p.pgUp) body.put("reasons", new JsonArray().add("postgres unreachable"));
              send(ctx, p.pgUp ? 200 : 503, body);
            });
  }

  void handle(RoutingContext ctx) {
    Future<Probes> probes = probes();
    Future<Local> local = local();
    Future.join(probes, local)
        .onComplete(
            ar -> {
              Probes p = probes.result();
              Local l = local.result();
              List<String> reasons = new ArrayList<>();
              if (!p.redisUp) reasons.add("redis unreachable");
              if (!p.pgUp) reasons.add("postgres unreachable");
              boolean leader = l.leader.getBoolean("leader", false);
              JsonObject exchanges = l.polling.getJsonObject("exchanges", new JsonObject());
              Long newest = null;
              Integer healthy = null;
              if (p.prices != null) {
                newest = p.prices.newestMs();
                healthy = leader ? closedBreakers(exchanges) : p.prices.sourcesUsed().size();
                if (healthy < MIN_HEALTHY_SOURCES)
                  reasons.add(
                      "fewer than " + MIN_HEALTHY_SOURCES + " healthy sources (" + healthy + ")");
                if (newest == null || p.at - newest > stalenessMs)
                  reasons.add("no price updated within " + stalenessMs + " ms");
              }
              JsonObject body =
                  new JsonObject()
                      .put("status", reasons.isEmpty() ? "ok" : "degraded")
                      .put("instanceId", instanceId)
                      .put("leader", leader)
                      .put("fencingToken", l.leader.getValue("fencingToken"))
                      .put("redis", p.redisUp ? "up" : "down")
                      .put("postgres", p.pgUp ? "up" : "down")
                      .put("exchanges", exchanges)
                      // per source: connected | reconnecting | polling | off (README, Health)
                      .put("streams", l.polling.getJsonObject("streams", new JsonObject()))
                      .put("healthySources", healthy)
                      .put("lastPriceAgeMs", newest == null ? null : Math.max(0, p.at - newest))
                      .put("flushLagSeconds", l.flush.getValue("lagSeconds"))
                      .put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000);
              if (!l.flush.isEmpty()) body.put("flush", flushDetails(l.flush));
              if (!reasons.isEmpty()) body.put("reasons", reasons);
              if (simulated)
                body.put("simulated", true); // dev mode's market simulator: say so plainly
              // Degraded still serves (history from the database, possibly partial): 503 only when
              // reads cannot be served.
              send(ctx, p.pgUp ? 200 : 503, body);
            });
  }

  /**
   * The flush verticle's status without what the body says at its top level already ({@code
   * lagSeconds} is {@code flushLagSeconds}, {@code leader} is {@code leader}), and its {@code
   * lastFlushAt} milliseconds also as {@code lastFlushAtMs} (the API's {@code *Ms} naming; the old
   * name stays, deprecated, for existing clients).
   */
  static JsonObject flushDetails(JsonObject status) {
    JsonObject flush = status.copy();
    flush.remove("lagSeconds");
    flush.remove("leader");
    if (flush.containsKey("lastFlushAt")) flush.put("lastFlushAtMs", flush.getValue("lastFlushAt"));
    return flush;
  }

  private static int closedBreakers(JsonObject exchanges) {
    int n = 0;
    for (String name : exchanges.fieldNames()) {
      if ("CLOSED".equalsIgnoreCase(String.valueOf(exchanges.getValue(name)))) n++;
    }
    return n;
  }

  /** The probes of the last second, or new ones; requests arriving while they run share them. */
  private Future<Probes> probes() {
    long now = System.currentTimeMillis();
    if (probes == null || (probes.isComplete() && now - probedAt >= CACHE_MS)) {
      probedAt = now;
      probes = probe(now);
    }
    return probes;
  }

  private Future<Probes> probe(long now) {
    Future<Boolean> redisUp =
        timed(redis.send(Request.cmd(Command.PING))).map(r -> true).otherwise(false);
    Future<Boolean> pgUp = timed(pg.query("SELECT 1").execute()).map(r -> true).otherwise(false);
    Future<PriceView> prices = prices(now);
    return Future.join(redisUp, pgUp, prices)
        .transform(
            ignored ->
                Future.succeededFuture(
                    new Probes(now, redisUp.result(), pgUp.result(), prices.result())));
  }

  /**
   * What the prices say: the newest agreed price's time and the sources behind the fresh ones. Read
   * from the leader's one summary key ({@code oracle:prices:summary}), whatever the symbol count;
   * only when it is missing (no tick since an upgrade) from every price (one MGET). Null when Redis
   * failed.
   */
  private Future<PriceView> prices(long now) {
    return timed(redis.send(Request.cmd(Command.GET).arg(RedisKeys.PRICES_SUMMARY)))
        .compose(
            summary -> {
              if (summary == null) return everyPrice(now);
              JsonObject s = new JsonObject(summary.toString());
              long newest = s.getLong("newestPriceMs", 0L);
              Set<String> used = new TreeSet<>();
              if (now - s.getLong("tickMs", 0L) <= stalenessMs && now - newest <= stalenessMs)
                s.getJsonArray("sourcesUsed", new JsonArray()).forEach(e -> used.add(e.toString()));
              return Future.succeededFuture(new PriceView(newest == 0 ? null : newest, used));
            })
        .otherwise((PriceView) null);
  }

  private Future<PriceView> everyPrice(long now) {
    if (symbols.isEmpty()) return Future.succeededFuture(new PriceView(null, Set.of()));
    Request mget = Request.cmd(Command.MGET);
    symbols.forEach(s -> mget.arg(RedisKeys.price(s)));
    return timed(redis.send(mget))
        .map(
            reply -> {
              Long newest = null;
              Set<String> used = new TreeSet<>();
              for (Response r : reply) {
                if (r == null) continue;
                JsonObject price;
                try {
                  price = new JsonObject(r.toString());
                } catch (RuntimeException unreadable) {
                  continue; // an unreadable price is no price
                }
                long ts = price.getLong("timestamp", 0L);
                if (newest == null || ts > newest) newest = ts;
                if (now - ts > stalenessMs) continue;
                JsonArray sources = price.getJsonArray("sourcesUsed", new JsonArray());
                for (int i = 0; i < sources.size(); i++) {
                  Object s = sources.getValue(i);
                  if (s instanceof JsonObject o && o.getString("exchange") != null)
                    used.add(o.getString("exchange"));
                }
              }
              return new PriceView(newest, used);
            });
  }

  /** The newest agreed price's time (null: none) and the sources behind the fresh prices. */
  record PriceView(Long newestMs, Set<String> sourcesUsed) {}

  private static <T> Future<T> timed(Future<T> f) {
    return f.timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Asks a local verticle for its status; an absent verticle yields an empty object. */
  /** A verticle that is not deployed here (or does not answer) reports nothing. */
  private static Future<JsonObject> orEmpty(Future<JsonObject> status) {
    return status.otherwise(new JsonObject());
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }
}
