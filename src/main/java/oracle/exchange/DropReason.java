package oracle.exchange;

/**
 * Why a source's data point did not go into a price: set by an adapter ({@link #MANIPULATED}) or
 * the poller ({@link #BREAKER_OPEN}, {@link #RATE_LIMITED}) and carried as this enum to the
 * aggregation, which adds the rest; the label is the dropped-source counter's tag.
 */
public enum DropReason {
  /** Outside the IQR fence (Q1 − 1.5·IQR, Q3 + 1.5·IQR). */
  OUTLIER("outlier"),
  /** The exchange's timestamp is older than {@code ingestion.stalenessMs}. */
  STALE("stale"),
  /** Quoted in another currency and the conversion rate is missing or stale. */
  NO_CONVERSION("no_conversion"),
  /** The source's circuit breaker is open; it was not asked. */
  BREAKER_OPEN("breaker_open"),
  /** The source's token bucket was empty this tick. */
  RATE_LIMITED("rate_limited"),
  /** Zero, negative or non-numeric price. */
  INVALID_PRICE("invalid_price"),
  /** Outside {@code ingestion.maxDivergence} of the median of the sources that passed the fence. */
  DIVERGED("diverged"),
  /**
   * Unchanged for {@code ingestion.stalenessMs} while the other sources' median moved beyond the
   * fence's minimum band.
   */
  FROZEN("frozen"),
  /**
   * A DEX pool whose spot price is further than {@code sources.uniswap.maxSpotDeviation} from its
   * TWAP.
   */
  MANIPULATED("manipulated"),
  /**
   * A DEX pool whose tokens ({@code token0()}, {@code token1()}) could not be read: the pool alone
   * is left out, the others are still read.
   */
  UNREADABLE("unreadable"),
  /**
   * Agreed with the others but carries no weight (volume or depth 0 or unreadable) while others do:
   * it would not move the VWAP, so it neither counts towards the quorum nor is listed as used.
   */
  NO_WEIGHT("no_weight");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
