package oracle.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import oracle.aggregation.IngestionCodecs;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.discovery.WholeMarket;
import oracle.fanout.ClusterBus;
import oracle.fanout.FanoutSettings;
import oracle.http.admin.DeploymentClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole oracle in one process. HTTP first (health answers while the rest starts), then the
 * leader (the workers ask it for the current state), then the leader-only workers, ingestion, and
 * backfill last (it asks the polling verticle for klines). Stopping runs in reverse: backfill and
 * ingestion stop first, then the flush runs its final pass, then leadership is released, and HTTP
 * goes last.
 *
 * <p>Also the operator's handle on the running deployment: it answers the admin addresses (list,
 * redeploy) and applies configuration changes by redeploying only the verticles they concern.
 */
public final class OracleDeployment {
  private static final Logger log = LoggerFactory.getLogger(OracleDeployment.class);

  public static final String LEADER = "leader";
  public static final String AGGREGATION = "aggregation";
  public static final String POLLING = "polling";
  public static final String FLUSH = "flush";
  public static final String BACKFILL = "backfill";
  public static final String HTTP = "http";
  public static final String FANOUT = "fanout";

  /** Which verticles a change of each top-level configuration key redeploys. */
  private static final Map<String, List<String>> REDEPLOY_ON_CHANGE =
      Map.of(
          // Every verticle that knows the symbol list follows it: the API serves a new symbol,
          // backfill fills it.
          "symbols",
          List.of(AGGREGATION, POLLING, BACKFILL, HTTP, FANOUT),
          "exchanges",
          List.of(AGGREGATION, POLLING, BACKFILL, HTTP),
          "sources",
          List.of(AGGREGATION, POLLING, BACKFILL),
          "ingestion",
          List.of(AGGREGATION, POLLING, HTTP),
          "flush",
          List.of(FLUSH, AGGREGATION),
          "backfill",
          List.of(BACKFILL),
          "rateLimit",
          List.of(HTTP),
          "admin",
          List.of(HTTP),
          // Whole-market mode: symbols delisted since start stay readable through the API.
          WholeMarket.RETIRED_KEY,
          List.of(HTTP));

  /** Keys that only take effect at the next start (connections, identity, ports). */
  private static final Set<String> RESTART_ONLY =
      Set.of("instanceId", "http", "redis", "postgres", "leader", "cluster", "tcpBridge");

  private final Vertx vertx;
  private final VerticleRegistry registry;
  private final WholeMarket wholeMarket;

  /** Made once: every verticle, redeployed ones included, updates the same gauges. */
  private final OracleMetrics metrics;

  /** The clustered, publish-only Vert.x instance while {@code cluster.enabled}, else null. */
  private volatile Vertx cluster;

  /** The running settings; each (re)deployed verticle is made from them ({@link Verticles}). */
  private volatile AppSettings settings;

  /** Configuration changes and discovery refreshes are applied one at a time, in order. */
  private Future<?> changes = Future.succeededFuture();

  public OracleDeployment(Vertx vertx, AppSettings settings) {
    this.vertx = vertx;
    this.metrics = OracleMetrics.create();
    IngestionCodecs.register(vertx); // once, before any verticle sends a batch

    this.settings = settings;
    this.registry =
        new VerticleRegistry(vertx, settings.json())
            .addOverlapping(HTTP, () -> verticles().http(), 1)
            .add(LEADER, () -> verticles().leader(), 1)
            .add(FLUSH, () -> verticles().flush(), 1)
            .add(AGGREGATION, () -> verticles().aggregation(), 1)
            .add(POLLING, () -> verticles().polling(), 1)
            // After polling, which answers its kline requests: elected at once (the schema is
            // there), it asked before anyone listened ("No handlers for address
            // oracle.polling.klines" for every exchange and window).
            .add(BACKFILL, () -> verticles().backfill(), 1);
    // Outbound only, and only when asked for: the clustered bus and the TCP bridge.
    if (settings.fanout().any()) registry.add(FANOUT, () -> verticles().fanout(cluster), 1);
    this.wholeMarket =
        new WholeMarket(
            vertx,
            json -> AppSettings.from(json).ingestion().sources(),
            () ->
                serially(
                    () ->
                        wholeMarket()
                            .refresh()
                            .map(AppSettings::from)
                            .compose(this::applyResolved)));
  }

  private Verticles verticles() {
    return new Verticles(settings, metrics);
  }

  private WholeMarket wholeMarket() {
    return wholeMarket;
  }

  public VerticleRegistry registry() {
    return registry;
  }

