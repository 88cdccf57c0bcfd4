package oracle.http.market;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A finite double's shortest decimal written as ASCII into a buffer: the characters of Jackson's
 * fast double writer ({@code NumberOutput.toString(v, true)}, Raffaello Giulietti's Schubfach, what
 * {@code Double.toString} gives from JDK 19 on), which the candle JSON used before it was written
 * by hand. JDK 17's own {@code Double.toString} is several times slower and not always shortest.
 */
final class DoubleBytes {

  /**
   * Writes {@code v} as {@code DoubleToDecimal.toString(v)} spells it. Only for finite values (the
   * JSON writers turn the others into null first).
   */
  void write(double v, ByteBuf out) {
    if (!Double.isFinite(v)) throw new IllegalArgumentException("not finite: " + v);
    out.writeCharSequence(NumberOutput.toString(v, true), StandardCharsets.US_ASCII);
  }
}
