package oracle.aggregation;

import java.util.Map;

/**
 * The quorum a price needs before it is published or stored: at least {@code minSources} sources
 * within {@code maxDivergence} (a fraction) of their median after the outlier fence. A symbol may
 * lower (or raise) the count for itself ({@code ingestion.perSymbol.<SYMBOL>.minSources}).
 */
public record QuorumRule(int minSources, double maxDivergence, Map<String, Integer> perSymbol) {
  public static final int DEFAULT_MIN_SOURCES = 2;
  public static final double DEFAULT_MAX_DIVERGENCE = 0.01;

  /**
   * No quorum at all: one source is enough and sources are never too far apart (unit tests, legacy
   * callers).
   */
  public static final QuorumRule NONE = new QuorumRule(1, Double.POSITIVE_INFINITY, Map.of());

  public QuorumRule {
    perSymbol = Map.copyOf(perSymbol);
  }

  public int minSourcesFor(String symbol) {
    return perSymbol.getOrDefault(symbol, minSources);
  }
}
