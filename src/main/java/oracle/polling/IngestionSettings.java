package oracle.polling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oracle.aggregation.AggregationSettings;
import oracle.aggregation.Aggregator;
import oracle.aggregation.QuorumRule;
import oracle.common.Symbols;
import oracle.config.ConfigException;
import oracle.config.ConfigReader;
import oracle.exchange.SourceSettings;
import oracle.exchange.registry.Exchanges;

/**
 * The ingestion sections of the configuration, validated once at start by the deployment (a bad key
 * stops the process, named):
 *
 * <ul>
 *   <li>{@code ingestion.intervalMs} (1000): tick period.
 *   <li>{@code ingestion.stalenessMs} (10000): a quote or conversion rate older than this is
 *       dropped.
 *   <li>{@code ingestion.volumeRefreshMs} (5000): a symbol's current-minute kline is re-read at
 *       most this often per source.
 *   <li>{@code ingestion.outlierMinBand} (0.0005): the IQR fence is at least this fraction of the
 *       median wide, so sources a rounding step apart are not called outliers when the IQR is 0.
 *   <li>{@code ingestion.rates} ({@code {"USDT/KRW": "upbit"}}): conversion pairs the oracle
 *       derives itself; {@code "X/Y": source} reads market X/Y on that source (Y per X) and
 *       converts prices quoted in Y into X.
 *   <li>{@code ingestion.minSources} (2), {@code ingestion.maxDivergence} (0.01) and {@code
 *       ingestion.perSymbol.<SYMBOL>.minSources}: the quorum rule ({@link QuorumRule}).
 *   <li>{@code ingestion.maxWeightShare} (0.5): the largest share of the VWAP weight one source may
 *       hold, in (0, 1]; the excess goes to the others.
 *   <li>{@code sources.<name>}: see {@link SourceSettings}.
 * </ul>
 */
public record IngestionSettings(
    long intervalMs,
    long stalenessMs,
    long volumeRefreshMs,
    double outlierMinBand,
    Map<String, String> rates,
    List<String> symbols,
    List<SourceSettings> sources,
    QuorumRule quorum,
    double maxWeightShare) {
  public static final double DEFAULT_MAX_WEIGHT_SHARE = 0.5;

  public static IngestionSettings from(
      ConfigReader root, List<String> symbols, List<String> exchanges) {
    ConfigReader in = root.section("ingestion");
    long interval = in.longValue("intervalMs", 1_000, 20, 60_000);
    long staleness = in.longValue("stalenessMs", 10_000, 100, 3_600_000);
    long volumeRefresh = in.longValue("volumeRefreshMs", 5_000, 0, 600_000);
    double minBand =
        in.doubleValue("outlierMinBand", oracle.aggregation.RobustStats.DEFAULT_MIN_BAND, 0, 0.5);
    Map<String, String> rates = new LinkedHashMap<>();
    if (in.has("rates")) {
      ConfigReader r = in.section("rates");
      for (String pair : r.json().fieldNames()) {
        if (!Symbols.isCanonical(pair))
          throw new ConfigException(r.key(pair), "a currency pair like USDT/KRW as the key", pair);
        String source = r.requiredString(pair);
        if (!Exchanges.NAMES.contains(source))
          throw new ConfigException(r.key(pair), "a source among " + Exchanges.NAMES, source);
        rates.put(pair, source);
      }
    } else {
      rates.put("USDT/KRW", "upbit");
    }
    ConfigReader sourcesSection = root.section("sources");
    for (String name : sourcesSection.json().fieldNames()) {
      if (!Exchanges.NAMES.contains(name))
        throw new ConfigException(
            sourcesSection.key(name), "a source among " + Exchanges.NAMES, name);
    }
    List<SourceSettings> sources = new ArrayList<>();
    for (String name : Exchanges.NAMES) {
      // Validate every configured section, enabled or not, so a typo fails at start either way.
      SourceSettings s = Exchanges.settings(name, sourcesSection.section(name));
      if (exchanges.contains(name)) sources.add(s);
    }
    return new IngestionSettings(
        interval,
        staleness,
        volumeRefresh,
        minBand,
        Map.copyOf(rates),
        List.copyOf(symbols),
        List.copyOf(sources),
        quorum(in),
        maxWeightShare(in));
  }

  private static double maxWeightShare(ConfigReader in) {
    double share;
    try {
      share =
          in.doubleValue(
              "maxWeightShare",
              DEFAULT_MAX_WEIGHT_SHARE,
              Double.NEGATIVE_INFINITY,
              Double.POSITIVE_INFINITY);
    } catch (ConfigException notANumber) {
      share = Double.NaN; // refused below, with the interval this key accepts
    }
    if (!(share > 0 && share <= 1))
      throw new ConfigException(
          in.key("maxWeightShare"), "a number in (0, 1]", in.json().getValue("maxWeightShare"));
    return share;
  }

  private static QuorumRule quorum(ConfigReader in) {
    int minSources = in.intValue("minSources", QuorumRule.DEFAULT_MIN_SOURCES, 1, 100);
    double maxDivergence = in.doubleValue("maxDivergence", QuorumRule.DEFAULT_MAX_DIVERGENCE, 0, 1);
    Map<String, Integer> perSymbol = new LinkedHashMap<>();
    if (in.has("perSymbol")) {
      ConfigReader p = in.section("perSymbol");
      for (String symbol : p.json().fieldNames()) {
        if (!Symbols.isCanonical(symbol))
          throw new ConfigException(
              p.key(symbol), "a canonical symbol like BTC/USDT as the key", symbol);
        perSymbol.put(symbol, p.section(symbol).intValue("minSources", minSources, 1, 100));
      }
    }
    return new QuorumRule(minSources, maxDivergence, perSymbol);
  }

  /** The price rules these settings describe, shared by live aggregation and backfill. */
  public Aggregator rules() {
    return new Aggregator(stalenessMs, outlierMinBand, quorum, maxWeightShare);
  }

  /**
   * What the aggregation verticle needs of these settings.
   *
   * @param graceMs {@code flush.graceMs}: ticks for a minute closed longer ago are refused
   */
  public AggregationSettings aggregation(long graceMs) {
    return new AggregationSettings(
        intervalMs, symbols, rates, stalenessMs, outlierMinBand, quorum, maxWeightShare, graceMs);
  }

  /**
   * The symbols to read from {@code source}: the configured ones plus the rate pairs it provides.
   */
  public List<String> symbolsFor(String source) {
    List<String> out = new ArrayList<>(symbols);
    rates.forEach(
        (pair, from) -> {
          if (from.equals(source) && !out.contains(pair)) out.add(pair);
        });
    return out;
  }
}
