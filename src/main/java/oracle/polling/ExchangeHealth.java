package oracle.polling;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Breaker state per source for {@code oracle_exchange_health{exchange}} (1 closed, 0.5 half-open, 0
 * open). Kept process-wide so the gauge stays bound to live state across verticle redeploys.
 */
final class ExchangeHealth {
  /**
   * Per registry too: tests (and embedders) may run several Vert.x instances with their own
   * registries.
   */
  private record Key(MeterRegistry registry, String exchange) {}

  private static final Map<Key, AtomicReference<CircuitBreakerState>> STATES =
      new ConcurrentHashMap<>();

  private ExchangeHealth() {}

  static void set(MeterRegistry registry, String exchange, CircuitBreakerState state) {
    STATES
        .computeIfAbsent(
            new Key(registry, exchange),
            k -> {
              AtomicReference<CircuitBreakerState> ref = new AtomicReference<>(state);
              Gauge.builder("oracle.exchange.health", ref, r -> value(r.get()))
                  .description("Circuit breaker of the source: 1 closed, 0.5 half-open, 0 open")
                  .tag("exchange", exchange)
                  .strongReference(true)
                  .register(registry);
              return ref;
            })
        .set(state);
  }

  static double value(CircuitBreakerState s) {
    return switch (s) {
      case CLOSED -> 1.0;
      case HALF_OPEN -> 0.5;
      case OPEN -> 0.0;
    };
  }
}
