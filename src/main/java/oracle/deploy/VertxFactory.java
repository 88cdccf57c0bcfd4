package oracle.deploy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import oracle.common.OracleMetrics;

/**
 * A Vert.x instance whose metrics (JVM, HTTP server, event bus, oracle_*) go to one Prometheus
 * registry.
 */
public final class VertxFactory {
  private VertxFactory() {}

  public static Vertx withPrometheusMetrics() {
    PrometheusMeterRegistry registry = OracleMetrics.prometheus();
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
            .setJvmMetricsEnabled(false)
            .setEnabled(true);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }
}