  public Future<Void> start() {
    vertx
        .eventBus()
        .consumer(
            Addresses.ADMIN_VERTICLES,
            m -> m.reply(new JsonObject().put("verticles", registry.describe())));
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ADMIN_REDEPLOY,
            m -> {
              String name = m.body().getString("name");
              if (!registry.has(name)) {
                m.fail(DeploymentClient.UNKNOWN_VERTICLE, "unknown verticle: " + name);
                return;
              }
              if (HTTP.equals(name)) {
                // The request asking for this is served by the HTTP verticle
                // being replaced: answer first, then swap (new listener up
                // before the old one drains), so nothing waits on itself.
                m.reply(new JsonObject().put("name", name).put("status", "redeploying"));
                registry.redeploy(name).onFailure(err -> log.error("redeploy of http failed", err));
                return;
              }
              registry
                  .redeploy(name)
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          m.reply(
                              new JsonObject().put("name", name).put("deploymentId", ar.result()));
                        } else {
                          m.fail(500, ar.cause().getMessage());
                        }
                      });
            });
    // Whole-market mode ("symbols": "auto"): discover the symbols before anything runs.
    return wholeMarket
        .resolve(settings.json())
        .map(json -> resolved(settings, json))
        .compose(
            resolved -> {
              settings = resolved;
              registry.updateConfig(resolved.json());
              return joinCluster().compose(v -> registry.deployAll());
            });
  }

  public Future<Void> stop() {
    wholeMarket.close();
    return registry
        .undeployAll()
        .compose(v -> cluster == null ? Future.<Void>succeededFuture() : cluster.close());
  }

  private Future<Void> joinCluster() {
    FanoutSettings fanout = settings.fanout();
    if (!fanout.clusterEnabled()) return Future.succeededFuture();
    return ClusterBus.join(fanout)
        .onSuccess(
            c ->
                log.info(
                    "joined the candle cluster as {}:{} (members {})",
                    fanout.clusterHost(),
                    fanout.clusterPort(),
                    fanout.clusterMembers()))
        .map(
            c -> {
              cluster = c;
              return null;
            });
  }

  /**
   * Applies a new configuration: redeploys the verticles whose sections changed, leaves the leader
   * (and so the lease and the current minute's candles in Redis) alone. Answers the redeployed
   * names.
   */
  public Future<List<String>> applyConfig(AppSettings next) {
    return serially(
        () ->
            wholeMarket
                .resolve(next.json())
                .map(json -> resolved(next, json))
                .compose(this::applyResolved));
  }

  /**
   * The settings to run: {@code loaded} itself unless whole-market discovery rewrote its JSON (then
   * validated again).
   */
  private static AppSettings resolved(AppSettings loaded, JsonObject json) {
    return json == loaded.json() ? loaded : AppSettings.from(json);
  }

  private synchronized <T> Future<T> serially(java.util.function.Supplier<Future<T>> work) {
    Future<T> next = changes.transform(ignored -> work.get());
    changes = next;
    return next;
  }

  private Future<List<String>> applyResolved(AppSettings next) {
    JsonObject before = settings.json();
    JsonObject after = next.json();
    Set<String> toRedeploy = new LinkedHashSet<>();
    Set<String> keys = new LinkedHashSet<>(before.fieldNames());
    keys.addAll(after.fieldNames());
    for (String key : keys) {
      if (Objects.equals(before.getValue(key), after.getValue(key))) continue;
      if (RESTART_ONLY.contains(key)) {
        log.warn("configuration key '{}' changed; it takes effect at the next restart", key);
      } else {
        toRedeploy.addAll(REDEPLOY_ON_CHANGE.getOrDefault(key, List.of()));
      }
    }
    AppSettings previous = settings;
    settings = next;
    registry.updateConfig(after);
    List<String> ordered = registry.names().stream().filter(toRedeploy::contains).toList();
    return redeployAll(ordered)
        .map(
            v -> {
              if (!ordered.isEmpty())
                log.info("configuration change applied: redeployed {}", ordered);
              return ordered;
            })
        .recover(
            err -> {
              // A verticle failed to start with the new configuration (every
              // value was validated before): go back to the running
              // configuration so no verticle stays down, and report the change.
              log.error(
                  "configuration change failed ({}); restoring the previous configuration",
                  err.getMessage());
              settings = previous;
              registry.updateConfig(previous.json());
              return redeployAll(ordered).transform(ar -> Future.failedFuture(err));
            });
  }

  private Future<Void> redeployAll(List<String> names) {
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.compose(v -> registry.redeploy(name).mapEmpty());
    }
    return chain;
  }
}
