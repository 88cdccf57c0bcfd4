package oracle.polling;

import io.vertx.circuitbreaker.CircuitBreakerState;
import oracle.common.OracleMetrics;

/**
 * Breaker state per source as {@code oracle_exchange_health{exchange}}: 1 closed, 0.5 half-open, 0
 * open. The gauge lives in {@link OracleMetrics}, so it stays bound across verticle redeploys.
 */
final class ExchangeHealth {
  private ExchangeHealth() {}

  static void set(OracleMetrics metrics, String exchange, CircuitBreakerState state) {
    metrics.exchangeHealth(exchange, value(state));
  }

  static double value(CircuitBreakerState s) {
    return switch (s) {
      case CLOSED -> 1.0;
      case HALF_OPEN -> 0.5;
      case OPEN -> 0.0;
    };
  }
}
