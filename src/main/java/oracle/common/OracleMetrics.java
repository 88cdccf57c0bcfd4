package oracle.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The oracle's one catalogue of meters: made once at start-up by the composition root and handed to
 * every verticle, it holds the state gauges that outlive a verticle (a redeployed verticle updates
 * the same gauge) and makes every timer, counter and gauge the verticles update, so each meter's
 * name, tags, description and buckets are written down here once ({@code ArchitectureTest} keeps
 * Micrometer's builders out of every other class).
 *
 * <p>One instance per registry ({@link #of}): Micrometer binds a gauge to the first object
 * registered under its name and tags, so a second holder would report nothing.
 *
 * <p>Timers publish a few explicit buckets ({@link #LATENCY_BUCKETS}, {@link #FLUSH_BUCKETS}),
 * never a percentile histogram: Micrometer's default is 69 buckets per series, which made {@code
 * /metrics} mostly bucket lines (one set per API route and status). A filter on the registry
 * switches percentile histograms off for every meter, the Vert.x ones included.
 */
public final class OracleMetrics {
  private static final Map<MeterRegistry, OracleMetrics> BY_REGISTRY = new ConcurrentHashMap<>();

  /**
   * Buckets of the API and ingestion timers: the latency objectives (the alerts' 1 s p95 thresholds
   * sit on a bound).
   */
  public static final Duration[] LATENCY_BUCKETS =
      millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000);

  /** Buckets of the flush timer: a pass takes up to minutes; the alert's 10 s p95 is a bound. */
  public static final Duration[] FLUSH_BUCKETS =
      millis(100, 250, 500, 1_000, 2_500, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000);

  /** Switches Micrometer's 69-bucket percentile histograms off, keeping explicit buckets. */
  private static final MeterFilter NO_PERCENTILE_HISTOGRAMS =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(false)
              .build()
              .merge(config);
        }
      };

  private final MeterRegistry registry;
  private final AtomicLong leading = new AtomicLong();
  private final AtomicLong fencingToken = new AtomicLong();
  private final AtomicReference<LongSupplier> flushLag = new AtomicReference<>(() -> 0);
  private final AtomicInteger sseStreams = new AtomicInteger();
  private final Counter sseDropped;
  private final Map<String, AtomicReference<Double>> exchangeHealth = new ConcurrentHashMap<>();
  private final AtomicInteger tickAgreed = new AtomicInteger();
  private final AtomicInteger tickWithheld = new AtomicInteger();

  private final AtomicLong oldestPriceMs = new AtomicLong();

  /** Gauges over a process-wide object that each verticle instance offers: registered once. */
  private final java.util.Set<String> sharedGauges = ConcurrentHashMap.newKeySet();

  private OracleMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.config().meterFilter(NO_PERCENTILE_HISTOGRAMS);
    BuildInfo build = BuildInfo.read();
    Gauge.builder("oracle.build.info", () -> 1)
        .description("1; the labels name the running build (version) and Java runtime (java)")
        .tag("version", build.version())
        .tag("java", build.java())
        .register(registry);
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
    // Only the leader ticks: a former leader reports 0, not its last term's counts for ever.
    Gauge.builder("oracle.price.symbols", tickAgreed, n -> leading.get() == 1 ? n.get() : 0)
        .description(
            "Symbols of the last tick with an agreed price (agreed) or withheld (withheld)")
        .tag("state", "agreed")
        .register(registry);
    Gauge.builder("oracle.price.symbols", tickWithheld, n -> leading.get() == 1 ? n.get() : 0)
        .description(
            "Symbols of the last tick with an agreed price (agreed) or withheld (withheld)")
        .tag("state", "withheld")
        .register(registry);
    Gauge.builder("oracle.price.oldest.age.seconds", oldestPriceMs, this::oldestPriceAgeSeconds)
        .description(
            "Age of the oldest price served (agreed or kept while withheld), on the leader; 0 elsewhere")
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
   * The Prometheus registry the process serves at {@code /metrics}: its filter is in place before
   * any meter (Vert.x's included) is registered, then the JVM and process meters are bound.
   */
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    of(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /**
   * The metrics of the Prometheus registry when Vert.x runs with metrics on, else of a private
   * registry nobody scrapes.
   */
  public static OracleMetrics create() {
    MeterRegistry r = BackendRegistries.getDefaultNow();
    return r != null ? of(r) : new OracleMetrics(new SimpleMeterRegistry());
  }

  /** The registry behind this catalogue (tests read meters from it). */
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
        .serviceLevelObjectives(LATENCY_BUCKETS)
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
    lastTick(agreed, withheld, 0);
  }

  /**
   * As {@link #lastTick(int, int)}, with the timestamp of the oldest price the tick served (its
   * agreed prices' and the kept ones of its withheld symbols; 0: none): {@code
   * oracle_price_oldest_age_seconds} is its age at each scrape, one series whatever the market.
   */
  public void lastTick(int agreed, int withheld, long oldestPriceMs) {
    tickAgreed.set(agreed);
    tickWithheld.set(withheld);
    this.oldestPriceMs.set(oldestPriceMs);
  }

  private double oldestPriceAgeSeconds(AtomicLong oldest) {
    long at = oldest.get();
    if (leading.get() != 1 || at <= 0) return 0;
    return Math.max(0, System.currentTimeMillis() - at) / 1000.0;
  }

  /** {@code oracle_sources_dropped_total{exchange,reason}}: bounded by sources × reasons. */
  public Counter sourceDropped(String exchange, String reason) {
    return Counter.builder("oracle.sources.dropped")
        .description("Source data points left out of a price, by reason")
        .tag("exchange", exchange)
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * Makes {@code oracle_sources_dropped_total} exist at 0 for every source × reason before the
   * first drop, so {@code rate()} and alerts work from the start.
   */
  public void sourcesDroppedFrom(Collection<String> exchanges, Collection<String> reasons) {
    for (String exchange : exchanges) for (String reason : reasons) sourceDropped(exchange, reason);
  }

  // ---- leader and flush

  /**
   * {@code oracle_leader_changes_total{change}}: {@code gained} or {@code lost}. Tagged so that the
   * cluster's leader changes are sum(gained), not a hand-over counted twice.
   */
  public Counter leaderChanges(String change) {
    return Counter.builder("oracle.leader.changes")
        .tag("change", change)
        .description("Leadership gained or lost by this instance")
        .register(registry);
  }

  /** {@code oracle_flush_duration_seconds}: buckets, for the p95 alert and the dashboard. */
  public Timer flushDuration() {
    return Timer.builder("oracle.flush.duration")
        .description("Time of one flush pass")
        .serviceLevelObjectives(FLUSH_BUCKETS)
        .register(registry);
  }

  /** {@code oracle_flush_rows_total}. */
  public Counter flushRows() {
    return Counter.builder("oracle.flush.rows")
        .description("Candles written to PostgreSQL by the flush")
        .register(registry);
  }

  // ---- HTTP

  /**
   * {@code oracle_api_duration_seconds{route,status}}: {@code route} is a template, never a URL.
   */
  public Timer apiDuration(String route, int status) {
    return Timer.builder("oracle.api.duration")
        .description("API response time by route template and status")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  /**
   * {@code oracle_http_connections}: reads {@code open} (the process's count). Registered once:
   * every HTTP verticle instance asks, and Micrometer warns about a gauge registered twice.
   */
  public void httpConnections(AtomicInteger open) {
    if (!sharedGauges.add("oracle.http.connections")) return;
    Gauge.builder("oracle.http.connections", open, AtomicInteger::get)
        .description("Open HTTP connections (http.maxConnections caps them)")
        .register(registry);
  }

  /** {@code oracle_http_connections_refused_total}. */
  public Counter httpConnectionsRefused() {
    return Counter.builder("oracle.http.connections.refused")
        .description("HTTP connections closed at once: http.maxConnections were open")
        .register(registry);
  }

  /** {@code oracle_api_ratelimit_failopen_total}. */
  public Counter rateLimitFailOpen() {
    return Counter.builder("oracle.api.ratelimit.failopen")
        .description("API requests served without a rate-limit decision because Redis failed")
        .register(registry);
  }

  /** {@code oracle_api_ratelimit_rejected_total}. */
  public Counter rateLimitRejected() {
    return Counter.builder("oracle.api.ratelimit.rejected")
        .description("API requests refused with 429")
        .register(registry);
  }

  /** {@code oracle_api_bridge_sockets}: reads {@code sockets} (the process's bridge sockets). */
  public void bridgeSockets(ClientSlots sockets) {
    if (!sharedGauges.add("oracle.api.bridge.sockets")) return; // once, as above
    Gauge.builder("oracle.api.bridge.sockets", sockets, ClientSlots::open)
        .description("Open event-bus bridge sockets (http.bridge.maxTotal caps them)")
        .register(registry);
  }

  /** {@code oracle_api_bridge_refused_total}. */
  public Counter bridgeRefused() {
    return Counter.builder("oracle.api.bridge.refused")
        .description("Bridge sockets closed at once: their client's or the process's cap")
        .register(registry);
  }

  /** {@code oracle_api_bridge_dropped_total}. */
  public Counter bridgeDropped() {
    return Counter.builder("oracle.api.bridge.dropped")
        .description("Bridge sockets closed because their client did not read")
        .register(registry);
  }

  private static Duration[] millis(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) out[i] = Duration.ofMillis(values[i]);
    return out;
  }

  /**
   * What {@code oracle_build_info} names: the version Maven wrote into {@code
   * oracle/build.properties} (the jar manifest's when that resource is missing) and the Java
   * runtime.
   */
  record BuildInfo(String version, String java) {
    static BuildInfo read() {
      String version = null;
      try (InputStream in = OracleMetrics.class.getResourceAsStream("/oracle/build.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          version = p.getProperty("version");
        }
      } catch (IOException e) {
        version = null;
      }
      if (version == null || version.isBlank() || version.startsWith("${"))
        version = OracleMetrics.class.getPackage().getImplementationVersion();
      return new BuildInfo(
          version == null ? "unknown" : version, System.getProperty("java.version", "unknown"));
    }
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
   * had less than the stream saw), {@code skipped} (over the budget or past the deadline), {@code
   * none} (an unheard source's kline shows no trade: nothing was missing).
   */
  public Counter closeoutRepairs(String result) {
    return Counter.builder("oracle.closeout.repairs")
        .description("Incomplete source minutes and their REST repair, by result")
        .tag("result", result)
        .register(registry);
  }
}
