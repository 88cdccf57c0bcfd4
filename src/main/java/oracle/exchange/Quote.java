package oracle.exchange;

/**
 * One source's view of one symbol at one moment, as an adapter parsed it.
 *
 * @param symbol canonical symbol the quote is for (BASE/QUOTE as configured)
 * @param quoteCurrency currency the price is quoted in at the source (e.g. KRW on Upbit, USD on
 *     Coinbase)
 * @param bid best bid, or NaN when the source does not give it
 * @param ask best ask, or NaN when the source does not give it
 * @param timestampMs the exchange's own timestamp of the price
 * @param liquidity 24 h quote volume (a DEX pool: its depth in the quote currency), used only as a
 *     VWAP weight (never added to a candle)
 * @param minuteVolume base volume traded in the current minute (from the 1-minute kline / trades),
 *     or NaN
 * @param rejected the drop reason when the adapter itself found the price unsafe (a DEX pool's spot
 *     far from its TWAP: {@code manipulated}), else null
 * @param via how the price was read: {@link Via#STREAM} from the source's healthy trade stream
 *     (then {@code timestampMs} is its last trade's exchange time, and the price rules weight it
 *     down by age instead of dropping it as stale), else {@link Via#POLL} (a REST ticker)
 * @param minuteTrades the number of trades behind {@code minuteVolume} (a streamed source's count
 *     of the current minute), or -1 when unknown (a polled kline does not say)
 */
public record Quote(
    String exchange,
    String symbol,
    String quoteCurrency,
    double price,
    double bid,
    double ask,
    long timestampMs,
    double liquidity,
    double minuteVolume,
    DropReason rejected,
    Via via,
    long minuteTrades) {

  /** How a quote was read ({@code via} in {@code /price}'s used sources). */
  public enum Via {
    STREAM("stream"),
    POLL("poll");

    private final String label;

    Via(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public Quote {
    if (via == null) via = Via.POLL;
  }

  /** A quote read as {@code via}, its minute's trade count unknown. */
  public Quote(
      String exchange,
      String symbol,
      String quoteCurrency,
      double price,
      double bid,
      double ask,
      long timestampMs,
      double liquidity,
      double minuteVolume,
      DropReason rejected,
      Via via) {
    this(
        exchange,
        symbol,
        quoteCurrency,
        price,
        bid,
        ask,
        timestampMs,
        liquidity,
        minuteVolume,
        rejected,
        via,
        -1);
  }

  /** A polled quote, possibly rejected by its adapter. */
  public Quote(
      String exchange,
      String symbol,
      String quoteCurrency,
      double price,
      double bid,
      double ask,
      long timestampMs,
      double liquidity,
      double minuteVolume,
      DropReason rejected) {
    this(
        exchange,
        symbol,
        quoteCurrency,
        price,
        bid,
        ask,
        timestampMs,
        liquidity,
        minuteVolume,
        rejected,
        Via.POLL,
        -1);
  }

  public Quote(
      String exchange,
      String symbol,
      String quoteCurrency,
      double price,
      double bid,
      double ask,
      long timestampMs,
      double liquidity,
      double minuteVolume) {
    this(
        exchange,
        symbol,
        quoteCurrency,
        price,
        bid,
        ask,
        timestampMs,
        liquidity,
        minuteVolume,
        null,
        Via.POLL,
        -1);
  }

  /** Whether the price came from the source's trade stream. */
  public boolean streamed() {
    return via == Via.STREAM;
  }

  /** The same quote with another current-minute volume. */
  public Quote withMinuteVolume(double volume) {
    if (Double.compare(volume, minuteVolume) == 0) return this; // the poller asks every tick
    return new Quote(
        exchange,
        symbol,
        quoteCurrency,
        price,
        bid,
        ask,
        timestampMs,
        liquidity,
        volume,
        rejected,
        via,
        minuteTrades);
  }
}
