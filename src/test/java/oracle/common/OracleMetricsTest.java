package oracle.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The one metrics object: gauges stay bound to it whichever verticle instance updates them. */
class OracleMetricsTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final OracleMetrics metrics = OracleMetrics.of(registry);

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void oneObjectPerRegistry() {
    assertThat(OracleMetrics.of(registry)).isSameAs(metrics);
    assertThat(OracleMetrics.of(new SimpleMeterRegistry())).isNotSameAs(metrics);
  }

  @Test
  void theAggregationsSeriesDoNotGrowWithTheSymbols() {
    for (int i = 0; i < 1_000; i++) {
      metrics.priceUpdates().increment();
      metrics.aggregationEmpty().increment();
    }
    metrics.lastTick(9_990, 10);
    assertThat(registry.get("oracle.price.updates").counters()).hasSize(1);
    assertThat(registry.get("oracle.price.updates").counter().count()).isEqualTo(1_000);
    assertThat(registry.get("oracle.price.updates").counter().getId().getTags()).isEmpty();
    assertThat(registry.get("oracle.aggregation.empty").counters()).hasSize(1);
    assertThat(registry.get("oracle.price.symbols").tag("state", "agreed").gauge().value())
        .isEqualTo(9_990);
    assertThat(registry.get("oracle.price.symbols").tag("state", "withheld").gauge().value())
        .isEqualTo(10);
    assertThat(registry.get("oracle.price.symbols").gauges()).hasSize(2);
    metrics.sourceDropped("binance", "stale").increment();
    metrics.sourceDropped("binance", "stale").increment();
    assertThat(registry.get("oracle.sources.dropped").counter().count()).isEqualTo(2);
    assertThat(metrics.ingestionDuration()).isSameAs(metrics.ingestionDuration());
  }

  @Test
  void leadershipGauges() {
    metrics.leadership(true, 42);
    assertThat(gauge("oracle.is.leader")).isEqualTo(1);
    assertThat(gauge("oracle.leader.fencing.token")).isEqualTo(42);
    metrics.notLeading();
    assertThat(gauge("oracle.is.leader")).isZero();
    assertThat(gauge("oracle.leader.fencing.token")).as("the last term's token").isEqualTo(42);
  }

  @Test
  void theFlushLagFollowsTheNewestFlushVerticleAndAnOldOneCannotClearIt() {
    assertThat(gauge("oracle.flush.lag.seconds")).isZero();
    LongSupplier old = () -> 7;
    LongSupplier redeployed = () -> 3;
    metrics.flushLagFrom(old);
    metrics.flushLagFrom(redeployed); // a redeploy starts the new verticle before the old stops
    metrics.flushLagGone(old);
    assertThat(gauge("oracle.flush.lag.seconds")).isEqualTo(3);
    metrics.flushLagGone(redeployed);
    assertThat(gauge("oracle.flush.lag.seconds")).isZero();
  }

  @Test
  void exchangeHealthIsOneGaugePerExchange() {
    metrics.exchangeHealth("okx", 1.0);
    metrics.exchangeHealth("okx", 0.0);
    metrics.exchangeHealth("binance", 0.5);
    assertThat(registry.get("oracle.exchange.health").tag("exchange", "okx").gauge().value())
        .isZero();
    assertThat(registry.get("oracle.exchange.health").tag("exchange", "binance").gauge().value())
        .isEqualTo(0.5);
    assertThat(registry.get("oracle.exchange.health").gauges()).hasSize(2);
  }

  @Test
  void sseStreamsAndDrops() {
    metrics.sseStreams().incrementAndGet();
    metrics.sseDropped().increment();
    assertThat(gauge("oracle.api.sse.streams")).isEqualTo(1);
    assertThat(registry.get("oracle.api.sse.dropped").counter().count()).isEqualTo(1);
  }
}
