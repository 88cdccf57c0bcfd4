package oracle.backfill;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oracle.aggregation.Aggregator;
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
 * ({@link KlineCombiner}) and inserts only minutes still missing (never overwriting what the flush
 * wrote), fenced by the leader's token. On the TimescaleDB path the continuous aggregates are then
 * refreshed over the range (backfilled minutes can be older than the refresh policies' windows).
 */
public final class Backfiller {
  private static final Logger log = LoggerFactory.getLogger(Backfiller.class);

  /** Minutes per exchange request; below every exchange's kline page size. */
  static final int CHUNK_MINUTES = 500;

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
   * Fills the job's missing minutes chunk by chunk under {@code term}; when the term ends (this
   * instance no longer leads) the job stops before its next chunk and is marked failed.
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
              return chain.compose(
                  v -> {
                    if (job.filledMinutes() == 0) return Future.<Void>succeededFuture();
                    if (!JobQueue.AUTO.equals(job.trigger()))
                      return repository.refreshAggregates(job.fromSec(), job.toSec());
                    // The periodic scan's jobs (one per symbol) do not wait: their refreshes
                    // merge into a few spaced rounds. An operator's job is done when its rollups
                    // are.
                    repository.refreshAggregatesSoon(job.fromSec(), job.toSec());
                    return Future.<Void>succeededFuture();
                  });
            })
        .map(
            v -> {
              job.done();
              if (job.missingMinutes() > 0) {
                log.info(
                    "backfill {} {}: {} missing minutes, {} filled",
                    job.id(),
                    job.symbol(),
                    job.missingMinutes(),
                    job.filledMinutes());
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

  private Future<Void> fill(BackfillJob job, List<Long> run, long fencingToken) {
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
            })
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
}
