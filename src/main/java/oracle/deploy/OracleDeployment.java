package oracle.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import oracle.aggregation.AggregationVerticle;
import oracle.backfill.BackfillVerticle;
import oracle.config.OracleConfig;
import oracle.flush.FlushVerticle;
import oracle.http.HttpVerticle;
import oracle.leader.LeaderVerticle;
import oracle.polling.PollingVerticle;

/**
 * The whole oracle in one process. HTTP first (health answers while the rest starts), then the
 * leader (the workers ask it for the current state), then the leader-only workers. Stopping runs in
 * reverse: ingestion stops before the flush, leadership is released before HTTP goes.
 */
public final class OracleDeployment {
  public static final String LEADER = "leader";
  public static final String AGGREGATION = "aggregation";
  public static final String POLLING = "polling";
  public static final String FLUSH = "flush";
  public static final String BACKFILL = "backfill";
  public static final String HTTP = "http";

  private final VerticleRegistry registry;

  public OracleDeployment(Vertx vertx, OracleConfig config) {
    this.registry = new VerticleRegistry(vertx, config.json())
        .add(HTTP, HttpVerticle::new, 1)
        .add(LEADER, LeaderVerticle::new, 1)
        .add(AGGREGATION, AggregationVerticle::new, 1)
        .add(POLLING, PollingVerticle::new, 1)
        .add(FLUSH, FlushVerticle::new, 1)
        .add(BACKFILL, BackfillVerticle::new, 1);
  }

  public VerticleRegistry registry() {
    return registry;
  }

  public Future<Void> start() {
    return registry.deployAll();
  }

  public Future<Void> stop() {
    return registry.undeployAll();
  }
}
