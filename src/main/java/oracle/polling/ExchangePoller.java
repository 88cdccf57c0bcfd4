package oracle.polling;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import oracle.common.OracleMetrics;
import oracle.common.RedisKeys;
import oracle.exchange.DropReason;
import oracle.exchange.ExchangeAdapter;
import oracle.exchange.Kline;
import oracle.exchange.Quote;
import oracle.exchange.SourceSettings;
import oracle.streaming.TradeFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one source: its circuit breaker, token bucket and per-call timeout, plus its caches.
 *
 * <p><b>Quotes.</b> Each tick takes the tokens the call needs ({@link
 * ExchangeAdapter#requestsFor}): a batch source either gets its one request or is {@code
 * rate_limited} for the tick; a per-symbol source (Coinbase) asks for as many symbols as it has
 * tokens, round-robin, so every symbol is refreshed in turn. The freshest quote per symbol is kept
 * and re-sent each tick; the aggregator's staleness window decides when it is too old. A failed or
 * timed-out call costs only this source's data (and counts towards its breaker); an open breaker
 * means the source is not asked at all.
 *
 * <p><b>Minute volume.</b> Tickers carry 24 h volume only, so the current minute's volume comes
 * from the 1-minute kline endpoint, one request per symbol. To stay inside rate limits with many
 * symbols this runs after each tick, off the tick's critical path, with the tokens left over
 * (keeping a reserve for the next tick's quotes), at most {@code volumeRequestsPerTick} per tick,
 * round-robin, and re-reads a symbol at most every {@code ingestion.volumeRefreshMs}. A quote
 * carries the cached volume only while it belongs to the tick's minute. With N symbols and B spare
 * requests per second, each symbol's minute volume is refreshed about every N/B seconds (e.g. 1,000
 * symbols at Binance's default 19 spare/s: ~53 s), so a candle's volume is the sources' latest
 * report for that minute.
 *
 * <p><b>Streams.</b> While the source's trade feed ({@link TradeFeed}, attached for the leader's
 * term) is healthy, the tick does not poll the REST ticker: the quotes come from the source's
 * trades (price, exchange time, the minute's volume and trade count), and no kline is read for
 * minute volume. The ticker is still read off the tick: for the symbols that have not traded since
 * the stream started (their price is the ticker's until they trade), and about once a minute for
 * all, to keep the 24 h quote volume that weighs the source in the VWAP. A feed that is down,
 * silent or lagging leaves the source polled as above until it is healthy again.
 *
 * <p><b>Kline requests' share.</b> Backfill's and the close-out's kline requests ({@link #klines})
 * take only spare tokens, beyond the next tick's need. A source whose ticker poll spends every
 * token it earns (Kraken: 1 request/s, one ticker request a tick; Coinbase with more symbols than
 * its burst) never has one, so its repairs and backfill would never run. Hence: while a kline
 * request is waiting and no spare token is there, at most every {@value #KLINE_SHARE_TICKS}th tick
 * gives one of its tokens to that request before the quotes are asked. That tick's quotes are the
 * cached ones (a batch source) or one symbol fewer (a per-symbol source); the source's request rate
 * stays its budget, and the klines get at least a quarter of it whenever they wait.
 */
final class ExchangePoller {
  private static final Logger log = LoggerFactory.getLogger(ExchangePoller.class);

  /** One source's contribution to a tick. */
  record Outcome(String exchange, List<Quote> quotes, DropReason unavailableReason) {}

  private record MinuteVolume(long minute, double volume, long fetchedMs) {}

  static final int KLINE_CHUNK_MINUTES = 100;
  private static final long KLINE_TOKEN_WAIT_MS = 10_000;

  private final Vertx vertx;
  private final ExchangeAdapter adapter;
  private final SourceSettings source;
  private final IngestionSettings settings;
  private final CircuitBreaker breaker;
  private final TokenBucket bucket;
  private final List<String> symbols;
  private final List<String> volumeSymbols;
  private final Map<String, Quote> latest = new HashMap<>();
  private final Map<String, MinuteVolume> volumes = new HashMap<>();
  private final Set<String> volumeInFlight = new HashSet<>();
  private int quoteCursor;
  private int volumeCursor;
  private TradeFeed feed;
  private long liquidityReadMs = Long.MIN_VALUE;
  private boolean liquidityInFlight;
  private int untradedCursor;

  /** How often a streamed source's REST ticker is still read, for its 24 h volume (VWAP weight). */
  static final long LIQUIDITY_REFRESH_MS = 60_000;

  /** At most every this many ticks, one token of the tick goes to a waiting kline request. */
  static final int KLINE_SHARE_TICKS = 4;

  private int klineWaiters;
  private int klineCredit;
  private long ticks;
  private long lastShareTick = -KLINE_SHARE_TICKS;
  private long klineShares;

  ExchangePoller(
      Vertx vertx,
      ExchangeAdapter adapter,
      SourceSettings source,
      IngestionSettings settings,
      OracleMetrics meters) {
    this.vertx = vertx;
    this.adapter = adapter;
    this.source = source;
    this.settings = settings;
    this.bucket = new TokenBucket(source.requestsPerSecond(), source.burst());
    this.symbols = settings.symbolsFor(source.name()).stream().filter(adapter::lists).toList();
    // A set: with 10,000 symbols a list's contains() made this quadratic (seconds on the loop).
    Set<String> configured = new HashSet<>(settings.symbols());
    this.volumeSymbols = symbols.stream().filter(configured::contains).toList();
    this.breaker =
        CircuitBreaker.create(
            "oracle-" + source.name(),
            vertx,
            new CircuitBreakerOptions()
                .setMaxFailures(source.breakerMaxFailures())
                .setTimeout(
                    source.timeoutMs()
                        + 200) // backstop; the HTTP request's own timeout fires first
                .setResetTimeout(source.breakerResetMs())
                .setNotificationAddress(null));
    breaker.openHandler(
        v -> {
          log.warn("{} circuit breaker OPEN", source.name());
          ExchangeHealth.set(meters, source.name(), CircuitBreakerState.OPEN);
        });
    breaker.halfOpenHandler(
        v -> ExchangeHealth.set(meters, source.name(), CircuitBreakerState.HALF_OPEN));
    breaker.closeHandler(
        v -> {
          log.info("{} circuit breaker closed", source.name());
          ExchangeHealth.set(meters, source.name(), CircuitBreakerState.CLOSED);
        });
    ExchangeHealth.set(meters, source.name(), breaker.state());
  }

  String name() {
    return source.name();
  }

  Set<String> listed() {
    return new HashSet<>(symbols);
  }

  /** The symbols this source reads (configured, listed by it). */
  List<String> symbols() {
    return symbols;
  }

  SourceSettings source() {
    return source;
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  void close() {
    breaker.close();
  }

  /** The source's trade feed for this term (null: none, the source is polled). */
  void feed(TradeFeed feed) {
    this.feed = feed;
  }

  /** Whether this tick's quotes come from the source's healthy trade stream. */
  boolean streamed() {
    return feed != null && feed.healthy();
  }

  /** The source's latest REST quote of {@code symbol}, or null. */
  Quote polled(String symbol) {
    return latest.get(symbol);
  }

  /** This source's quotes for the tick; never fails. */
  Future<Outcome> poll(long tickMs) {
    if (symbols.isEmpty()) return Future.succeededFuture(new Outcome(name(), List.of(), null));
    shareWithKlines();
    if (streamed()) {
      refreshLiquidity(tickMs);
      return Future.succeededFuture(new Outcome(name(), feed.quotes(tickMs, latest::get), null));
    }
    if (breaker.state() == CircuitBreakerState.OPEN)
      return Future.succeededFuture(new Outcome(name(), List.of(), DropReason.BREAKER_OPEN));
    List<String> ask = affordableSymbols();
    if (ask.isEmpty())
      return Future.succeededFuture(
          new Outcome(name(), cached(tickMs), latest.isEmpty() ? DropReason.RATE_LIMITED : null));
    return breaker
        .<List<Quote>>execute(() -> adapter.fetchQuotes(ask))
        .map(
            quotes -> {
              for (Quote q : quotes) {
                Quote known = latest.get(q.symbol());
                if (known == null || q.timestampMs() >= known.timestampMs())
                  latest.put(q.symbol(), q);
              }
              return new Outcome(name(), cached(tickMs), null);
            })
        .recover(
            err -> {
              if (err instanceof OpenCircuitException)
                return Future.succeededFuture(
                    new Outcome(name(), List.of(), DropReason.BREAKER_OPEN));
              log.debug("{} quotes failed: {}", name(), err.toString());
              return Future.succeededFuture(new Outcome(name(), cached(tickMs), null));
            });
  }

  /**
   * Reads the REST ticker off the tick while streamed (never awaited: the tick's quotes are the
   * trades'): every tick for the symbols that have not traded since the stream started (their only
   * price is the ticker's, as when polled), and about once a minute for all, only for the 24 h
   * volume that weighs the streamed quotes in the VWAP (a ticker's price never replaces a trade's).
   */
  private void refreshLiquidity(long tickMs) {
    if (liquidityInFlight || breaker.state() != CircuitBreakerState.CLOSED) return;
    boolean all = tickMs - liquidityReadMs >= LIQUIDITY_REFRESH_MS;
    List<String> wanted = all ? symbols : feed.untraded();
    if (wanted.isEmpty()) return;
    List<String> ask = all ? affordableSymbols() : affordable(wanted);
    if (ask.isEmpty()) return;
    liquidityInFlight = true;
    if (all) liquidityReadMs = tickMs;
    breaker
        .<List<Quote>>execute(() -> adapter.fetchQuotes(ask))
        .onComplete(
            ar -> {
              liquidityInFlight = false;
              if (ar.failed()) return;
              for (Quote q : ar.result()) {
                Quote known = latest.get(q.symbol());
                if (known == null || q.timestampMs() >= known.timestampMs())
                  latest.put(q.symbol(), q);
              }
            });
  }

  /**
   * Of {@code wanted}, those this tick's tokens pay for: all, or for a per-symbol source a slice.
   */
  private List<String> affordable(List<String> wanted) {
    int cost = adapter.requestsFor(wanted.size());
    if (bucket.tryTake(cost)) return wanted;
    if (cost < wanted.size()) return List.of();
    int n = Math.min(wanted.size(), bucket.available());
    if (n == 0 || !bucket.tryTake(n)) return List.of();
    List<String> slice = new ArrayList<>(n); // round-robin, so the tail is not starved
    for (int i = 0; i < n; i++) slice.add(wanted.get((untradedCursor + i) % wanted.size()));
    untradedCursor = (untradedCursor + n) % wanted.size();
    return slice;
  }

  /**
   * The symbols this tick's tokens pay for (all, a round-robin slice for per-symbol sources, or
   * none).
   */
  private List<String> affordableSymbols() {
    int cost = adapter.requestsFor(symbols.size());
    if (bucket.tryTake(cost)) return symbols;
    if (cost < symbols.size()) return List.of(); // a batch endpoint: all or nothing
    int n = Math.min(symbols.size(), bucket.available());
    if (n == 0 || !bucket.tryTake(n)) return List.of();
    List<String> slice = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      slice.add(symbols.get(quoteCursor));
      quoteCursor = (quoteCursor + 1) % symbols.size();
    }
    return slice;
  }

  /** Latest quotes, carrying the cached minute volume when it belongs to the tick's minute. */
  private List<Quote> cached(long tickMs) {
    long minute = RedisKeys.minuteOf(tickMs);
    List<Quote> out = new ArrayList<>(latest.size());
    for (Quote q : latest.values()) {
      MinuteVolume v = volumes.get(q.symbol());
      double minuteVolume = v != null && v.minute() == minute ? v.volume() : Double.NaN;
      out.add(q.withMinuteVolume(minuteVolume));
    }
    return out;
  }

  /**
   * Historical 1-minute klines for the backfill, through this source's breaker and token bucket.
   * The range is asked in chunks of {@link #KLINE_CHUNK_MINUTES} (one request each, within every
   * exchange's page size); each chunk waits for a spare token, never eating the next tick's
   * reserve.
   */
  Future<List<Kline>> klines(String symbol, long fromSec, long toSec) {
    if (!symbols.contains(symbol)) return Future.succeededFuture(List.of());
    List<Kline> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (long start = fromSec; start <= toSec; start += KLINE_CHUNK_MINUTES * 60) {
      long from = start;
      long to = Math.min(toSec, start + (KLINE_CHUNK_MINUTES - 1) * 60);
      chain =
          chain
              .compose(v -> klineToken(KLINE_TOKEN_WAIT_MS))
              .compose(
                  v -> breaker.<List<Kline>>execute(() -> adapter.fetchKlines(symbol, from, to)))
              .map(
                  ks -> {
                    out.addAll(ks);
                    return null;
                  });
    }
    return chain.map(v -> out);
  }

  /**
   * Gives one of this tick's tokens to a waiting kline request, at most every {@link
   * #KLINE_SHARE_TICKS} ticks, when the bucket has no spare one (see the class comment).
   */
  private void shareWithKlines() {
    ticks++;
    if (klineWaiters == 0 || klineCredit > 0 || ticks - lastShareTick < KLINE_SHARE_TICKS) return;
    if (bucket.available() - adapter.requestsFor(symbols.size()) >= 1)
      return; // a spare one is there
    if (!bucket.tryTake(1)) return;
    klineCredit = 1;
    lastShareTick = ticks;
    klineShares++;
  }

  /** Tokens the ticks gave to waiting kline requests so far (tests). */
  long klineShares() {
    return klineShares;
  }

  /** {@link #spareToken}, counted as waiting while it waits. */
  private Future<Void> klineToken(long waitMs) {
    klineWaiters++;
    return spareToken(waitMs).onComplete(ar -> klineWaiters--);
  }

  /**
   * Completes when a token beyond the next tick's reserve was taken, or one a tick gave to the
   * kline requests; fails after {@code waitMs}. While streamed the tick polls nothing (its quotes
   * are the trades'; the ticker reads off the tick take what is left), so nothing is reserved: a
   * per-symbol source's reserve (one request per symbol) would otherwise exceed its bucket from
   * about 15 symbols on (Coinbase) and no kline could ever be read for backfill or a repair.
   */
  private Future<Void> spareToken(long waitMs) {
    if (klineCredit > 0) {
      klineCredit--;
      return Future.succeededFuture();
    }
    int reserve = streamed() ? 0 : adapter.requestsFor(symbols.size());
    if (bucket.available() - reserve >= 1 && bucket.tryTake(1)) return Future.succeededFuture();
    if (waitMs <= 0)
      return Future.failedFuture(new IllegalStateException(name() + ": rate limited"));
    return vertx.timer(100).compose(v -> spareToken(waitMs - 100));
  }

  /** Spends spare tokens on current-minute klines (see class comment); does not wait for them. */
  void refreshVolumes(long tickMs) {
    if (volumeSymbols.isEmpty() || breaker.state() != CircuitBreakerState.CLOSED) return;
    if (streamed()) return; // the minute's volume comes from the trades
    int reserve = adapter.requestsFor(symbols.size());
    int budget = Math.min(source.volumeRequestsPerTick(), bucket.available() - reserve);
    long minute = RedisKeys.minuteOf(tickMs);
    Set<String> picked = new LinkedHashSet<>();
    for (int scanned = 0; scanned < volumeSymbols.size() && picked.size() < budget; scanned++) {
      String symbol = volumeSymbols.get(volumeCursor);
      volumeCursor = (volumeCursor + 1) % volumeSymbols.size();
      MinuteVolume v = volumes.get(symbol);
      boolean fresh =
          v != null && v.minute() == minute && tickMs - v.fetchedMs() < settings.volumeRefreshMs();
      if (!fresh && !volumeInFlight.contains(symbol)) picked.add(symbol);
    }
    if (picked.isEmpty() || !bucket.tryTake(picked.size())) return;
    for (String symbol : picked) {
      volumeInFlight.add(symbol);
      adapter
          .fetchKlines(symbol, minute, minute)
          .timeout(source.timeoutMs() + 200, TimeUnit.MILLISECONDS)
          .onComplete(
              ar -> {
                volumeInFlight.remove(symbol);
                if (ar.failed()) {
                  log.debug("{} kline of {} failed: {}", name(), symbol, ar.cause().toString());
                  return;
                }
                for (Kline k : ar.result()) {
                  if (k.time() == minute && Double.isFinite(k.volume()) && k.volume() >= 0) {
                    volumes.put(
                        symbol, new MinuteVolume(minute, k.volume(), System.currentTimeMillis()));
                  }
                }
              });
    }
  }
}
