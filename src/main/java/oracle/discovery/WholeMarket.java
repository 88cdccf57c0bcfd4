package oracle.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import oracle.config.ConfigReader;
import oracle.exchange.Market;
import oracle.exchange.SourceSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-market mode for the deployment: turns a configuration with {@code "symbols": "auto"} into
 * the configuration the verticles run (the discovered symbols, and per exchange the markets that
 * differ from the convention or are not listed), and re-discovers every {@code discovery.refreshMs}
 * (sooner, every {@value #RETRY_MS} ms at most, while an exchange failed to answer). A
 * configuration without "auto" passes through unchanged and stops the refresh.
 *
 * <p>The running configuration also carries {@value #RETIRED_KEY}: symbols followed earlier by this
 * process and delisted since. They are no longer polled, aggregated or backfilled; the API keeps
 * serving their history.
 */
public final class WholeMarket {
  private static final Logger log = LoggerFactory.getLogger(WholeMarket.class);

  /**
   * Key of the delisted symbols in the resolved configuration (written by discovery, not an
   * operator key).
   */
  public static final String RETIRED_KEY = "retiredSymbols";

  static final long RETRY_MS = 60_000;

  private final Vertx vertx;
  private final Function<JsonObject, List<SourceSettings>> sources;
  private final Supplier<Future<?>> refreshDue;
  private MarketDiscovery discovery;
  private JsonObject raw;
  private Object inputs;
  private MarketDiscovery.Round current;
  private long timer = -1;
  private boolean closed;

  /**
   * @param sources the enabled sources of a configuration (validating it), whose instruments are
   *     listed
   * @param refreshDue called when a refresh is due; it should call {@link #refresh()} and apply the
   *     result
   */
  public WholeMarket(
      Vertx vertx,
      Function<JsonObject, List<SourceSettings>> sources,
      Supplier<Future<?>> refreshDue) {
    this.vertx = vertx;
    this.sources = sources;
    this.refreshDue = refreshDue;
  }

  /**
   * Symbols the API serves: the followed ones and those delisted since (their history stays).
   *
   * @param json the running configuration, carrying {@value #RETIRED_KEY}
   */
  public static List<String> servedSymbols(List<String> symbols, JsonObject json) {
    JsonArray retired = json.getJsonArray(RETIRED_KEY);
    if (retired == null || retired.isEmpty()) return symbols;
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(symbols);
    retired.forEach(s -> out.add(String.valueOf(s)));
    return List.copyOf(out);
  }

  /**
   * The configuration to run for a newly loaded one: itself without "auto"; otherwise the
   * discovered symbols, discovering first unless the discovery inputs (settings, exchanges, URLs)
   * are unchanged.
   */
  public synchronized Future<JsonObject> resolve(JsonObject loaded) {
    if (!DiscoverySettings.auto(loaded)) {
      cancelTimer();
      raw = null;
      current = null;
      inputs = null;
      return Future.succeededFuture(loaded);
    }
    raw = loaded;
    Object nextInputs = inputs(loaded);
    if (current != null && nextInputs.equals(inputs))
      return Future.succeededFuture(resolvedJson(raw, current));
    return refresh();
  }

  /** Discovers again with the current configuration and answers the configuration to run. */
  public synchronized Future<JsonObject> refresh() {
    if (raw == null) return Future.failedFuture("whole-market mode is off");
    JsonObject base = raw;
    DiscoverySettings settings = settings(base);
    List<SourceSettings> enabled = sources.apply(base);
    Object at = inputs(base);
    if (discovery == null) discovery = new MarketDiscovery(vertx);
    return discovery
        .refresh(enabled, settings)
        .map(
            round -> {
              synchronized (this) {
                // Stopped meanwhile: nothing may be redeployed any more.
                if (closed) throw new IllegalStateException("whole-market discovery stopped");
                report(round);
                if (base == raw) {
                  current = round;
                  inputs = at;
                  schedule(settings, round);
                }
              }
              return resolvedJson(base, round);
            });
  }

  private void report(MarketDiscovery.Round round) {
    List<String> before = current == null ? List.of() : current.listing().symbols();
    List<String> after = round.listing().symbols();
    List<String> added = MarketListing.added(before, after);
    List<String> removed = MarketListing.added(after, before);
    log.info(
        "market discovery: {} symbols, {} new {}, {} delisted {}{}",
        after.size(),
        added.size(),
        sample(added),
        removed.size(),
        sample(removed),
        round.complete() ? "" : "; kept the previous lists of " + round.failed());
  }

  private static List<String> sample(List<String> symbols) {
    return symbols.size() <= 20 ? symbols : symbols.subList(0, 20);
  }

  private void schedule(DiscoverySettings settings, MarketDiscovery.Round round) {
    cancelTimer();
    if (closed) return;
    long delay = round.complete() ? settings.refreshMs() : Math.min(settings.refreshMs(), RETRY_MS);
    timer =
        vertx.setTimer(
            delay,
            id -> {
              synchronized (this) {
                timer = -1;
              }
              refreshDue
                  .get()
                  .onComplete(
                      ar -> {
                        if (ar.failed())
                          log.warn(
                              "market discovery refresh not applied: {}", ar.cause().getMessage());
                        synchronized (this) {
                          // A refresh that failed before scheduling
                          // again: try again after the retry period.
                          if (timer == -1 && raw != null && !closed)
                            timer =
                                vertx.setTimer(
                                    Math.min(settings.refreshMs(), RETRY_MS),
                                    x -> {
                                      synchronized (this) {
                                        timer = -1;
                                      }
                                      refreshDue.get();
                                    });
                        }
                      });
            });
  }

  private void cancelTimer() {
    if (timer != -1) vertx.cancelTimer(timer);
    timer = -1;
  }

  public synchronized void close() {
    closed = true;
    cancelTimer();
    if (discovery != null) discovery.close();
  }

  private static DiscoverySettings settings(JsonObject json) {
    return DiscoverySettings.from(new ConfigReader(json).section("discovery"));
  }

  /** What a discovery round depends on: its settings and each enabled source's URL. */
  private Object inputs(JsonObject loaded) {
    Map<String, String> urls = new java.util.TreeMap<>();
    for (SourceSettings s : sources.apply(loaded)) urls.put(s.name(), s.url());
    return List.of(settings(loaded), urls);
  }

  /**
   * {@code raw} with the discovered symbols, the per-exchange market overrides (the file's own
   * overrides win), and the retired symbols.
   */
  static JsonObject resolvedJson(JsonObject raw, MarketDiscovery.Round round) {
    JsonObject out = raw.copy();
    out.put("symbols", new JsonArray(round.listing().symbols()));
    JsonObject sources =
        out.getJsonObject("sources") == null ? new JsonObject() : out.getJsonObject("sources");
    round
        .listing()
        .markets()
        .forEach(
            (exchange, overrides) -> {
              JsonObject source =
                  sources.getJsonObject(exchange) == null
                      ? new JsonObject()
                      : sources.getJsonObject(exchange);
              JsonObject markets = new JsonObject();
              overrides.forEach(
                  (symbol, m) -> markets.put(symbol, m == null ? (Object) Boolean.FALSE : json(m)));
              JsonObject configured = source.getJsonObject("markets");
              if (configured != null) markets.mergeIn(configured);
              sources.put(exchange, source.put("markets", markets));
            });
    out.put("sources", sources);
    out.put(RETIRED_KEY, new JsonArray(round.retired()));
    return out;
  }

  private static JsonObject json(Market m) {
    return new JsonObject().put("id", m.id()).put("quote", m.quoteCurrency());
  }
}
