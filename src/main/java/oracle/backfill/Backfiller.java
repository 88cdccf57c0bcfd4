package oracle.backfill;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oracle.aggregation.Aggregator;
import oracle.aggregation.KlineCombiner;
import oracle.exchange.Kline;
import oracle.exchange.MarketIds;
import oracle.hotstore.Origin;
import oracle.leader.Term;
import oracle.storage.CandleRepository;
import oracle.storage.CandleRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link BackfillJob}: finds the symbol's missing minutes in {@code ohlcv_1m} (SQL {@code
 * generate_series} anti-join), fetches 1-minute klines for each contiguous run of them from every
 * source (a failing source is skipped, the others still count), combines each minute across sources
 * ({@link KlineCombiner}: the live rules and rates, the same code as the live minute's close-out)
 * and inserts, with origin {@code backfill}, only minutes still missing (never overwriting what the
 * flush wrote), fenced by the leader's token. On the TimescaleDB path the continuous aggregates are
 * then refreshed over the range (backfilled minutes can be older than the refresh policies'
 * windows).
 *
 * <p><b>Unclosed minutes</b> ({@link #repairUnclosed}, on when a source streams: the close-out then
 * finalises every minute). A stored minute with no origin was built from live ticks and never
 * closed out (a leader change or crash before the close-out, Redis lost): it may have holes and
 * polled prices. After filling the missing minutes, a job takes the newest {@code maxMinutes} such
 * rows of its range that ended at least {@link #UNCLOSED_AFTER_SECONDS} ago (the close-out is long
 * done), in at most {@link #MAX_UNCLOSED_RUNS} contiguous runs (one kline request per source and
 * run: bounded work per job), rebuilds them from the sources' klines by the same rule ({@link
 * KlineCombiner}) and upserts them with origin {@code repaired} under the flush's keep rule (so a
 * row closed out meanwhile is never replaced by less). A rebuilt minute with less volume than the
 * stored one (or, both known, fewer trades) is not written: a source's klines were missing, and the
 * stored row, partial as it is, has more. One without a price (no quorum) is not written either;
 * both stay unclosed and are looked at again by the next pass while in the window.
 */
public final class Backfiller {
  private static final Logger log = LoggerFactory.getLogger(Backfiller.class);

  /** Minutes per exchange request; below every exchange's kline page size. */
  static final int CHUNK_MINUTES = 500;

  /** An unclosed minute is repaired only this long after it started (its close-out is done). */
  static final long UNCLOSED_AFTER_SECONDS = 180;

  /** Contiguous runs of unclosed minutes one job rebuilds at most (requests per source). */
  static final int MAX_UNCLOSED_RUNS = 8;

  /** Unclosed minutes one job rebuilds at most; 0 = off. */
  private int unclosedPerJob;

  private final CandleRepository repository;
  private final List<KlineSource> sources;
  private final Aggregator rules;
  private final Map<String, String> ratePairs;

  /** Without the live rules: no quorum, no conversion (klines in another currency are left out). */
  public Backfiller(CandleRepository repository, List<KlineSource> sources) {
    this(
        repository,
        sources,
        new Aggregator(Long.MAX_VALUE / 4, oracle.aggregation.RobustStats.DEFAULT_MIN_BAND),
        Map.of());
  }

  /**
   * @param rules the live path's rules ({@code IngestionSettings.rules()})
   * @param ratePairs {@code ingestion.rates}: pair → source whose klines of that pair give each
   *     minute's rate
   */
  public Backfiller(
      CandleRepository repository,
      List<KlineSource> sources,
      Aggregator rules,
      Map<String, String> ratePairs) {
    this.repository = repository;
    this.sources = List.copyOf(sources);
    this.rules = rules;
    this.ratePairs = Map.copyOf(ratePairs);
  }

  /**
   * Also rebuilds up to {@code maxMinutes} unclosed minutes per job (see the class comment); 0
   * turns it off (the default: without a stream source nothing is ever closed out, so every live
   * minute would be unclosed).
   */
  public Backfiller repairUnclosed(int maxMinutes) {
    this.unclosedPerJob = Math.max(0, maxMinutes);
    return this;
  }

