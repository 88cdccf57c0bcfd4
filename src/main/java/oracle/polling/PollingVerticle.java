package oracle.polling;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oracle.aggregation.QuoteBatch;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.ExchangeAdapters;
import oracle.exchange.registry.Exchanges;
import oracle.exchange.stream.ClosedMinutes;
import oracle.exchange.stream.TradeStreamProtocol;
import oracle.leader.LeaderGate;
import oracle.leader.Term;
import oracle.streaming.MinuteHandover;
import oracle.streaming.StreamMarkets;
import oracle.streaming.StreamStatus;
import oracle.streaming.TradeFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every configured source every {@code ingestion.intervalMs} while this instance leads
 * (started and stopped by {@link LeaderGate}), and sends each tick's quotes to aggregation as one
 * {@link QuoteBatch} on {@link Addresses#QUOTES}. Each source is polled in parallel behind its own
 * breaker, token bucket and timeout ({@link ExchangePoller}); the tick completes when every source
 * answered or timed out, so one slow or broken exchange cannot hold it. A tick that would start
 * while the previous one is still collecting is skipped, never queued.
 *
 * <p><b>Trade streams.</b> For every source with {@code sources.<name>.stream} on, a {@link
 * TradeFeed} runs on this verticle's context for the leader's term (started and stopped with the
 * ticks): while it is healthy the source's quotes come from its trades instead of its REST ticker
 * ({@link ExchangePoller}). Once per minute, after the minute and {@code flush.graceMs} have
 * passed, the feeds' finished minutes go to aggregation as one {@link ClosedMinutes} on {@link
 * Addresses#MINUTES_CLOSED}, for the close-out.
 *
 * <p>Answers {@link Addresses#POLLING_STATUS} on every instance with {@code {exchanges: {binance:
 * "CLOSED", ...}, streams: {binance: "connected", ...}}} for the health endpoint.
 */
