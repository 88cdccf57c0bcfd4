package oracle.aggregation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
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
import oracle.common.LuaScript;
import oracle.common.OracleMetrics;
import oracle.common.RedisFactory;
import oracle.common.RedisKeys;
import oracle.exchange.Quote;
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
 * go to Redis in ONE pipeline; then each updated candle is published on the local event bus and, in
 * one PUBLISH, relayed to the other instances. Batches never overlap: a batch arriving while the
 * previous one is still writing waits, and only the newest waiting batch is kept (an older one
 * would only be overwritten).
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
  private LuaScript updateCandle;
  private CandleRelay relay;
  private final OracleMetrics metrics;
  private MeterRegistry meters;
  private Timer duration;

  /**
   * Conversion rates; only touched by {@link #prepare}, which never runs concurrently with itself.
   */
  private final Map<String, Aggregator.Rate> rates = new ConcurrentHashMap<>();

  private final Map<String, Counter> updateCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> emptyCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> droppedCounters = new ConcurrentHashMap<>();

  private LeaderGate gate;
  private Term term = Term.NONE;

  /**
   * Ticks for a minute closed longer ago than this are refused by the candle script ({@code
   * flush.graceMs}).
   */
  private final String graceMs;

  private boolean writing;
  private QuoteBatch waiting;

  public AggregationVerticle(
      String instanceId, String redisUrl, AggregationSettings settings, OracleMetrics metrics) {
    this.metrics = metrics;
    this.instanceId = instanceId;
    this.redisUrl = redisUrl;
    this.settings = settings;
    this.graceMs = Long.toString(settings.graceMs());
  }

  @Override
  public Future<?> start() {
    aggregator = settings.rules();
    redis = RedisFactory.create(vertx, redisUrl);
    updateCandle = LuaScript.load("update_candle");
    meters = metrics.registry();
    duration =
        Timer.builder("oracle.ingestion.duration")
            .description("From the start of a polling tick until its candles are in Redis")
            .publishPercentileHistogram()
            .register(meters);
    QuoteBatch.registerCodec(vertx);
    vertx.eventBus().<QuoteBatch>localConsumer(Addresses.QUOTES, m -> onBatch(m.body()));
    relay = new CandleRelay(vertx, redisUrl, instanceId);
    // Redis may be down at start: the script is (re)loaded on the first NOSCRIPT anyway.
    Future<Void> loaded =
        updateCandle
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
    // Every Redis call of a tick has its own timeout; this one bounds the whole tick, so a call
    // that
    // never completes can never leave the loop waiting.
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

  /** Timeout of each Redis call on the ingestion path. */
  private long writeTimeoutMs() {
    return Math.max(500, settings.intervalMs() * 5);
  }

  /** One tick's aggregation, computed off the event loop, ready to write. */
  private record Prepared(
      long minute,
      List<Aggregator.Result> results,
      List<JsonObject> prices,
      List<Request> requests) {}

  private Future<Void> process(QuoteBatch batch) {
    Term at = term;
    long token = at.token();
    // Aggregating and encoding a thousand symbols is CPU work: do it on a worker, write from the
    // loop.
    return vertx
        .executeBlocking(() -> prepare(batch, token), false)
        .compose(
            p -> {
              if (!at.isCurrent()) return Future.succeededFuture(); // its term ended meanwhile
              if (p.requests().isEmpty()) {
                publishTick(batch, 0, System.nanoTime() - batch.collectedNanos(), 0);
                return Future.succeededFuture();
              }
              long sentNanos = System.nanoTime();
              return updateCandle
                  .evalBatch(redis, p.requests())
                  .timeout(writeTimeoutMs(), TimeUnit.MILLISECONDS)
                  .compose(
                      responses ->
                          publish(
                              batch, p.minute(), p.results(), p.prices(), responses, sentNanos));
            });
  }

  /**
   * Runs on a worker, one batch at a time (see {@link #onBatch}); touches only {@link #rates} and
   * thread-safe meters.
   */
  private Prepared prepare(QuoteBatch batch, long token) {
    updateRates(batch);
    Map<String, List<Quote>> bySymbol = new HashMap<>();
    for (Quote q : batch.quotes())
      bySymbol.computeIfAbsent(q.symbol(), k -> new ArrayList<>(8)).add(q);

    List<Aggregator.Result> results = new ArrayList<>(settings.symbols().size());
    List<JsonObject> prices = new ArrayList<>(settings.symbols().size());
    List<Request> requests = new ArrayList<>(settings.symbols().size());
    String tickMs = Long.toString(batch.tickMs());
    long minute = RedisKeys.minuteOf(batch.tickMs());
    for (String symbol : settings.symbols()) {
      Aggregator.Result r =
          aggregator.aggregate(
              symbol,
              bySymbol.getOrDefault(symbol, List.of()),
              rates,
              unavailableFor(symbol, batch),
              batch.tickMs(),
              frozen);
      r.dropped().forEach(d -> droppedCounter(d.exchange(), d.reason()).increment());
      List<String> keys =
          List.of(
              RedisKeys.candle(symbol, minute), RedisKeys.LEADER_FENCING, RedisKeys.price(symbol));
      if (!r.hasPrice()) {
        emptyCounters
            .computeIfAbsent(
                symbol,
                s ->
                    Counter.builder("oracle.aggregation.empty")
                        .description(
                            "Ticks without an agreed price (no source, no quorum or diverged sources): the candle is not moved")
                        .tag("symbol", s)
                        .register(meters))
            .increment();
        // Nothing to say before any source ever spoke (an unlisted symbol stays "no price yet").
        if (r.used().isEmpty() && r.dropped().isEmpty()) continue;
        // The candle stays; the last agreed price is kept, marked stale with the reason (quorum
        // rule).
        results.add(r);
        prices.add(null);
        requests.add(
            updateCandle.request(
                keys,
                List.of(
                    "",
                    "",
                    tickMs,
                    Long.toString(token),
                    r.withheldTail(),
                    "",
                    "mode",
                    "withhold")));
        continue;
      }
      results.add(r);
      JsonObject json = r.toJson();
      prices.add(json);
      List<String> args =
          new ArrayList<>(
              List.of(
                  Double.toString(r.price()),
                  Double.isFinite(r.volume()) ? Double.toString(r.volume()) : "",
                  tickMs,
                  Long.toString(token),
                  json.encode(),
                  String.join(",", r.used().stream().map(Aggregator.Used::exchange).toList())));
      // Each source's minute volume goes into its own candle field; the script sums them (never
      // down).
      for (Aggregator.Used u : r.used()) {
        if (Double.isFinite(u.minuteVolume()) && u.minuteVolume() >= 0) {
          args.add("vol:" + u.exchange());
          args.add(Double.toString(u.minuteVolume()));
        }
      }
      args.add("grace"); // a minute closed longer ago than flush.graceMs is not rewritten
      args.add(graceMs);
      requests.add(updateCandle.request(keys, args));
    }
    return new Prepared(minute, results, prices, requests);
  }

  private Future<Void> publish(
      QuoteBatch batch,
      long minute,
      List<Aggregator.Result> results,
      List<JsonObject> prices,
      List<Response> responses,
      long sentNanos) {
    long redisNanos = System.nanoTime() - sentNanos;
    List<JsonObject> candles = new ArrayList<>(results.size());
    int updated = 0;
    for (int i = 0; i < results.size(); i++) {
      Response c = responses.get(i);
      Aggregator.Result r = results.get(i);
      String symbol = r.symbol();
      if (c == null) {
        log.warn("candle update of {} refused: a newer leader holds the fencing token", symbol);
        continue;
      }
      if (c.type() != io.vertx.redis.client.ResponseType.MULTI) {
        log.warn(
            "candle update of {} refused: minute {} closed more than {} ms ago (late tick)",
            symbol,
            minute,
            graceMs);
        continue;
      }
      JsonObject price = prices.get(i);
      if (price == null) {
        // Withheld: the candle as it stands (if this minute has one) and the last agreed price,
        // flagged.
        String stored = c.size() > 6 ? c.get(6).toString() : "";
        JsonObject kept = parseOrNull(stored);
        if (kept != null) vertx.eventBus().publish(Addresses.price(symbol), kept);
        if (c.get(0).toString().isEmpty()) continue;
        Candle candle =
            new Candle(
                symbol,
                minute,
                c.get(0).toDouble(),
                c.get(1).toDouble(),
                c.get(2).toDouble(),
                c.get(3).toDouble(),
                c.get(4).toDouble(),
                c.get(5).toLong(),
                0);
        candles.add(PriceStatus.withheld(candle.toJson(), r, kept));
        vertx.eventBus().publish(Addresses.candle(symbol), candles.get(candles.size() - 1));
        continue;
      }
      Candle candle =
          new Candle(
              symbol,
              minute,
              c.get(0).toDouble(),
              c.get(1).toDouble(),
              c.get(2).toDouble(),
              c.get(3).toDouble(),
              c.get(4).toDouble(),
              c.get(5).toLong(),
              0);
      updated++;
      candles.add(PriceStatus.agreed(candle.toJson(), r));
      vertx.eventBus().publish(Addresses.candle(symbol), candles.get(candles.size() - 1));
      vertx.eventBus().publish(Addresses.price(symbol), price);
      updateCounters
          .computeIfAbsent(
              symbol,
              s ->
                  Counter.builder("oracle.price.updates")
                      .description("Aggregated prices written to the symbol's candle")
                      .tag("symbol", s)
                      .register(meters))
          .increment();
    }
    duration.record(System.nanoTime() - batch.startedNanos(), TimeUnit.NANOSECONDS);
    publishTick(batch, updated, sentNanos - batch.collectedNanos(), redisNanos);
    if (candles.isEmpty()) return Future.succeededFuture();
    return redis
        .send(CandleRelay.publishJsonRequest(instanceId, candles))
        .timeout(writeTimeoutMs(), TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  private static JsonObject parseOrNull(String json) {
    if (json.isEmpty()) return null;
    try {
      return new JsonObject(json);
    } catch (io.vertx.core.json.DecodeException e) {
      log.warn("unreadable stored price JSON: {}", e.getMessage());
      return null;
    }
  }

  private void publishTick(QuoteBatch batch, int updated, long aggregateNanos, long redisNanos) {
    vertx
        .eventBus()
        .publish(
            Addresses.INGESTION_TICK,
            new JsonObject()
                .put("tickMs", batch.tickMs())
                .put("durationMs", (System.nanoTime() - batch.startedNanos()) / 1e6)
                .put("collectMs", (batch.collectedNanos() - batch.startedNanos()) / 1e6)
                .put("aggregateMs", aggregateNanos / 1e6)
                .put("redisMs", redisNanos / 1e6)
                .put("symbols", settings.symbols().size())
                .put("updated", updated));
  }

  /**
   * Conversion rates come from the configured source's quote of the rate pair; the newest one is
   * kept.
   */
  private void updateRates(QuoteBatch batch) {
    for (Quote q : batch.quotes()) {
      String source = settings.rates().get(q.symbol());
      if (source == null || !source.equals(q.exchange()) || !(q.price() > 0)) continue;
      Aggregator.Rate offered = Aggregator.Rate.asOf(q.price(), q.timestampMs(), batch.tickMs());
      rates.merge(
          q.symbol(),
          offered,
          (known, next) -> next.timestampMs() >= known.timestampMs() ? next : known);
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
                out.add(new Aggregator.Dropped(exchange, DropReason.fromLabel(reason), Double.NaN));
              }
            });
    return out;
  }

  private Counter droppedCounter(String exchange, DropReason reason) {
    return droppedCounters.computeIfAbsent(
        exchange + '|' + reason.label(),
        k ->
            Counter.builder("oracle.sources.dropped")
                .description("Source data points left out of a price, by reason")
                .tag("exchange", exchange)
                .tag("reason", reason.label())
                .register(meters));
  }
}
