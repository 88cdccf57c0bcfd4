package oracle.aggregation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import oracle.common.OffLoop;
import oracle.exchange.Kline;
import oracle.exchange.stream.ClosedMinutes;
import oracle.exchange.stream.SourceMinute;
import oracle.hotstore.CandleUpdates;
import oracle.hotstore.Origin;
import oracle.leader.Term;
import oracle.storage.CandleRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The minute's close-out (issue 23): once a minute and {@code flush.graceMs} have passed, every
 * stream source's minute of each symbol ({@link ClosedMinutes}) is combined by the same rule as
 * backfill ({@link KlineCombiner#decide}: the live price rules, the wick fence, the minute's
 * conversion rates) into the minute's final candle ({@link CandleUpdates#finalMinute}), which the
 * flush then stores in place of the provisional live one.
 *
 * <p><b>Repair.</b> A source whose minute is incomplete (its stream was not healthy for the whole
 * minute) is first asked for its 1-minute kline of that minute over REST, through the polling
 * verticle's kline path (the same breaker, token bucket and timeout as the live polls). Bounded: at
 * most {@link Limits#maxRepairs} per minute (the rest keep their trades-built minute), at most
 * {@link Limits#concurrency} in flight (so a burst is spread over time behind the token buckets),
 * each with its own timeout and none started after the minute's repair deadline. The kline replaces
 * the trades-built minute only when it has at least as much volume (and, when both say, as many
 * trades) (a repaired minute never replaces a more complete one with less: a lagging exchange can
 * serve a kline still missing trades the stream saw). A repair that fails, times out, is over
 * budget or finds no kline leaves the source's trades-built minute as it is: those trades happened
 * in the minute, and the rules still judge its close; leaving it out would drop real volume and
 * could cost the quorum.
 *
 * <p><b>Unheard symbols.</b> A stream that was not healthy for the whole minute (down, silent,
 * lagging, a gap, the term starting) may have missed every trade of a symbol: then there is no
 * source minute at all, and {@link ClosedMinutes#unheard} lists the (source, symbol) pair. Its
 * kline is asked the same way, within the same budget, after the incomplete source minutes (those
 * are known to have traded); the budget's share of unheard pairs starts at an offset that moves
 * every minute, so with a stream down at 10,000 symbols every symbol gets its turn rather than
 * always the first 120. A kline with volume joins the symbol's minute as that source's (origin
 * {@code repaired}); none, or one without volume (the market did not trade), adds nothing. A symbol
 * heard from no source is written only when a repair found it a kline: otherwise its provisional
 * candle stays as it is.
 *
 * <p>A healthy stream's quiet market has no source minute and is not unheard: nothing to repair.
 * Sources outside {@code streamSources} (REST-only, such as a DEX pool) have no minute here and are
 * not in the final candle.
 *
 * <p>The candle's origin is {@code repaired} when any kept source's minute came from a kline, else
 * {@code live}; its trades are the sum of the kept sources' known trade counts (-1, unknown, when
 * none is known: most exchanges' klines do not say). A minute without a price (no quorum, diverged,
 * nothing usable) writes nothing: the provisional live candle stays as it is. Symbols whose sources
 * are all complete are written first, without waiting for the others' repairs. Combining runs off
 * the event loop in slices; the writes are pipelined per slice, each with a timeout, and fenced by
 * the term's token; nothing is repaired or written once the term has ended.
 */
public final class MinuteCloser {
  private static final Logger log = LoggerFactory.getLogger(MinuteCloser.class);

  /** Symbols combined (off the loop) and written (one pipeline) at a time. */
  static final int SLICE_SYMBOLS = 1_000;

  /** Where a source's minute is repaired from: its 1-minute klines over REST. */
  @FunctionalInterface
  public interface KlineFetch {
    Future<List<Kline>> klines(String exchange, String symbol, long fromSec, long toSec);
  }

  /**
   * @param maxRepairs kline requests per closed minute at most
   * @param concurrency kline requests in flight at most
   * @param repairTimeoutMs one kline request's timeout
   * @param deadlineMs no repair starts later than this after the close-out began
   * @param writeTimeoutMs one Redis pipeline's timeout
   */
  public record Limits(
      int maxRepairs, int concurrency, long repairTimeoutMs, long deadlineMs, long writeTimeoutMs) {
    /** Well inside the minute that follows: the next close-out starts a minute later. */
    public static final Limits DEFAULT = new Limits(120, 4, 5_000, 30_000, 5_000);
  }

  /**
   * What one close-out did.
   *
   * @param live final candles written with origin {@code live}
   * @param repaired final candles written with origin {@code repaired}
   * @param withheld symbols without a price (no quorum, diverged): nothing written
   * @param fenced writes refused because a newer leader holds the fencing token
   * @param repairsUsed source minutes replaced by their kline
   * @param repairsFailed kline requests that failed or timed out, or found no kline of the minute
   * @param repairsShort klines with less volume than the trades-built minute (not used)
   * @param repairsSkipped incomplete source minutes over the budget or past the deadline
   * @param clipped highs/lows/opens the wick fence clipped
   * @param repairsNone unheard source minutes whose kline shows no trade (none, or no volume):
   *     nothing was missing
   */
  public record Report(
      long minuteSec,
      int live,
      int repaired,
      int withheld,
      int fenced,
      int repairsUsed,
      int repairsFailed,
      int repairsShort,
      int repairsSkipped,
      int clipped,
      int repairsNone) {}

  private final Redis redis;
  private final CandleUpdates updates;
  private final Aggregator rules;
  private final Map<String, String> ratePairs;

  /** The symbols aggregated live; empty = every symbol that has a minute. */
  private volatile java.util.Set<String> symbols = java.util.Set.of();

  private final KlineFetch fetch;
  private final Limits limits;

  /**
   * @param rules the live price rules ({@code AggregationSettings.rules()})
   * @param ratePairs {@code ingestion.rates}: pair → the source whose price of it is the rate
   */
  public MinuteCloser(
      Redis redis,
      CandleUpdates updates,
      Aggregator rules,
      Map<String, String> ratePairs,
      KlineFetch fetch,
      Limits limits) {
    this.redis = redis;
    this.updates = updates;
    this.rules = rules;
    this.ratePairs = Map.copyOf(ratePairs);
    this.fetch = fetch;
    this.limits = limits;
  }

  /**
   * Closes out only these symbols (the live aggregation's): a minute of another market, such as a
   * rate pair polled only for its rate, gives a rate, never a candle the live path would not make.
   */
  public MinuteCloser onlySymbols(java.util.Collection<String> aggregated) {
    this.symbols = java.util.Set.copyOf(aggregated);
    return this;
  }

  /** One symbol's source minutes as they go into the combiner. */
  private static final class SymbolMinute {
    final String symbol;
    final List<SourceMinute> sources = new ArrayList<>(6);

    /** The sources whose minute is now their kline. */
    final java.util.Set<String> repaired = new java.util.HashSet<>();

    /** Stream sources that brought no trade of the minute while not healthy: asked for a kline. */
    final List<String> unheard = new ArrayList<>(0);

    SymbolMinute(String symbol) {
      this.symbol = symbol;
    }

    boolean complete() {
      if (!unheard.isEmpty()) return false;
      for (SourceMinute s : sources) if (!s.complete()) return false;
      return true;
    }
  }

  /** The tally of one close-out (event loop only). */
  private static final class Tally {
    int live, repaired, withheld, fenced, used, failed, shorter, skipped, clipped, none;
  }

  /** A (symbol, source) pair whose stream brought no trade of the minute while not healthy. */
  private record Unheard(SymbolMinute symbol, String source) {}

  /** One combined symbol, ready to write. */
  private record Ready(String symbol, CandleRow row, long trades, String origin) {}

  /** A slice's combined symbols and what the rules withheld or clipped. */
  private record Combined(List<Ready> ready, int withheld, int clipped) {}

  /**
   * Closes out one minute under {@code term}.
   *
   * @param tickRates the conversion rates the live ticks saw during the minute, dated the minute's
   *     start ({@link MinuteRates}); a rate pair's own minute in {@code closed} takes precedence
   */
  public Future<Report> close(
      ClosedMinutes closed, Map<String, Aggregator.Rate> tickRates, Term term) {
    long minute = closed.minuteSec();
    Tally tally = new Tally();
    if (!term.isCurrent() || closed.isEmpty()) return Future.succeededFuture(report(minute, tally));
    long startedMs = System.currentTimeMillis();
    Map<String, Aggregator.Rate> rates = rates(closed, tickRates);
    int size = closed.minutes().size() + closed.unheardCount();
    return OffLoop.compute(size, SLICE_SYMBOLS, () -> group(closed, symbols))
        .compose(
            grouped -> {
              trimUnheard(grouped, minute, tally);
              List<SymbolMinute> complete = new ArrayList<>();
              List<SymbolMinute> incomplete = new ArrayList<>();
              for (SymbolMinute s : grouped) (s.complete() ? complete : incomplete).add(s);
              Future<Void> first = combineAndWrite(complete, minute, rates, term, tally);
              Future<Void> second =
                  repair(incomplete, minute, term, tally, startedMs)
                      .compose(v -> combineAndWrite(incomplete, minute, rates, term, tally));
              return Future.join(first, second);
            })
        .map(v -> report(minute, tally))
        .onSuccess(this::logReport);
  }

  private static Report report(long minute, Tally t) {
    return new Report(
        minute,
        t.live,
        t.repaired,
        t.withheld,
        t.fenced,
        t.used,
        t.failed,
        t.shorter,
        t.skipped,
        t.clipped,
        t.none);
  }

  private void logReport(Report r) {
    if (r.fenced() > 0)
      log.warn(
          "close-out of minute {}: {} final candle(s) refused, a newer leader holds the fencing token",
          r.minuteSec(),
          r.fenced());
    if (r.repairsFailed() + r.repairsSkipped() + r.repairsShort() > 0 || r.repaired() > 0)
      log.info("close-out of minute {}: {}", r.minuteSec(), r);
  }

  /**
   * The minute's conversion rates: each rate pair's own minute from its configured source (its
   * close, dated the minute's start: what backfill takes from the pair's kline), else the live
   * ticks' rate of the minute.
   */
  private Map<String, Aggregator.Rate> rates(
      ClosedMinutes closed, Map<String, Aggregator.Rate> tickRates) {
    Map<String, Aggregator.Rate> out = new HashMap<>(tickRates);
    if (ratePairs.isEmpty()) return out;
    for (SourceMinute m : closed.minutes()) {
      String source = ratePairs.get(m.symbol());
      double close = m.kline().close();
      if (source != null && source.equals(m.source()) && close > 0 && Double.isFinite(close))
        out.put(m.symbol(), new Aggregator.Rate(close, closed.minuteSec() * 1000));
    }
    return out;
  }

  /** Source minutes and unheard sources by symbol, symbols in order (worker when large). */
  private static List<SymbolMinute> group(ClosedMinutes closed, java.util.Set<String> only) {
    Map<String, SymbolMinute> bySymbol = new TreeMap<>();
    for (SourceMinute m : closed.minutes()) {
      if (m.minute() != closed.minuteSec()) continue; // another minute's: not this close-out's
      if (!only.isEmpty() && !only.contains(m.symbol())) continue;
      bySymbol.computeIfAbsent(m.symbol(), SymbolMinute::new).sources.add(m);
    }
    closed
        .unheard()
        .forEach(
            (source, list) -> {
              for (String symbol : list) {
                if (!only.isEmpty() && !only.contains(symbol)) continue;
                SymbolMinute s = bySymbol.computeIfAbsent(symbol, SymbolMinute::new);
                boolean heard = false;
                for (SourceMinute m : s.sources) heard |= m.source().equals(source);
                if (!heard && !s.unheard.contains(source)) s.unheard.add(source);
              }
            });
    return new ArrayList<>(bySymbol.values());
  }

  /**
   * Asks for the kline of every incomplete source minute, within the budget: at most {@code
   * concurrency} in flight, none started after the deadline or once the term ended.
   */
  private Future<Void> repair(
      List<SymbolMinute> symbols, long minute, Term term, Tally tally, long startedMs) {
    Deque<Runnable> queue = new ArrayDeque<>();
    Promise<Void> done = Promise.promise();
    int[] pending = {0};
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          while (pending[0] < limits.concurrency() && !queue.isEmpty()) {
            pending[0]++;
            queue.poll().run();
          }
          if (pending[0] == 0 && queue.isEmpty()) done.tryComplete();
        };
    int[] budget = {limits.maxRepairs()};
    // first the incomplete source minutes (they traded, so something is known to be missing)
    for (SymbolMinute s : symbols) {
      for (int i = 0; i < s.sources.size(); i++) {
        SourceMinute m = s.sources.get(i);
        if (m.complete()) continue;
        int index = i;
        enqueue(
            queue,
            budget,
            term,
            tally,
            startedMs,
            m.source(),
            m.symbol(),
            minute,
            pending,
            next,
            klines -> apply(s, index, klines, minute, tally));
      }
    }
    // then the unheard ones (trimUnheard kept only those the budget has room for)
    for (SymbolMinute s : symbols) {
      for (String source : s.unheard) {
        enqueue(
            queue,
            budget,
            term,
            tally,
            startedMs,
            source,
            s.symbol,
            minute,
            pending,
            next,
            klines -> add(s, source, klines, minute, tally));
      }
    }
    next[0].run();
    return done.future();
  }

  /**
   * Keeps only the unheard (symbol, source) pairs the repair budget has room for after the
   * incomplete source minutes, from an offset that moves every minute (see the class comment); the
   * rest are skipped now, so their symbols count as complete and are written at once instead of
   * waiting for other symbols' repairs.
   */
  private void trimUnheard(List<SymbolMinute> grouped, long minute, Tally tally) {
    int incomplete = 0;
    List<Unheard> unheard = new ArrayList<>();
    for (SymbolMinute s : grouped) {
      for (SourceMinute m : s.sources) if (!m.complete()) incomplete++;
      for (String source : s.unheard) unheard.add(new Unheard(s, source));
      s.unheard.clear();
    }
    int n = unheard.size();
    if (n == 0) return;
    int room = Math.max(0, Math.min(n, limits.maxRepairs() - incomplete));
    int offset = Math.floorMod((minute / 60) * limits.maxRepairs(), n);
    for (int k = 0; k < room; k++) {
      Unheard u = unheard.get((offset + k) % n);
      u.symbol().unheard.add(u.source());
    }
    tally.skipped += n - room;
  }

  /**
   * Queues one kline request within the budget (over it: skipped): not started once the term ended
   * or past the deadline, timed out after {@code repairTimeoutMs}; {@code use} gets the klines.
   */
  private void enqueue(
      Deque<Runnable> queue,
      int[] budget,
      Term term,
      Tally tally,
      long startedMs,
      String source,
      String symbol,
      long minute,
      int[] pending,
      Runnable[] next,
      java.util.function.Consumer<List<Kline>> use) {
    if (budget[0]-- <= 0) {
      tally.skipped++;
      return;
    }
    queue.add(
        () -> {
          if (!term.isCurrent() || System.currentTimeMillis() - startedMs > limits.deadlineMs()) {
            tally.skipped++;
            pending[0]--;
            next[0].run();
            return;
          }
          ask(source, symbol, minute)
              .timeout(limits.repairTimeoutMs(), TimeUnit.MILLISECONDS)
              .onComplete(
                  ar -> {
                    if (ar.failed()) {
                      tally.failed++;
                      log.debug(
                          "repair of {} {} minute {} failed: {}",
                          source,
                          symbol,
                          minute,
                          ar.cause().getMessage());
                    } else {
                      use.accept(ar.result());
                    }
                    pending[0]--;
                    next[0].run();
                  });
        });
  }

  /**
   * An unheard source's kline joins the symbol's minute as that source's, when it shows trades (a
   * kline without volume, or none, means the market did not trade: nothing was missing).
   */
  private static void add(
      SymbolMinute s, String source, List<Kline> klines, long minute, Tally tally) {
    Kline k = klineOf(klines, minute);
    if (k == null || !(k.volume() > 0) || !Double.isFinite(k.volume())) {
      tally.none++;
      return;
    }
    s.sources.add(repaired(source, s.symbol, minute, k));
    s.repaired.add(source);
    tally.used++;
  }

  /** The kline request; one that throws is a failed repair, never a stalled queue. */
  private Future<List<Kline>> ask(String source, String symbol, long minute) {
    try {
      return fetch.klines(source, symbol, minute, minute);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Puts a source's kline in place of its trades-built minute, unless it has less. */
  private static void apply(
      SymbolMinute s, int index, List<Kline> klines, long minute, Tally tally) {
    SourceMinute built = s.sources.get(index);
    Kline kline = klineOf(klines, minute);
    if (kline == null) {
      tally.failed++;
      return;
    }
    double builtVolume = built.kline().volume();
    boolean fewerTrades =
        kline.trades() >= 0 && built.trades() >= 0 && kline.trades() < built.trades();
    if (fewerTrades || (Double.isFinite(builtVolume) && !(kline.volume() >= builtVolume))) {
      tally.shorter++;
      return;
    }
    Kline k =
        kline.quoteCurrency() == null && built.kline().quoteCurrency() != null
            ? kline.withQuoteCurrency(built.kline().quoteCurrency())
            : kline;
    s.sources.set(index, repaired(built.source(), built.symbol(), minute, k));
    s.repaired.add(built.source());
    tally.used++;
  }

  /** The kline of {@code minute} among an answer's (the last one, should it repeat), or null. */
  private static Kline klineOf(List<Kline> klines, long minute) {
    Kline found = null;
    for (Kline k : klines) if (k.time() == minute) found = k;
    return found;
  }

  /**
   * A source's minute taken from its REST kline, named for the source and symbol it repairs; its
   * trade count -1 when the exchange's kline does not say (all but Binance, Kraken).
   */
  private static SourceMinute repaired(String source, String symbol, long minute, Kline k) {
    return new SourceMinute(
        new Kline(
            source,
            symbol,
            minute,
            k.open(),
            k.high(),
            k.low(),
            k.close(),
            k.volume(),
            k.quoteCurrency(),
            k.trades()),
        k.trades(),
        true);
  }

  /** Combines the symbols slice by slice (off the loop) and writes each slice as one pipeline. */
  private Future<Void> combineAndWrite(
      List<SymbolMinute> symbols,
      long minute,
      Map<String, Aggregator.Rate> rates,
      Term term,
      Tally tally) {
    List<Future<Void>> slices = new ArrayList<>();
    for (int from = 0; from < symbols.size(); from += SLICE_SYMBOLS) {
      List<SymbolMinute> slice =
          symbols.subList(from, Math.min(symbols.size(), from + SLICE_SYMBOLS));
      slices.add(
          OffLoop.compute(slice.size(), 64, () -> combine(slice, minute, rates))
              .compose(c -> write(c, minute, term, tally)));
    }
    return Future.join(slices).mapEmpty();
  }

  /** The rules' verdict on each symbol of a slice (pure; a worker when large). */
  private Combined combine(
      List<SymbolMinute> slice, long minute, Map<String, Aggregator.Rate> rates) {
    List<Ready> ready = new ArrayList<>(slice.size());
    int withheld = 0;
    int clipped = 0;
    for (SymbolMinute s : slice) {
      if (s.sources.isEmpty()) continue; // only unheard sources, and no kline found: nothing
      List<Kline> klines = new ArrayList<>(s.sources.size());
      for (SourceMinute m : s.sources) klines.add(m.kline());
      KlineCombiner.Combined c = KlineCombiner.decide(s.symbol, minute, klines, rates, rules);
      clipped += c.clipped().size();
      if (c.row() == null) {
        if (c.result() != null) withheld++;
        continue;
      }
      long trades = -1;
      boolean repairedKept = false;
      for (SourceMinute m : s.sources) {
        if (!c.row().sources().contains(m.source())) continue;
        if (m.trades() >= 0) trades = Math.max(trades, 0) + m.trades();
        repairedKept |= s.repaired.contains(m.source());
      }
      ready.add(new Ready(s.symbol, c.row(), trades, repairedKept ? Origin.REPAIRED : Origin.LIVE));
    }
    return new Combined(ready, withheld, clipped);
  }

  private Future<Void> write(Combined c, long minute, Term term, Tally tally) {
    tally.withheld += c.withheld();
    tally.clipped += c.clipped();
    if (c.ready().isEmpty() || !term.isCurrent()) return Future.succeededFuture();
    List<Request> requests = new ArrayList<>(c.ready().size());
    for (Ready r : c.ready()) {
      CandleRow row = r.row();
      requests.add(
          updates.finalMinute(
              r.symbol(),
              minute,
              term.token(),
              row.open(),
              row.high(),
              row.low(),
              row.close(),
              row.volume(),
              r.trades(),
              r.origin(),
              row.sources()));
    }
    return updates
        .send(redis, requests)
        .timeout(limits.writeTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(
            responses -> {
              for (int i = 0; i < responses.size(); i++) {
                Response resp = responses.get(i);
                if (CandleUpdates.FinalReply.of(resp).fenced()) tally.fenced++;
                else if (Origin.REPAIRED.equals(c.ready().get(i).origin())) tally.repaired++;
                else tally.live++;
              }
              return null;
            });
  }
}
