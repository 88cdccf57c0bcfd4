package oracle.backfill;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import oracle.common.Addresses;
import oracle.common.PgFactory;
import oracle.common.StoreSettings;
import oracle.leader.LeaderGate;
import oracle.leader.Term;
import oracle.polling.IngestionSettings;
import oracle.storage.CandleRepository;
import oracle.storage.Schema;
import oracle.storage.StorageFlavor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and fills missing minutes from exchange klines while this instance leads. On election and
 * every {@code backfill.intervalMs} (5 min) it queues one job per configured symbol over the last
 * {@code backfill.windowMinutes} (24 h), ending three minutes ago so the flush has had its turn.
 * Admin jobs arrive on {@link Addresses#BACKFILL_START}. Jobs run one at a time, in order, with the
 * leader's fencing token; the latest {@value #KEEP_JOBS} are kept for {@link
 * Addresses#BACKFILL_JOB}.
 *
 * <p>Kline sources: by default every enabled exchange, asked through the polling verticle ({@link
 * PolledKlineSource}) so backfill shares the live path's breakers and rate limits; tests may inject
 * their own.
 */
public final class BackfillVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(BackfillVerticle.class);
  static final int KEEP_JOBS = 200;

  /**
   * Unclosed minutes one job (one symbol, one pass) rebuilds at most: two hours of them, in at most
   * {@code Backfiller.MAX_UNCLOSED_RUNS} kline requests per source.
   */
  static final int UNCLOSED_PER_JOB = 120;

  /** Minutes before now that automatic passes leave to the flush. */
  static final long SETTLE_SECONDS = 180;

  private final StoreSettings stores;
  private final IngestionSettings ingestion;
  private final List<String> exchanges;
  private final Optional<StorageFlavor> storage;
  private final Supplier<List<KlineSource>> sourceFactory;
  private final List<String> symbols;
  private final long windowSeconds;
  private final long intervalMs;
  private Pool pool;
  private Schema schema;
  private List<KlineSource> sources;
  private Backfiller backfiller;

  private LeaderGate gate;
  private volatile Term term = Term.NONE;
  private long periodicId = -1;
  private final JobQueue queue = new JobQueue();
  private final Map<String, BackfillJob> jobs = new LinkedHashMap<>();
  private boolean running;

  /**
   * @param ingestion the price rules, conversion rates and symbols (the same as live aggregation)
   * @param exchanges the enabled exchanges, asked for klines through the polling verticle
   * @param storage {@code storage.flavor}, or empty to detect it
   */
  public BackfillVerticle(
      StoreSettings stores,
      BackfillSettings settings,
      IngestionSettings ingestion,
      List<String> exchanges,
      Optional<StorageFlavor> storage) {
    this(stores, settings, ingestion, exchanges, storage, null);
  }

  /** With the given kline sources instead of the polling verticle's (tests). */
  public BackfillVerticle(
      StoreSettings stores,
      BackfillSettings settings,
      IngestionSettings ingestion,
      List<String> exchanges,
      Optional<StorageFlavor> storage,
      Supplier<List<KlineSource>> sources) {
    this.stores = stores;
    this.ingestion = ingestion;
    this.exchanges = List.copyOf(exchanges);
    this.storage = storage;
    this.sourceFactory = sources;
    this.symbols = ingestion.symbols();
    this.windowSeconds = settings.windowSeconds();
    this.intervalMs = settings.intervalMs();
  }

  @Override
  public Future<?> start() {
    pool = PgFactory.pool(vertx, stores.pgUrl(), stores.pgPoolSize(), stores.pgLimits());
    List<KlineSource> sources =
        sourceFactory != null
            ? sourceFactory.get()
            : PolledKlineSource.forExchanges(vertx, exchanges);
    if (sources.isEmpty())
      log.warn("no kline sources wired: backfill detects gaps but cannot fill them");
    schema = new Schema(pool, storage);
    this.sources = sources;

    vertx.eventBus().<JsonObject>consumer(Addresses.BACKFILL_START, this::onStart);
    vertx.eventBus().<JsonObject>consumer(Addresses.BACKFILL_JOB, this::onJob);
    return LeaderGate.attach(vertx, this::onElected, this::onRevoked).map(g -> gate = g);
  }

  private void onElected(Term elected) {
    term = elected;
    log.info("backfill enabled ({})", elected);
    if (periodicId >= 0) vertx.cancelTimer(periodicId);
    // The term's first scan reaches the last minute closed before it: this term's ticks cannot
    // write those minutes, so there is nothing to leave to the flush, and a first run's chart has
    // no gap before its first live minute until the next pass.
    long termStartMinute = System.currentTimeMillis() / 1000 / 60 * 60;
    scan(termStartMinute - 60);
    periodicId = vertx.setPeriodic(intervalMs, intervalMs, id -> scanRecent());
  }

  private void onRevoked(Term ended) {
    if (periodicId >= 0) vertx.cancelTimer(periodicId);
    periodicId = -1;
    log.info("backfill disabled ({})", ended);
  }

  /** Queues one automatic job per symbol unless one is still waiting or running. */
  private void scanRecent() {
    scan((System.currentTimeMillis() / 1000 - SETTLE_SECONDS) / 60 * 60);
  }

  /** One automatic job per symbol for the window ending at minute {@code to} (inclusive). */
  private void scan(long to) {
    long from = to - windowSeconds;
    for (String symbol : symbols) submit(new BackfillJob(symbol, from, to, JobQueue.AUTO));
  }

  private void onStart(Message<JsonObject> m) {
    if (!term.isCurrent()) {
      m.fail(503, "backfill runs on the leader; this instance is not leading");
      return;
    }
    JsonObject b = m.body();
    BackfillJob job =
        new BackfillJob(b.getString("symbol"), b.getLong("from"), b.getLong("to"), "admin");
    submit(job);
    m.reply(new JsonObject().put("id", job.id()));
  }

  private void onJob(Message<JsonObject> m) {
    BackfillJob job = jobs.get(m.body() == null ? null : m.body().getString("id"));
    if (job == null) m.fail(404, "unknown backfill job");
    else m.reply(job.toJson());
  }

  private void submit(BackfillJob job) {
    if (!queue.offer(job)) return; // that symbol's automatic job is still waiting
    jobs.put(job.id(), job);
    while (jobs.size() > KEEP_JOBS) jobs.remove(jobs.keySet().iterator().next());
    drain();
  }

  private void drain() {
    Term at = term;
    if (running || !at.isCurrent() || queue.isEmpty()) return;
    BackfillJob job = queue.poll();
    running = true;
    schema
        .ready()
        .compose(repo -> backfiller(repo).run(job, at))
        .onFailure(err -> job.failed(err.getMessage()))
        .onComplete(
            ar -> {
              running = false;
              drain();
            });
  }

  private Backfiller backfiller(CandleRepository repo) {
    if (backfiller == null)
      backfiller =
          new Backfiller(repo, sources, ingestion.rules(), ingestion.rates())
              .repairUnclosed(closesOut() ? UNCLOSED_PER_JOB : 0);
    return backfiller;
  }

  /**
   * Whether minutes are closed out: only when a source reads its trade stream. Otherwise no live
   * minute ever gets an origin, and rebuilding "unclosed" ones would replace every polled candle.
   */
  private boolean closesOut() {
    return ingestion.sources().stream().anyMatch(oracle.exchange.SourceSettings::stream);
  }

  @Override
  public Future<?> stop() {
    if (gate != null) gate.close();
    if (periodicId >= 0) vertx.cancelTimer(periodicId);
    return pool.close();
  }
}
