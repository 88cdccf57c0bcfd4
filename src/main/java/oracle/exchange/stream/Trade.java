package oracle.exchange.stream;

/**
 * One trade as a venue's stream reported it.
 *
 * @param source the source name ({@code binance}, ...)
 * @param market the market id as the stream names it ({@code BTCUSDT}, {@code BTC/USD}, ...)
 * @param price trade price in the market's quote currency
 * @param size traded quantity in base units
 * @param timeMs the exchange's time of the trade (epoch milliseconds)
 * @param id the venue's trade id as text (unique per market)
 * @param firstSeq first of the contiguous per-market trade ids this message covers, or {@link
 *     #NO_SEQ} where the venue's ids are not contiguous (Upbit, Bybit)
 * @param lastSeq last of those ids (equal to {@code firstSeq} except for an aggregated trade: an
 *     OKX push with {@code count > 1}, a Binance {@code aggTrade}), or {@link #NO_SEQ}
 * @param takerSide the taker's side (Coinbase reports the maker's: already inverted here)
 * @param replay a trade the venue repeats on subscribing (Coinbase {@code last_match}, Kraken's
 *     {@code snapshot}, Upbit's {@code SNAPSHOT}): it happened before the subscription and must not
 *     be counted
 */
public record Trade(
    String source,
    String market,
    double price,
    double size,
    long timeMs,
    String id,
    long firstSeq,
    long lastSeq,
    Side takerSide,
    boolean replay) {

  /** The sequence value of a trade whose venue has no contiguous ids. */
  public static final long NO_SEQ = -1;

  /** A trade whose id is the venue's contiguous per-market sequence number. */
  public static Trade sequenced(
      String source,
      String market,
      double price,
      double size,
      long timeMs,
      long seq,
      Side side,
      boolean replay) {
    return new Trade(
        source, market, price, size, timeMs, Long.toString(seq), seq, seq, side, replay);
  }

  /** A trade whose id is unique but not contiguous (no gap can be read from it). */
  public static Trade unsequenced(
      String source,
      String market,
      double price,
      double size,
      long timeMs,
      String id,
      Side side,
      boolean replay) {
    return new Trade(source, market, price, size, timeMs, id, NO_SEQ, NO_SEQ, side, replay);
  }

  /** Whether gaps and duplicates can be read from this trade's ids. */
  public boolean hasSeq() {
    return lastSeq != NO_SEQ;
  }
}
