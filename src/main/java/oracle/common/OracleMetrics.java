package oracle.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/** The meter registry the oracle's own metrics go to: the Prometheus one when metrics are on. */
public final class OracleMetrics {
  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();

  private OracleMetrics() {}

  public static MeterRegistry registry() {
    MeterRegistry r = BackendRegistries.getDefaultNow();
    return r != null ? r : FALLBACK;
  }
}
