package oracle.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The oracle's own metrics: made once at start-up by the composition root and handed to every
 * verticle, it holds the state gauges that outlive a verticle (a redeployed verticle updates the
 * same gauge) and the registry the verticles register their timers and counters in.
 *
 * <p>One instance per registry ({@link #of}): Micrometer binds a gauge to the first object
 * registered under its name and tags, so a second holder would report nothing.
 */
public final class OracleMetrics {
  private static final Map<MeterRegistry, OracleMetrics> BY_REGISTRY = new ConcurrentHashMap<>();

  private final MeterRegistry registry;
  private final AtomicLong leading = new AtomicLong();
  private final AtomicLong fencingToken = new AtomicLong();
  private final AtomicReference<LongSupplier> flushLag = new AtomicReference<>(() -> 0);
  private final AtomicInteger sseStreams = new AtomicInteger();
  private final Counter sseDropped;
  private final Map<String, AtomicReference<Double>> exchangeHealth = new ConcurrentHashMap<>();
  private final AtomicInteger tickAgreed = new AtomicInteger();
  private final AtomicInteger tickWithheld = new AtomicInteger();

  private OracleMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("oracle.is.leader", leading, AtomicLong::get)
        .description("1 while this instance is the leader")
        .register(registry);
    Gauge.builder("oracle.leader.fencing.token", fencingToken, AtomicLong::get)
        .description("Fencing token of the current or last term")
        .register(registry);
    Gauge.builder("oracle.flush.lag.seconds", flushLag, lag -> lag.get().getAsLong())
        .description("Seconds since the last successful flush while leading")
        .register(registry);
    Gauge.builder("oracle.api.sse.streams", sseStreams, AtomicInteger::get)
        .description("Open SSE candle streams in this process")
        .register(registry);
    Gauge.builder("oracle.price.symbols", tickAgreed, AtomicInteger::get)
        .description(
            "Symbols of the last tick with an agreed price (agreed) or withheld (withheld)")
        .tag("state", "agreed")
        .register(registry);
    Gauge.builder("oracle.price.symbols", tickWithheld, AtomicInteger::get)
        .description(
            "Symbols of the last tick with an agreed price (agreed) or withheld (withheld)")
        .tag("state", "withheld")
        .register(registry);
    sseDropped =
        Counter.builder("oracle.api.sse.dropped")
            .description("SSE streams closed because the client did not read fast enough")
            .register(registry);
  }

  /** The metrics of {@code registry}. */
  public static OracleMetrics of(MeterRegistry registry) {
    return BY_REGISTRY.computeIfAbsent(registry, OracleMetrics::new);
  }

  /**
   * The metrics of the Prometheus registry when Vert.x runs with metrics on, else of a private
   * registry nobody scrapes.
   */
  public static OracleMetrics create() {
    MeterRegistry r = BackendRegistries.getDefaultNow();
    return r != null ? of(r) : new OracleMetrics(new SimpleMeterRegistry());
  }

  /** Where verticles register their own timers and counters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** {@code oracle_is_leader} and {@code oracle_leader_fencing_token}. */
  public void leadership(boolean leader, long token) {
    fencingToken.set(token);
    leading.set(leader ? 1 : 0);
  }

  public void notLeading() {
    leading.set(0);
  }

  /** {@code oracle_flush_lag_seconds} reads {@code lag} until another flush verticle takes over. */
  public void flushLagFrom(LongSupplier lag) {
    flushLag.set(lag);
  }

  /** Stops reading {@code lag} if it is still the one read (the flush verticle stopped). */
  public void flushLagGone(LongSupplier lag) {
    flushLag.compareAndSet(lag, () -> 0);
  }

  /** {@code oracle_api_sse_streams}: open streams, shared by every HTTP verticle of the process. */
  public AtomicInteger sseStreams() {
    return sseStreams;
  }

  /** {@code oracle_api_sse_dropped_total}. */
  public Counter sseDropped() {
    return sseDropped;
  }

  /** {@code oracle_exchange_health{exchange}}: 1 closed, 0.5 half-open, 0 open. */
  public void exchangeHealth(String exchange, double value) {
    exchangeHealth
        .computeIfAbsent(
            exchange,
            name -> {
              AtomicReference<Double> ref = new AtomicReference<>(value);
              Gauge.builder("oracle.exchange.health", ref, AtomicReference::get)
                  .description("Circuit breaker of the source: 1 closed, 0.5 half-open, 0 open")
                  .tag("exchange", name)
                  .strongReference(true)
                  .register(registry);
              return ref;
            })
        .set(value);
  }

  // ---- aggregation: no per-symbol series (10,000 symbols would be 20,000 of them)

  /**
   * {@code oracle_ingestion_duration_seconds}: from a tick's start until its candles are in Redis.
   */
  public Timer ingestionDuration() {
    return Timer.builder("oracle.ingestion.duration")
        .description("From the start of a polling tick until its candles are in Redis")
        .publishPercentileHistogram()
        .register(registry);
  }

  /** {@code oracle_price_updates_total}: agreed prices written, all symbols together. */
  public Counter priceUpdates() {
    return Counter.builder("oracle.price.updates")
        .description("Aggregated prices written to their symbol's candle, all symbols together")
        .register(registry);
  }

  /** {@code oracle_aggregation_empty_total}: symbol ticks without an agreed price, all together. */
  public Counter aggregationEmpty() {
    return Counter.builder("oracle.aggregation.empty")
        .description(
            "Symbol ticks without an agreed price (no source, no quorum or diverged sources): the candle is not moved")
        .register(registry);
  }

  /**
   * {@code oracle_price_symbols{state}}: how many symbols the last tick gave an agreed price
   * ({@code agreed}) and how many it withheld ({@code withheld}); two series, whatever the market.
   */
  public void lastTick(int agreed, int withheld) {
    tickAgreed.set(agreed);
    tickWithheld.set(withheld);
  }

  /** {@code oracle_sources_dropped_total{exchange,reason}}: bounded by sources × reasons. */
  public Counter sourceDropped(String exchange, String reason) {
    return Counter.builder("oracle.sources.dropped")
        .description("Source data points left out of a price, by reason")
        .tag("exchange", exchange)
        .tag("reason", reason)
        .register(registry);
  }

  // ---- trade streams: per exchange only (no per-symbol series)

  /** {@code oracle_stream_messages_total{exchange}}: frames received on the exchange's streams. */
  public Counter streamMessages(String exchange) {
    return Counter.builder("oracle.stream.messages")
        .description("Messages received on the exchange's trade streams")
        .tag("exchange", exchange)
        .register(registry);
  }

  /** {@code oracle_stream_reconnects_total{exchange}}: stream connections lost and reopened. */
  public Counter streamReconnects(String exchange) {
    return Counter.builder("oracle.stream.reconnects")
        .description("Trade-stream connections lost (closed, failed or silent) and reopened")
        .tag("exchange", exchange)
        .register(registry);
  }

  /** {@code oracle_stream_gaps_total{exchange}}: skips in the venue's contiguous trade ids. */
  public Counter streamGaps(String exchange) {
    return Counter.builder("oracle.stream.gaps")
        .description("Gaps in an exchange's contiguous per-market trade ids (trades missed)")
        .tag("exchange", exchange)
        .register(registry);
  }

  /**
   * {@code oracle_stream_trade_delay_seconds}: from a streamed trade's exchange time until the tick
   * that carries it towards its candle write (a few buckets: the tick is 1 s by default).
   */
  public Timer streamTradeDelay() {
    return Timer.builder("oracle.stream.trade.delay")
        .description(
            "From a streamed trade's exchange time until the tick that sends it to its candle")
        .serviceLevelObjectives(
            java.time.Duration.ofMillis(250),
            java.time.Duration.ofMillis(500),
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofSeconds(2),
            java.time.Duration.ofSeconds(5),
            java.time.Duration.ofSeconds(15))
        .register(registry);
  }

  // ---- the minute close-out: a few fixed series, no symbol or exchange tag

  /**
   * {@code oracle_closeout_minutes_total{outcome}}: symbol minutes the close-out handled: {@code
   * live} and {@code repaired} (final candle written with that origin), {@code withheld} (no
   * quorum: the provisional candle stays), {@code fenced} (a newer leader holds the token).
   */
  public Counter closeoutMinutes(String outcome) {
    return Counter.builder("oracle.closeout.minutes")
        .description("Symbol minutes closed out, by outcome (live, repaired, withheld, fenced)")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * {@code oracle_closeout_repairs_total{result}}: incomplete source minutes: {@code used} (their
   * REST kline replaced them), {@code failed} (error, timeout, no kline), {@code short} (the kline
   * had less than the stream saw), {@code skipped} (over the budget or past the deadline).
   */
  public Counter closeoutRepairs(String result) {
    return Counter.builder("oracle.closeout.repairs")
        .description("Incomplete source minutes and their REST repair, by result")
        .tag("result", result)
        .register(registry);
  }
}
