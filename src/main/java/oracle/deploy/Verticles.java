package oracle.deploy;

import io.vertx.core.json.JsonObject;
import oracle.aggregation.AggregationVerticle;
import oracle.backfill.BackfillVerticle;
import oracle.common.OracleMetrics;
import oracle.fanout.FanoutVerticle;
import oracle.flush.FlushVerticle;
import oracle.http.HttpVerticle;
import oracle.leader.LeaderVerticle;
import oracle.polling.PollingVerticle;

/**
 * Makes each verticle from one validated {@link AppSettings}, handing it only its own part. The
 * verticles never read their deployment config; a redeploy makes a new one from the settings then
 * current.
 */
public final class Verticles {
  private final AppSettings settings;
  private final OracleMetrics metrics;

  public Verticles(AppSettings settings, OracleMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /** From raw configuration JSON (validated here): tools and tests. */
  public static Verticles of(JsonObject json) {
    return new Verticles(AppSettings.from(json), OracleMetrics.create());
  }

  public OracleMetrics metrics() {
    return metrics;
  }

  public AppSettings settings() {
    return settings;
  }

  public LeaderVerticle leader() {
    return new LeaderVerticle(settings.instanceId(), settings.stores(), settings.leader(), metrics);
  }

  public FlushVerticle flush() {
    return new FlushVerticle(settings.stores(), settings.flush(), settings.storage(), metrics);
  }

  public BackfillVerticle backfill() {
    return new BackfillVerticle(
        settings.stores(),
        settings.backfill(),
        settings.ingestion(),
        settings.exchanges(),
        settings.storage());
  }

  public AggregationVerticle aggregation() {
    // oracle_sources_dropped_total exists at 0 for every configured source and reason from the
    // start, so rate() and alerts see the first drop.
    metrics.sourcesDroppedFrom(
        settings.exchanges(),
        java.util.Arrays.stream(oracle.exchange.DropReason.values())
            .map(oracle.exchange.DropReason::label)
            .toList());
    return new AggregationVerticle(
        settings.instanceId(),
        settings.stores().redisUrl(),
        // The candle script refuses ticks for a minute the flush has closed for good.
        settings.ingestion().aggregation(settings.flush().graceMs()),
        metrics);
  }

  public PollingVerticle polling() {
    return new PollingVerticle(settings.ingestion(), metrics, settings.flush().graceMs());
  }

  /** Live candles to other processes; {@code cluster} is the clustered instance or null. */
  public FanoutVerticle fanout(io.vertx.core.Vertx cluster) {
    return new FanoutVerticle(
        oracle.discovery.WholeMarket.servedSymbols(settings.symbols(), settings.json()),
        settings.fanout(),
        cluster);
  }

  public HttpVerticle http() {
    return new HttpVerticle(settings.http(), metrics);
  }
}
