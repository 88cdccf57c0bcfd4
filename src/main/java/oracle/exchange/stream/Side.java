package oracle.exchange.stream;

/** The side of the taker (the aggressor) of a trade; {@code UNKNOWN} where the venue omits it. */
public enum Side {
  BUY,
  SELL,
  UNKNOWN
}
