package oracle.aggregation;

import java.util.List;
import java.util.Map;

/**
 * What live aggregation runs with, handed over by the deployment (taken from the ingestion sections
 * and {@code flush.graceMs}, validated there).
 *
 * @param intervalMs {@code ingestion.intervalMs}: the polling tick
 * @param symbols the symbols to aggregate
 * @param rates conversion pair → the source that provides it ({@code ingestion.rates})
 * @param stalenessMs {@code ingestion.stalenessMs}
 * @param outlierMinBand {@code ingestion.outlierMinBand}
 * @param quorum the quorum rule
 * @param maxWeightShare {@code ingestion.maxWeightShare}: one source's largest share of the weight
 * @param graceMs {@code flush.graceMs}: ticks for a minute closed longer ago than this are refused
 */
public record AggregationSettings(
    long intervalMs,
    List<String> symbols,
    Map<String, String> rates,
    long stalenessMs,
    double outlierMinBand,
    QuorumRule quorum,
    double maxWeightShare,
    long graceMs) {
  public AggregationSettings {
    symbols = List.copyOf(symbols);
    rates = Map.copyOf(rates);
  }

  /** The price rules, the same ones backfill applies. */
  public Aggregator rules() {
    return new Aggregator(stalenessMs, outlierMinBand, quorum, maxWeightShare);
  }
}
