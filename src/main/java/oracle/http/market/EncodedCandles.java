package oracle.http.market;

import io.netty.buffer.ByteBuf;

/**
 * Ready-made JSON of candles, when available (see {@link CachedCandleStore#encoded}): a response
 * copies the bytes of consecutive cached candles as one slice instead of formatting them.
 */
public interface EncodedCandles {
  EncodedCandles NONE = (bar, out) -> false;

  /**
   * Points {@code out} at the candle's JSON object and returns true, or returns false. The candles
   * of one cached block are stored in order in one array, separated by a single comma, so
   * consecutive candles are one slice.
   */
  boolean locate(Bar bar, Slice out);

  /**
   * Appends the candle's JSON object to {@code out} and returns true, or returns false and writes
   * nothing.
   */
  default boolean copy(Bar bar, ByteBuf out) {
    Slice slice = new Slice();
    if (!locate(bar, slice)) return false;
    out.writeBytes(slice.array, slice.from, slice.to - slice.from);
    return true;
  }

  /** Where a candle's bytes are: {@code array[from, to)}. The array is never written again. */
  final class Slice {
    byte[] array;
    int from;
    int to;
  }
}
