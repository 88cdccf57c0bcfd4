package oracle.http.market;

import io.netty.buffer.ByteBuf;

/** Ready-made JSON of candles, when available (see {@link CachedCandleStore#encoded}). */
public interface EncodedCandles {
  EncodedCandles NONE = (bar, out) -> false;

  /**
   * Appends the candle's JSON object to {@code out} and returns true, or returns false and writes
   * nothing.
   */
  boolean copy(Bar bar, ByteBuf out);
}