  /**
   * Fills the job's missing minutes chunk by chunk under {@code term}; when the term ends (this
   * instance no longer leads) the job stops before its next chunk and is marked failed. Then
   * repairs unclosed minutes, when on.
   */
  public Future<BackfillJob> run(BackfillJob job, Term term) {
    long fencingToken = term.token();
    return repository
        .missingMinutes(job.symbol(), job.fromSec(), job.toSec())
        .compose(
            missing -> {
              job.running(missing.size());
              Future<Void> chain = Future.succeededFuture();
              for (List<Long> run : runs(missing)) {
                chain =
                    chain.compose(
                        v ->
                            term.isCurrent()
                                ? fill(job, run, fencingToken)
                                : Future.failedFuture(
                                    new IllegalStateException(
                                        "stopped: the leadership term ended (" + term + ")")));
              }
              return chain
                  .compose(v -> repairUnclosed(job, term))
                  .compose(
                      v -> {
                        if (job.filledMinutes() + job.repairedMinutes() == 0)
                          return Future.<Void>succeededFuture();
                        if (!JobQueue.AUTO.equals(job.trigger()))
                          return repository.refreshAggregates(job.fromSec(), job.toSec());
                        // The periodic scan's jobs (one per symbol) do not wait: their refreshes
                        // merge
                        // into a few spaced rounds. An operator's job is done when its rollups are.
                        repository.refreshAggregatesSoon(job.fromSec(), job.toSec());
                        return Future.<Void>succeededFuture();
                      });
            })
        .map(
            v -> {
              job.done();
              if (job.missingMinutes() > 0 || job.repairedMinutes() > 0) {
                log.info(
                    "backfill {} {}: {} missing minutes, {} filled, {} unclosed repaired",
                    job.id(),
                    job.symbol(),
                    job.missingMinutes(),
                    job.filledMinutes(),
                    job.repairedMinutes());
              }
              return job;
            })
        .recover(
            err -> {
              job.failed(
                  err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage());
              log.warn(
                  "backfill {} {} failed: {}",
                  job.id(),
                  job.symbol(),
                  job.toJson().getString("error"));
              return Future.succeededFuture(job);
            });
  }

  /** Splits ascending minute starts into contiguous runs of at most {@link #CHUNK_MINUTES}. */
  static List<List<Long>> runs(List<Long> minutes) {
    List<List<Long>> out = new ArrayList<>();
    List<Long> current = new ArrayList<>();
    for (long m : minutes) {
      if (!current.isEmpty()
          && (m != current.get(current.size() - 1) + 60 || current.size() >= CHUNK_MINUTES)) {
        out.add(current);
        current = new ArrayList<>();
      }
      current.add(m);
    }
    if (!current.isEmpty()) out.add(current);
    return out;
  }

  private List<CandleRow> combine(
      String symbol,
      List<Long> run,
      Map<Long, List<Kline>> byMinute,
      Map<Long, Map<String, Aggregator.Rate>> rates) {
    List<CandleRow> rows = new ArrayList<>();
    int withheld = 0;
    for (long minute : run) {
      if (!byMinute.containsKey(minute)) continue;
      KlineCombiner.Combined c =
          KlineCombiner.decide(
              symbol, minute, byMinute.get(minute), rates.getOrDefault(minute, Map.of()), rules);
      if (c.row() != null) rows.add(provenance(c.row(), byMinute.get(minute)));
      else if (c.result() != null) withheld++;
    }
    if (withheld > 0)
      log.info(
          "backfill {}: {} minutes left missing (no quorum or no conversion)", symbol, withheld);
    return rows;
  }

  /**
   * A combined kline row is stored with origin backfill, and the minute's trade count when every
   * exchange it was combined from reported one (Binance, Kraken): a sum over some of them would
   * pass for the minute's count. Unknown otherwise.
   */
  static CandleRow provenance(CandleRow row, List<Kline> klines) {
    long trades = 0;
    for (String exchange : row.sources()) {
      Kline k =
          klines.stream()
              .filter(x -> x.time() == row.time() && x.exchange().equals(exchange))
              .findFirst()
              .orElse(null);
      if (k == null || k.trades() < 0) return row.withProvenance(null, Origin.BACKFILL);
      trades += k.trades();
    }
    return row.withProvenance(row.sources().isEmpty() ? null : trades, Origin.BACKFILL);
  }

  /**
   * Each minute's conversion rates from the klines of the configured rate pairs ({@code
   * ingestion.rates}, e.g. USDT/KRW from Upbit's KRW-USDT), the close of the same minute, as the
   * live path derives them from the same markets. A minute without a rate kline has no rate: its
   * foreign klines are left out.
   */
  private Future<Map<Long, Map<String, Aggregator.Rate>>> rates(String symbol, long from, long to) {
    List<Future<List<Kline>>> fetches = new ArrayList<>();
    List<String> pairs = new ArrayList<>();
    ratePairs.forEach(
        (pair, sourceName) ->
            sources.stream()
                .filter(s -> s.name().equals(sourceName))
                .findFirst()
                .ifPresent(
                    s -> {
                      pairs.add(pair);
                      fetches.add(
                          s.fetchKlines(pair, from, to)
                              .recover(
                                  err -> {
                                    log.warn(
                                        "backfill {}: {} rate klines {} {}..{} failed: {}",
                                        symbol,
                                        sourceName,
                                        pair,
                                        from,
                                        to,
                                        err.getMessage());
                                    return Future.succeededFuture(List.of());
                                  }));
                    }));
    return Future.all(fetches)
        .map(
            all -> {
              Map<Long, Map<String, Aggregator.Rate>> out = new HashMap<>();
              for (int i = 0; i < pairs.size(); i++) {
                for (Kline k : all.<List<Kline>>resultAt(i)) {
                  if (k.close() > 0 && Double.isFinite(k.close())) {
                    out.computeIfAbsent(k.time(), t -> new HashMap<>())
                        .put(pairs.get(i), new Aggregator.Rate(k.close(), k.time() * 1000));
                  }
                }
              }
              return out;
            });
  }

