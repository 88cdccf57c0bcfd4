package oracle.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
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
    metrics.leadership(true, 1); // only the leader ticks
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
    metrics.notLeading();
    assertThat(registry.get("oracle.price.symbols").tag("state", "withheld").gauge().value())
        .as("a former leader does not report its last term's counts")
        .isZero();
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

  @Test
  void theOldestPriceIsOneSeriesAgedAtEachScrapeOnTheLeaderOnly() {
    long twoMinutesAgo = System.currentTimeMillis() - 120_000;
    metrics.lastTick(9_990, 10, twoMinutesAgo);
    assertThat(gauge("oracle.price.oldest.age.seconds")).as("not leading").isZero();
    metrics.leadership(true, 3);
    assertThat(gauge("oracle.price.oldest.age.seconds")).isBetween(119.0, 130.0);
    metrics.lastTick(1, 0, 0);
    assertThat(gauge("oracle.price.oldest.age.seconds")).as("no price yet").isZero();
    assertThat(registry.get("oracle.price.oldest.age.seconds").gauges()).hasSize(1);
  }

  @Test
  void buildInfoNamesTheVersionAndJava() {
    var info = registry.get("oracle.build.info").gauge();
    assertThat(info.value()).isEqualTo(1);
    // Maven filters oracle/build.properties with the project's version (pom.xml)
    assertThat(info.getId().getTag("version")).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(info.getId().getTag("java")).isEqualTo(System.getProperty("java.version"));
  }

  @Test
  void droppedSourcesExistAtZeroBeforeTheFirstDrop() {
    metrics.sourcesDroppedFrom(List.of("binance", "kraken"), List.of("stale", "outlier", "frozen"));
    assertThat(registry.get("oracle.sources.dropped").counters()).hasSize(6);
    assertThat(
            registry
                .get("oracle.sources.dropped")
                .tags("exchange", "kraken", "reason", "frozen")
                .counter()
                .count())
        .isZero();
  }

  @Test
  void timersPublishTheirFewBucketsAndNoPercentileHistogram() {
    PrometheusMeterRegistry prometheus = OracleMetrics.prometheus();
    OracleMetrics m = OracleMetrics.of(prometheus);
    m.apiDuration("/api/v1/health", 200).record(Duration.ofMillis(7));
    m.flushDuration().record(Duration.ofSeconds(12));
    m.ingestionDuration().record(Duration.ofMillis(300));
    // a timer made elsewhere asking for Micrometer's default histogram (69 buckets) gets none
    io.micrometer.core.instrument.Timer.builder("other.timer")
        .publishPercentileHistogram()
        .register(prometheus)
        .record(Duration.ofMillis(1));
    String text = prometheus.scrape();
    assertThat(bucketLines(text, "oracle_api_duration_seconds_bucket"))
        .isEqualTo(OracleMetrics.LATENCY_BUCKETS.length + 1);
    assertThat(bucketLines(text, "oracle_ingestion_duration_seconds_bucket"))
        .isEqualTo(OracleMetrics.LATENCY_BUCKETS.length + 1);
    assertThat(bucketLines(text, "oracle_flush_duration_seconds_bucket"))
        .isEqualTo(OracleMetrics.FLUSH_BUCKETS.length + 1);
    assertThat(bucketLines(text, "other_timer_seconds_bucket")).isZero();
    assertThat(text)
        .contains("oracle_flush_duration_seconds_bucket{le=\"10.0\"} 0")
        .contains("oracle_flush_duration_seconds_bucket{le=\"20.0\"} 1")
        .contains("oracle_build_info{")
        .contains("jvm_memory_used_bytes");
  }

  private static long bucketLines(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + "{")).count();
  }

  @Test
  void theLeaderFlushAndHttpMetersComeFromHere() {
    metrics.leaderChanges("gained").increment();
    metrics.leaderChanges("lost");
    assertThat(registry.get("oracle.leader.changes").counters()).hasSize(2);
    metrics.flushRows().increment(3);
    assertThat(registry.get("oracle.flush.rows").counter().count()).isEqualTo(3);
    java.util.concurrent.atomic.AtomicInteger open =
        new java.util.concurrent.atomic.AtomicInteger(4);
    metrics.httpConnections(open);
    metrics.httpConnections(open); // a second HTTP verticle instance: no second registration
    assertThat(gauge("oracle.http.connections")).isEqualTo(4);
    assertThat(registry.get("oracle.http.connections").gauges()).hasSize(1);
    metrics.httpConnectionsRefused().increment();
    metrics.rateLimitFailOpen().increment();
    metrics.rateLimitRejected().increment();
    ClientSlots sockets = new ClientSlots();
    sockets.take("a", 1, 1);
    metrics.bridgeSockets(sockets);
    assertThat(gauge("oracle.api.bridge.sockets")).isEqualTo(1);
    metrics.bridgeRefused().increment();
    metrics.bridgeDropped().increment();
    for (String counter :
        List.of(
            "oracle.http.connections.refused",
            "oracle.api.ratelimit.failopen",
            "oracle.api.ratelimit.rejected",
            "oracle.api.bridge.refused",
            "oracle.api.bridge.dropped"))
      assertThat(registry.get(counter).counter().count()).as(counter).isEqualTo(1);
  }
}
