package oracle.aggregation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import oracle.common.Addresses;
import oracle.common.Candle;
import oracle.common.OracleMetrics;
import oracle.common.RedisFactory;
import oracle.common.RedisKeys;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import oracle.exchange.stream.ClosedMinutes;
import oracle.hotstore.CandleUpdates;
import oracle.leader.LeaderGate;
import oracle.leader.Term;
import oracle.relay.CandleRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each tick's quotes into one robust price per symbol and updates the Redis candles.
 *
 * <p>On the leader: every {@link QuoteBatch} from polling is aggregated ({@link Aggregator}); all
 * candle updates of the tick ({@code lua/update_candle.lua}, which also stores the latest-price
 * JSON at {@code oracle:price:<symbol>}, both refused when a newer leader's fencing token exists)
 * go to Redis pipelined in slices of {@link #SLICE_SYMBOLS} symbols, each sent as soon as it is
 * aggregated, so Redis runs one slice while the next is aggregated; each updated candle is then
 * published on the local event bus and, in one PUBLISH per tick, relayed to the other instances.
 * Batches never overlap: a batch arriving while the previous one is still writing waits, and only
 * the newest waiting batch is kept (an older one would only be overwritten).
 *
 * <p>A symbol whose tick has no agreed price ({@link Aggregator.Status}: no quorum, diverged) does
 * not move its candle: the same script, in its {@code withhold} mode, keeps the last agreed price
 * at {@code oracle:price:<symbol>} flagged {@code stale} with the status and this tick's sources,
 * and the unmoved candle is published with that status (so SSE and event-bus subscribers see it
 * too).
 *
 * <p>On every instance: the {@link CandleRelay} subscriber republishes relayed candles locally.
 */
public final class AggregationVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(AggregationVerticle.class);

  private final String instanceId;
  private final String redisUrl;
  private final AggregationSettings settings;
  private Aggregator aggregator;
  private final FrozenFeeds frozen = new FrozenFeeds();
  private Redis redis;
  private CandleUpdates updates;
  private CandleRelay relay;
  private final OracleMetrics metrics;
  private Timer duration;
  private Counter priceUpdates;
  private Counter empty;

  /**
   * Conversion rates: written by each tick's first blocking task ({@link #group}) and read by its
   * slices ({@link #prepare}); ordered blocking tasks never overlap, also not across ticks.
   */
  private final Map<String, Aggregator.Rate> rates = new ConcurrentHashMap<>();

  private final Map<String, Counter> droppedCounters = new ConcurrentHashMap<>();

  /** Each minute's rates for its close-out ({@link MinuteCloser}), fed by {@link #updateRates}. */
  private final MinuteRates minuteRates = new MinuteRates();

  private MinuteCloser closer;

  private LeaderGate gate;
  private Term term = Term.NONE;

  private boolean writing;
  private QuoteBatch waiting;

  /** Where the close-out repairs a source's minute: its kline over REST. */
  private final MinuteCloser.KlineFetch repairs;

  /**
   * Without repairs (tests that send no closed minutes): a repair fails, the minute stays as built.
   */
  public AggregationVerticle(
      String instanceId, String redisUrl, AggregationSettings settings, OracleMetrics metrics) {
    this(
        instanceId,
        redisUrl,
        settings,
        metrics,
        (exchange, symbol, from, to) ->
            Future.failedFuture(new IllegalStateException("no kline source for repairs")));
  }

  /**
   * @param repairs the polling verticle's kline requests ({@code PollingClient#klines}: the
   *     poller's breaker, token bucket and timeout), given by the deployment because polling
   *     depends on aggregation, not the other way round
   */
  public AggregationVerticle(
      String instanceId,
      String redisUrl,
      AggregationSettings settings,
      OracleMetrics metrics,
      MinuteCloser.KlineFetch repairs) {
    this.repairs = repairs;
    this.metrics = metrics;
    this.instanceId = instanceId;
    this.redisUrl = redisUrl;
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    aggregator = settings.rules();
    redis = RedisFactory.create(vertx, redisUrl);
    updates = new CandleUpdates(settings.graceMs());
    duration = metrics.ingestionDuration();
    priceUpdates = metrics.priceUpdates();
    empty = metrics.aggregationEmpty();
    vertx.eventBus().<QuoteBatch>localConsumer(Addresses.QUOTES, m -> onBatch(m.body()));
    MinuteCloser.Limits limits = MinuteCloser.Limits.DEFAULT;
    closer =
        new MinuteCloser(redis, updates, aggregator, settings.rates(), repairs, limits)
            .onlySymbols(settings.symbols());
    vertx
        .eventBus()
        .<ClosedMinutes>localConsumer(Addresses.MINUTES_CLOSED, m -> onClosed(m.body()));
    relay = new CandleRelay(vertx, redisUrl, instanceId);
    // Redis may be down at start: the script is (re)loaded on the first NOSCRIPT anyway.
    Future<Void> loaded =
        updates
            .register(redis)
            .recover(
                err -> {
                  log.warn("cannot load update_candle.lua yet: {}", err.getMessage());
                  return Future.succeededFuture();
                });
    return Future.all(loaded, relay.start())
        .compose(
            v ->
                LeaderGate.attach(
                        vertx,
                        elected -> {
                          term = elected;
                          log.info("aggregation enabled ({})", elected);
                        },
                        ended -> {
                          waiting = null;
                          frozen.clear();
                          log.info("aggregation disabled ({})", ended);
                        })
                    .map(g -> gate = g));
  }

  @Override
  public Future<?> stop() {
    if (gate != null) gate.close();
    return relay.stop().eventually(() -> redis.close());
  }

  private void onBatch(QuoteBatch batch) {
    if (!term.isCurrent()) return;
    if (writing) {
      waiting = batch;
      return;
    }
    writing = true;
    // Every Redis call of a tick has its own timeout; this one bounds the whole
    // tick, so a call that never completes can never leave the loop waiting.
    process(batch)
        .timeout(2 * writeTimeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              if (ar.failed())
                log.warn("tick {} not written: {}", batch.tickMs(), ar.cause().getMessage());
              writing = false;
              QuoteBatch next = waiting;
              waiting = null;
              if (next != null) onBatch(next);
            });
  }

  /** A finished minute's close-out (leader only): the final candles, repaired where needed. */
  private void onClosed(ClosedMinutes closed) {
    if (!term.isCurrent()) return;
    closer
        .close(closed, minuteRates.of(closed.minuteSec()), term)
        .onSuccess(this::countCloseOut)
        .onFailure(
            err ->
                log.warn(
                    "close-out of minute {} not finished: {}",
                    closed.minuteSec(),
                    err.getMessage()));
  }

  private void countCloseOut(MinuteCloser.Report r) {
    metrics.closeoutMinutes("live").increment(r.live());
    metrics.closeoutMinutes("repaired").increment(r.repaired());
    metrics.closeoutMinutes("withheld").increment(r.withheld());
    metrics.closeoutMinutes("fenced").increment(r.fenced());
    metrics.closeoutRepairs("used").increment(r.repairsUsed());
    metrics.closeoutRepairs("failed").increment(r.repairsFailed());
    metrics.closeoutRepairs("short").increment(r.repairsShort());
    metrics.closeoutRepairs("skipped").increment(r.repairsSkipped());
    metrics.closeoutRepairs("none").increment(r.repairsNone());
  }

  /** Timeout of each Redis call on the ingestion path. */
  private long writeTimeoutMs() {
    return Math.max(500, settings.intervalMs() * 5);
  }

  /**
   * Symbols per Redis pipeline. A tick is aggregated and written in slices of this many symbols:
   * each slice goes to Redis as soon as it is ready, so Redis runs one slice while the next is
   * aggregated, and the event loop handles one slice's answers at a time.
   */
  static final int SLICE_SYMBOLS = 1_000;

  /** One tick in flight: what its slices share, and what they add up to (event loop only). */
  private static final class TickWrite {
    final QuoteBatch batch;
    final Term term;
    final long token;
    final long minute;
    final String tickMs;

    /** Quotes by symbol: written by the first blocking task, read by the slices after it. */
    Map<String, List<Quote>> bySymbol;

    final List<String> relayed = new ArrayList<>();
    int updated;
    int withheld;

    /** Refused updates, logged once per tick (a WARN per symbol flooded at 10,000 symbols). */
    int fenced;

    int late;
    String firstRefused;

    /** For the health summary: the newest agreed price and the sources behind this tick's. */
    long newestPriceMs;

    /** The oldest price served after this tick, agreed or kept (0: none yet). */
    long oldestPriceMs;

    final java.util.Set<String> sourcesUsed = new java.util.TreeSet<>();
    int requests;
    long lastPreparedNanos;
    long firstSentNanos = -1;
    long lastAnsweredNanos;

    void oldest(long priceMs) {
      if (priceMs > 0 && (oldestPriceMs == 0 || priceMs < oldestPriceMs)) oldestPriceMs = priceMs;
    }

    TickWrite(QuoteBatch batch, Term term) {
      this.batch = batch;
      this.term = term;
      this.token = term.token();
      this.minute = RedisKeys.minuteOf(batch.tickMs());
      this.tickMs = Long.toString(batch.tickMs());
    }
  }

  /** One slice of a tick, aggregated off the event loop, ready to write. */
  private record Prepared(
      List<Aggregator.Result> results,
      List<String> prices,
      List<Request> requests,
      long preparedNanos) {}

  private Future<Void> process(QuoteBatch batch) {
    TickWrite tick = new TickWrite(batch, term);
    List<String> symbols = settings.symbols();
    int slices = Math.max(1, (symbols.size() + SLICE_SYMBOLS - 1) / SLICE_SYMBOLS);
    // Aggregating is CPU work: on a worker. Ordered blocking tasks of this context run one at a
    // time, in order, so the rules' state (rates, frozen feeds) is never touched concurrently,
    // also not by the next tick's tasks; each slice is written as soon as it is ready.
    vertx.executeBlocking(() -> group(tick), true);
    List<Future<Void>> writes = new ArrayList<>(slices);
    for (int i = 0; i < slices; i++) {
      List<String> slice =
          symbols.subList(i * SLICE_SYMBOLS, Math.min(symbols.size(), (i + 1) * SLICE_SYMBOLS));
      writes.add(
          vertx
              .executeBlocking(() -> prepare(tick, slice), true)
              .compose(prepared -> write(tick, prepared)));
    }
    // join, not all: the tick is over only when every slice is (a failed one fails it).
    return Future.join(writes).compose(v -> finish(tick));
  }

  /** First task of a tick (worker): conversion rates, and the quotes grouped by symbol. */
  private Void group(TickWrite tick) {
    updateRates(tick.batch);
    Map<String, List<Quote>> bySymbol = new HashMap<>();
    for (Quote q : tick.batch.quotes())
      bySymbol.computeIfAbsent(q.symbol(), k -> new ArrayList<>(8)).add(q);
    tick.bySymbol = bySymbol;
    return null;
  }

  /**
   * Runs on a worker, one slice at a time (see {@link #process}); touches only {@link #rates},
   * {@link #frozen} and thread-safe meters.
   */
  private Prepared prepare(TickWrite tick, List<String> symbols) {
    QuoteBatch batch = tick.batch;
    List<Aggregator.Result> results = new ArrayList<>(symbols.size());
    List<String> prices = new ArrayList<>(symbols.size());
    List<Request> requests = new ArrayList<>(symbols.size());
    for (String symbol : symbols) {
      Aggregator.Result r =
          aggregator.aggregate(
              symbol,
              tick.bySymbol.getOrDefault(symbol, List.of()),
              rates,
              unavailableFor(symbol, batch),
              batch.tickMs(),
              frozen);
      r.dropped().forEach(d -> droppedCounter(d.exchange(), d.reason()).increment());
      if (!r.hasPrice()) {
        empty.increment();
        // Nothing to say before any source ever spoke (an unlisted symbol stays "no price yet").
        if (r.used().isEmpty() && r.dropped().isEmpty()) continue;
        // The candle stays; the last agreed price is kept, marked stale with
        // the reason (quorum rule).
        results.add(r);
        prices.add(null);
        requests.add(
            updates.withhold(
                symbol, tick.minute, tick.tickMs, tick.token, PriceJson.withheldTail(r)));
        continue;
      }
      String price = PriceJson.agreed(r); // the latest-price JSON, encoded once, straight from r
      results.add(r);
      prices.add(price);
      CandleUpdates.Agreed update =
          updates.agreed(
              symbol, tick.minute, tick.tickMs, tick.token, r.price(), r.volume(), price);
      // a streamed source's trade count of the minute so far (-1, polled: unknown, not sent)
      for (Aggregator.Used u : r.used())
        update.source(u.exchange(), u.minuteVolume(), u.minuteTrades());
      requests.add(update.request());
    }
    return new Prepared(results, prices, requests, System.nanoTime());
  }

  /** Sends one slice's pipeline (event loop) and publishes its candles when Redis answered. */
  private Future<Void> write(TickWrite tick, Prepared p) {
    tick.lastPreparedNanos = Math.max(tick.lastPreparedNanos, p.preparedNanos());
    if (!tick.term.isCurrent()) return Future.succeededFuture(); // its term ended meanwhile
    if (p.requests().isEmpty()) return Future.succeededFuture();
    tick.requests += p.requests().size();
    long sentNanos = System.nanoTime();
    if (tick.firstSentNanos < 0) tick.firstSentNanos = sentNanos;
    return updates
        .send(redis, p.requests())
        .timeout(writeTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(
            responses -> {
              tick.lastAnsweredNanos = Math.max(tick.lastAnsweredNanos, System.nanoTime());
              publish(tick, p.results(), p.prices(), responses);
              return null;
            });
  }

  /** After the last slice: the tick's timer and event, and the relay's one PUBLISH. */
  private Future<Void> finish(TickWrite tick) {
    QuoteBatch batch = tick.batch;
    if (!tick.term.isCurrent()) return Future.succeededFuture(); // its term ended meanwhile
    long aggregateNanos = tick.lastPreparedNanos - batch.collectedNanos();
    metrics.lastTick(tick.updated, tick.withheld, tick.oldestPriceMs);
    logRefused(tick);
    if (tick.requests == 0) {
      publishTick(batch, 0, System.nanoTime() - batch.collectedNanos(), 0);
      return Future.succeededFuture();
    }
    duration.record(System.nanoTime() - batch.startedNanos(), TimeUnit.NANOSECONDS);
    publishTick(batch, tick.updated, aggregateNanos, tick.lastAnsweredNanos - tick.firstSentNanos);
    Future<?> summary =
        tick.updated == 0
            ? Future.succeededFuture()
            : redis
                .send(PriceSummary.request(batch.tickMs(), tick.newestPriceMs, tick.sourcesUsed))
                .timeout(writeTimeoutMs(), TimeUnit.MILLISECONDS);
    if (tick.relayed.isEmpty()) return summary.mapEmpty();
    Future<?> relayed =
        redis
            .send(CandleRelay.publishEncodedRequest(instanceId, tick.relayed))
            .timeout(writeTimeoutMs(), TimeUnit.MILLISECONDS);
    return Future.all(summary, relayed).mapEmpty();
  }

  private void logRefused(TickWrite tick) {
    if (tick.fenced > 0)
      log.warn(
          "{} candle update(s) of this tick refused (e.g. {}): a newer leader holds the fencing token",
          tick.fenced,
          tick.firstRefused);
    if (tick.late > 0)
      log.warn(
          "{} candle update(s) of this tick refused (e.g. {}): minute {} closed more than {} ms ago (late tick)",
          tick.late,
          tick.firstRefused,
          tick.minute,
          settings.graceMs());
  }

  /**
   * One slice's candles from the script's answers: published locally (built only for consumers:
   * {@link LazyJson}) and kept, encoded, for the relay.
   */
  private void publish(
      TickWrite tick,
      List<Aggregator.Result> results,
      List<String> prices,
      List<Response> responses) {
    long minute = tick.minute;
    for (int i = 0; i < results.size(); i++) {
      Aggregator.Result r = results.get(i);
      String symbol = r.symbol();
      CandleUpdates.Reply c = CandleUpdates.Reply.of(symbol, minute, responses.get(i));
      if (c.fenced() || c.late()) {
        if (c.fenced()) tick.fenced++;
        else tick.late++;
        if (tick.firstRefused == null) tick.firstRefused = symbol;
        continue;
      }
      if (!r.hasPrice()) {
        // Withheld: the candle as it stands (if this minute has one) and the last agreed price,
        // flagged; read in one streaming pass, parsed again only for local consumers.
        String stored = c.keptPrice();
        tick.withheld++;
        PriceJson.Kept kept = PriceJson.Kept.read(stored);
        if (kept.problem() != null) log.warn("unreadable stored price JSON: {}", kept.problem());
        if (kept.valid()) tick.oldest(kept.timestampMs());
        if (kept.valid())
          vertx
              .eventBus()
              .publish(Addresses.price(symbol), PriceJson.event(stored), LazyJson.DELIVERY);
        Candle candle = c.candle();
        if (candle == null) continue;
        String text = PriceJson.withheldCandle(candle, r, kept);
        tick.relayed.add(text);
        vertx
            .eventBus()
            .publish(Addresses.candle(symbol), PriceJson.event(text), LazyJson.DELIVERY);
        continue;
      }
      String text = PriceJson.agreedCandle(c.candle(), r);
      tick.updated++;
      tick.newestPriceMs = Math.max(tick.newestPriceMs, r.timestampMs());
      tick.oldest(r.timestampMs());
      for (Aggregator.Used u : r.used()) tick.sourcesUsed.add(u.exchange());
      tick.relayed.add(text);
      vertx.eventBus().publish(Addresses.candle(symbol), PriceJson.event(text), LazyJson.DELIVERY);
      vertx
          .eventBus()
          .publish(Addresses.price(symbol), PriceJson.event(prices.get(i)), LazyJson.DELIVERY);
      priceUpdates.increment();
    }
  }

  private void publishTick(QuoteBatch batch, int updated, long aggregateNanos, long redisNanos) {
    vertx
        .eventBus()
        .publish(
            Addresses.INGESTION_TICK,
            PriceJson.tickEvent(
                batch.tickMs(),
                (System.nanoTime() - batch.startedNanos()) / 1e6,
                (batch.collectedNanos() - batch.startedNanos()) / 1e6,
                aggregateNanos / 1e6,
                redisNanos / 1e6,
                settings.symbols().size(),
                updated),
            LazyJson.DELIVERY);
  }

  /**
   * Conversion rates come from the configured source's quote of the rate pair; the newest one is
   * kept.
   */
  private void updateRates(QuoteBatch batch) {
    for (Quote q : batch.quotes()) {
      String source = settings.rates().get(q.symbol());
      if (source == null || !source.equals(q.exchange()) || !(q.price() > 0)) continue;
      // A healthy stream's last trade is the rate now, however long ago the pair last traded (the
      // stream's health is its staleness); a polled rate is as old as its quote.
      long asOf = q.streamed() ? batch.tickMs() : q.timestampMs();
      Aggregator.Rate offered = Aggregator.Rate.asOf(q.price(), asOf, batch.tickMs());
      rates.merge(
          q.symbol(),
          offered,
          (known, next) -> next.timestampMs() >= known.timestampMs() ? next : known);
      minuteRates.record(q.symbol(), q.price(), batch.tickMs());
    }
  }

  private List<Aggregator.Dropped> unavailableFor(String symbol, QuoteBatch batch) {
    if (batch.unavailable().isEmpty()) return List.of();
    List<Aggregator.Dropped> out = new ArrayList<>(batch.unavailable().size());
    batch
        .unavailable()
        .forEach(
            (exchange, reason) -> {
              if (batch.listings().getOrDefault(exchange, java.util.Set.of()).contains(symbol)) {
                out.add(new Aggregator.Dropped(exchange, reason, Double.NaN));
              }
            });
    return out;
  }

  private Counter droppedCounter(String exchange, DropReason reason) {
    return droppedCounters.computeIfAbsent(
        exchange + '|' + reason.label(), k -> metrics.sourceDropped(exchange, reason.label()));
  }
}