  /**
   * Rebuilds the job's unclosed minutes (newest first, bounded) and upserts those that are not less
   * than what is stored, with origin {@code repaired}.
   */
  private Future<Void> repairUnclosed(BackfillJob job, Term term) {
    long settled = (System.currentTimeMillis() / 1000 - UNCLOSED_AFTER_SECONDS) / 60 * 60;
    long to = Math.min(job.toSec(), settled);
    if (unclosedPerJob == 0 || to < job.fromSec() || !term.isCurrent())
      return Future.succeededFuture();
    return repository
        .unclosedMinutes(job.symbol(), job.fromSec(), to, unclosedPerJob)
        .compose(
            stored -> {
              Map<Long, CandleRepository.Unclosed> byMinute = new HashMap<>();
              List<Long> minutes = new ArrayList<>();
              for (CandleRepository.Unclosed u : stored) {
                byMinute.put(u.time(), u);
                minutes.add(u.time());
              }
              List<List<Long>> runs = runs(minutes);
              // the newest runs: the list is oldest first
              if (runs.size() > MAX_UNCLOSED_RUNS)
                runs = runs.subList(runs.size() - MAX_UNCLOSED_RUNS, runs.size());
              Future<Void> chain = Future.succeededFuture();
              for (List<Long> run : runs) {
                chain =
                    chain.compose(
                        v ->
                            term.isCurrent()
                                ? rebuild(job, run, byMinute, term.token())
                                : Future.failedFuture(
                                    new IllegalStateException(
                                        "stopped: the leadership term ended (" + term + ")")));
              }
              return chain;
            });
  }

  private Future<Void> rebuild(
      BackfillJob job, List<Long> run, Map<Long, CandleRepository.Unclosed> stored, long token) {
    return combined(job, run)
        .compose(
            rows -> {
              List<CandleRow> better = new ArrayList<>(rows.size());
              for (CandleRow r : rows) {
                CandleRepository.Unclosed s = stored.get(r.time());
                boolean fewerTrades =
                    s != null
                        && s.trades() != null
                        && r.trades() != null
                        && r.trades() < s.trades();
                if (s != null && (r.volume() < s.volume() || fewerTrades)) continue;
                better.add(r.withProvenance(r.trades(), Origin.REPAIRED));
              }
              int kept = rows.size() - better.size();
              if (kept > 0)
                log.info(
                    "backfill {}: {} unclosed minute(s) kept: their klines have less than stored",
                    job.symbol(),
                    kept);
              if (better.isEmpty()) return Future.<Void>succeededFuture();
              return repository
                  .upsert(better, token)
                  .map(
                      n -> {
                        job.repaired(better.size());
                        return (Void) null;
                      });
            });
  }

  private Future<Void> fill(BackfillJob job, List<Long> run, long fencingToken) {
    return combined(job, run)
        .compose(
            rows -> {
              Future<Integer> written =
                  rows.isEmpty()
                      ? Future.succeededFuture(0)
                      : repository.insertMissing(rows, fencingToken);
              return written.map(
                  n -> {
                    job.progressed(run.size(), n);
                    return (Void) null;
                  });
            });
  }

  /** The run's minutes from every source's klines, combined (origin backfill). */
  private Future<List<CandleRow>> combined(BackfillJob job, List<Long> run) {
    long from = run.get(0);
    long to = run.get(run.size() - 1);
    List<Future<List<Kline>>> fetches = new ArrayList<>();
    for (KlineSource source : sources) {
      fetches.add(
          source
              .fetchKlines(job.symbol(), from, to)
              .recover(
                  err -> {
                    log.warn(
                        "backfill {}: {} klines {}..{} failed: {}",
                        job.symbol(),
                        source.name(),
                        from,
                        to,
                        err.getMessage());
                    return Future.succeededFuture(List.of());
                  }));
    }
    return Future.all(fetches)
        .compose(
            all -> {
              Set<Long> wanted = new HashSet<>(run);
              Map<Long, List<Kline>> byMinute = new HashMap<>();
              String target = MarketIds.quote(job.symbol());
              boolean foreign = false;
              for (int i = 0; i < fetches.size(); i++) {
                for (Kline k : all.<List<Kline>>resultAt(i)) {
                  if (!wanted.contains(k.time())) continue;
                  byMinute.computeIfAbsent(k.time(), t -> new ArrayList<>()).add(k);
                  foreign |= k.quoteCurrency() != null && !k.quoteCurrency().equals(target);
                }
              }
              return (foreign
                      ? rates(job.symbol(), from, to)
                      : Future.succeededFuture(Map.<Long, Map<String, Aggregator.Rate>>of()))
                  .map(rates -> combine(job.symbol(), run, byMinute, rates));
            });
  }
}