public final class PollingVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(PollingVerticle.class);

  private final IngestionSettings settings;
  private WebClient client;
  private final List<ExchangePoller> pollers = new ArrayList<>();
  private Map<String, Set<String>> listings;
  private LeaderGate gate;
  private Term term = Term.NONE;
  private long timer = -1;
  private boolean collecting;
  private long skippedTicks;
  private long lastSkipLogMs;

  private final OracleMetrics metrics;
  private final long graceMs;
  private final TradeFeed.Backoff streamBackoff;
  private final Map<String, TradeFeed> feeds = new HashMap<>();
  private MinuteHandover handover;

  /** {@code flush.graceMs} at its default (tests). */
  public PollingVerticle(IngestionSettings settings, OracleMetrics metrics) {
    this(settings, metrics, 3_000);
  }

  /**
   * @param graceMs {@code flush.graceMs}: a trade is counted in its minute until this long after
   *     the minute ends, and the minute is handed to the close-out then
   */
  public PollingVerticle(IngestionSettings settings, OracleMetrics metrics, long graceMs) {
    this(settings, metrics, graceMs, TradeFeed.Backoff.DEFAULT);
  }

  /** As above, with the streams' reconnect delays (tests shorten them). */
  public PollingVerticle(
      IngestionSettings settings,
      OracleMetrics metrics,
      long graceMs,
      TradeFeed.Backoff streamBackoff) {
    this.settings = settings;
    this.metrics = metrics;
    this.graceMs = graceMs;
    this.streamBackoff = streamBackoff;
  }

  @Override
  public Future<?> start() {
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(2_000)
                .setUserAgent("token-price-oracle")
                .setDecompressionSupported(true),
            new PoolOptions().setHttp1MaxSize(16).setMaxWaitQueueSize(20_000));
    listings = new HashMap<>();
    for (SourceSettings source : settings.sources()) {
      ExchangePoller p =
          new ExchangePoller(
              vertx,
              ExchangeAdapters.create(client, source, settings.symbolsFor(source.name())),
              source,
              settings,
              metrics);
      pollers.add(p);
      listings.put(p.name(), p.listed());
    }
    vertx.eventBus().localConsumer(Addresses.POLLING_STATUS, m -> m.reply(status()));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.POLLING_KLINES, this::klines);
    return LeaderGate.attach(vertx, this::startTicking, this::stopTicking).map(g -> gate = g);
  }

  @Override
  public Future<?> stop() {
    if (gate != null) stopTicking(gate.close());
    pollers.forEach(ExchangePoller::close);
    client.close();
    return Future.succeededFuture();
  }

  /**
   * Backfill's kline requests: answered through the same poller (breaker, token bucket, timeout).
   */
  private void klines(io.vertx.core.eventbus.Message<JsonObject> m) {
    JsonObject q = m.body();
    ExchangePoller poller =
        pollers.stream()
            .filter(p -> p.name().equals(q.getString("exchange")))
            .findFirst()
            .orElse(null);
    if (poller == null) {
      m.fail(404, "source not polled here: " + q.getString("exchange"));
      return;
    }
    poller
        .klines(q.getString("symbol"), q.getLong("from"), q.getLong("to"))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                m.fail(503, ar.cause().getMessage());
                return;
              }
              m.reply(PollingClient.encode(ar.result()));
            });
  }

  public JsonObject status() {
    JsonObject exchanges = new JsonObject();
    for (ExchangePoller p : pollers) exchanges.put(p.name(), p.state().name());
    JsonObject streams = new JsonObject();
    for (ExchangePoller p : pollers) streams.put(p.name(), streamStatus(p).label());
    return new JsonObject()
        .put("exchanges", exchanges)
        .put("streams", streams)
        .put("polling", term.isCurrent())
        .put("skippedTicks", skippedTicks);
  }

  /**
   * {@code off}: the stream is disabled, or not running here (a follower reads nothing); else the
   * feed's own status.
   */
  private StreamStatus streamStatus(ExchangePoller p) {
    TradeFeed feed = feeds.get(p.name());
    return feed == null ? StreamStatus.OFF : feed.status();
  }

  /** Opens the trade streams of the stream-enabled sources for the term. */
  private void startFeeds() {
    stopFeeds();
    long now = System.currentTimeMillis();
    java.util.Set<String> streamSources = new java.util.TreeSet<>();
    for (ExchangePoller p : pollers) {
      SourceSettings source = p.source();
      if (!source.stream()) continue;
      TradeStreamProtocol protocol = Exchanges.stream(source.name()).orElse(null);
      if (protocol == null) continue; // refused by the configuration already
      streamSources.add(source.name());
      StreamMarkets markets =
          new StreamMarkets(
              protocol, source.marketMap(settings.symbolsFor(source.name())), p.symbols());
      if (markets.isEmpty()) continue;
      TradeFeed feed =
          new TradeFeed(
              vertx,
              protocol,
              source,
              markets,
              graceMs,
              metrics,
              System::currentTimeMillis,
              streamBackoff);
      feeds.put(source.name(), feed);
      p.feed(feed);
      feed.start();
    }
    handover = new MinuteHandover(graceMs, streamSources, now);
  }

  private void stopFeeds() {
    for (ExchangePoller p : pollers) p.feed(null);
    feeds.values().forEach(TradeFeed::stop);
    feeds.clear();
    handover = null;
  }

  /** Hands over every minute whose grace has passed (see {@link MinuteHandover}). */
  private void closeMinutes(long nowMs) {
    if (handover == null) return;
    List<oracle.exchange.stream.SourceMinute> closed = new ArrayList<>();
    Map<String, Map<Long, List<String>>> unheard = new HashMap<>();
    for (TradeFeed f : feeds.values()) {
      f.checkHealth();
      TradeFeed.Closed c = f.close(nowMs);
      closed.addAll(c.minutes());
      if (!c.unheard().isEmpty()) unheard.put(f.name(), c.unheard());
    }
    for (ClosedMinutes m : handover.due(nowMs, closed, unheard))
      vertx.eventBus().send(Addresses.MINUTES_CLOSED, m);
  }

  private void startTicking(Term elected) {
    term = elected;
    if (timer >= 0) vertx.cancelTimer(timer);
    startFeeds();
    log.info(
        "polling {} symbols from {} sources every {} ms (token {})",
        settings.symbols().size(),
        pollers.size(),
        settings.intervalMs(),
        elected.token());
    timer = vertx.setPeriodic(0, settings.intervalMs(), id -> tick(elected));
  }

  private void stopTicking(Term ended) {
    stopFeeds();
    if (timer < 0) return;
    vertx.cancelTimer(timer);
    timer = -1;
    log.info("polling stopped");
  }

  private void tick(Term at) {
    if (at.isCurrent()) closeMinutes(System.currentTimeMillis());
    if (collecting) {
      skippedTicks++;
      long now = System.currentTimeMillis();
      if (now - lastSkipLogMs > 10_000) {
        lastSkipLogMs = now;
        log.warn(
            "tick skipped: the previous one is still collecting ({} skipped so far)", skippedTicks);
      }
      return;
    }
    collecting = true;
    long startedNanos = System.nanoTime();
    long tickMs = System.currentTimeMillis();
    List<Future<ExchangePoller.Outcome>> polls = new ArrayList<>(pollers.size());
    for (ExchangePoller p : pollers) polls.add(p.poll(tickMs));
    Future.join(polls)
        .onComplete(
            ignored -> {
              collecting = false;
              if (!at.isCurrent()) return; // its term ended meanwhile: send nothing
              List<Quote> quotes = new ArrayList<>();
              Map<String, DropReason> unavailable = new HashMap<>();
              for (Future<ExchangePoller.Outcome> f : polls) {
                ExchangePoller.Outcome o = f.result();
                quotes.addAll(o.quotes());
                if (o.unavailableReason() != null)
                  unavailable.put(o.exchange(), o.unavailableReason());
              }
              vertx
                  .eventBus()
                  .send(
                      Addresses.QUOTES,
                      new QuoteBatch(
                          tickMs, startedNanos, System.nanoTime(), quotes, unavailable, listings));
              pollers.forEach(p -> p.refreshVolumes(tickMs));
            });
  }
}
