/*
 * Copyright 2018-2020 Raffaello Giulietti
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in
 * all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 * THE SOFTWARE.
 */
package oracle.http.market;

import static java.lang.Double.doubleToRawLongBits;
import static java.lang.Long.numberOfLeadingZeros;
import static oracle.http.market.SchubfachTable.g0;
import static oracle.http.market.SchubfachTable.g1;

import io.netty.buffer.ByteBuf;

/**
 * A finite double's shortest decimal (Schubfach), written as ASCII straight into a buffer: the very
 * characters of jackson-core's {@code DoubleToDecimal.toString} (the generator's fast double
 * writer, which the candle JSON used before), without the {@code String} and the object it makes
 * per number. The cache-off candle path formats five doubles per candle, and the string per number
 * was most of its time. A port of jackson-core 2.18's copy of Raffaello Giulietti's code; only the
 * output changed. One instance per writer (not thread-safe).
 */
final class DoubleBytes {
  // The precision in bits.
  private static final int P = 53;
  // Exponent width in bits.
  private static final int W = (Double.SIZE - 1) - (P - 1);
  // Minimum value of the exponent: -(2^(W-1)) - P + 3.
  private static final int Q_MIN = (-1 << W - 1) - P + 3;
  // Threshold to detect tiny values, as in section 8.1.1 of the paper
  private static final long C_TINY = 3;
  // H is as in section 8 of the paper.
  private static final int H = 17;
  // Minimum value of the significand of a normal value: 2^(P-1).
  private static final long C_MIN = 1L << P - 1;
  // Mask to extract the biased exponent.
  private static final int BQ_MASK = (1 << W) - 1;
  // Mask to extract the fraction bits.
  private static final long T_MASK = (1L << P - 1) - 1;
  // Used in rop().
  private static final long MASK_63 = (1L << 63) - 1;
  // Used for left-to-tight digit extraction.
  private static final int MASK_28 = (1 << 28) - 1;

  // C_10 = floor(log10(2) * 2^Q_10), A_10 = floor(log10(3/4) * 2^Q_10)
  private static final int Q_10 = 41;
  private static final long C_10 = 661_971_961_083L;
  private static final long A_10 = -274_743_187_321L;
  // C_2 = floor(log2(10) * 2^Q_2)
  private static final int Q_2 = 38;
  private static final long C_2 = 913_124_641_741L;

  private static final long[] POW10 = {
    1L,
    10L,
    100L,
    1_000L,
    10_000L,
    100_000L,
    1_000_000L,
    10_000_000L,
    100_000_000L,
    1_000_000_000L,
    10_000_000_000L,
    100_000_000_000L,
    1_000_000_000_000L,
    10_000_000_000_000L,
    100_000_000_000_000L,
    1_000_000_000_000_000L,
    10_000_000_000_000_000L,
    100_000_000_000_000_000L,
  };

  // Room for the longest form, -d.ddddddddddddddddE-eee (H + 7 characters).
  private final byte[] bytes = new byte[H + 7];
  // Index into bytes of rightmost valid character.
  private int index;

  /**
   * Writes {@code v} as {@code DoubleToDecimal.toString(v)} would spell it. Only for finite values
   * (the JSON writers turn the others into null first).
   */
  void write(double v, ByteBuf out) {
    long bits = doubleToRawLongBits(v);
    long t = bits & T_MASK;
    int bq = (int) (bits >>> P - 1) & BQ_MASK;
    if (bq >= BQ_MASK) throw new IllegalArgumentException("not finite: " + v);
    index = -1;
    if (bits < 0) append('-');
    if (bq != 0) {
      // normal value. Here mq = -q
      int mq = -Q_MIN + 1 - bq;
      long c = C_MIN | t;
      // The fast path discussed in section 8.2 of the paper.
      if (0 < mq & mq < P) {
        long f = c >> mq;
        if (f << mq == c) {
          toChars(f, 0);
          out.writeBytes(bytes, 0, index + 1);
          return;
        }
      }
      toDecimal(-mq, c, 0);
    } else if (t != 0) {
      // subnormal value
      if (t < C_TINY) toDecimal(Q_MIN, 10 * t, -1);
      else toDecimal(Q_MIN, t, 0);
    } else {
      out.writeBytes(bits == 0 ? ZERO : MINUS_ZERO);
      return;
    }
    out.writeBytes(bytes, 0, index + 1);
  }

  private static final byte[] ZERO = {'0', '.', '0'};
  private static final byte[] MINUS_ZERO = {'-', '0', '.', '0'};

  private void toDecimal(int q, long c, int dk) {
    int out = (int) c & 0x1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN | q == Q_MIN) {
      // regular spacing
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      // irregular spacing
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 2;

    // g1 and g0 are as in section 9.9.3 of the paper, so g = g1 2^63 + g0
    long g1 = g1(k);
    long g0 = g0(k);

    long vb = rop(g1, g0, cb << h);
    long vbl = rop(g1, g0, cbl << h);
    long vbr = rop(g1, g0, cbr << h);

    long s = vb >> 2;
    if (s >= 100) {
      long sp10 = 10 * multiplyHigh(s, 115_292_150_460_684_698L << 4);
      long tp10 = sp10 + 10;
      boolean upin = vbl + out <= sp10 << 2;
      boolean wpin = (tp10 << 2) + out <= vbr;
      if (upin != wpin) {
        toChars(upin ? sp10 : tp10, k);
        return;
      }
    }
    long t = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (t << 2) + out <= vbr;
    if (uin != win) {
      // Exactly one of u or w lies in Rv.
      toChars(uin ? s : t, k + dk);
      return;
    }
    // Both u and w lie in Rv: determine the one closest to v.
    long cmp = vb - (s + t << 1);
    toChars(cmp < 0 || cmp == 0 && (s & 0x1) == 0 ? s : t, k + dk);
  }

  private static long rop(long g1, long g0, long cp) {
    long x1 = multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (z & MASK_63) + MASK_63 >>> 63;
  }

  /** Formats the decimal f 10^e. */
  private void toChars(long f, int e) {
    int len = flog10pow2(Long.SIZE - numberOfLeadingZeros(f));
    if (f >= POW10[len]) len += 1;
    f *= POW10[H - len];
    e += len;
    long hm = multiplyHigh(f, 193_428_131_138_340_668L) >>> 20;
    int l = (int) (f - 100_000_000L * hm);
    int h = (int) (hm * 1_441_151_881L >>> 57);
    int m = (int) (hm - 100_000_000 * h);
    if (0 < e && e <= 7) toChars1(h, m, l, e);
    else if (-3 < e && e <= 0) toChars2(h, m, l, e);
    else toChars3(h, m, l, e);
  }

  private void toChars1(int h, int m, int l, int e) {
    // 0 < e <= 7: plain format without leading zeroes.
    appendDigit(h);
    int y = y(m);
    int t;
    int i = 1;
    for (; i < e; ++i) {
      t = 10 * y;
      appendDigit(t >>> 28);
      y = t & MASK_28;
    }
    append('.');
    for (; i <= 8; ++i) {
      t = 10 * y;
      appendDigit(t >>> 28);
      y = t & MASK_28;
    }
    lowDigits(l);
  }

  private void toChars2(int h, int m, int l, int e) {
    // -3 < e <= 0: plain format with leading zeroes.
    appendDigit(0);
    append('.');
    for (; e < 0; ++e) appendDigit(0);
    appendDigit(h);
    append8Digits(m);
    lowDigits(l);
  }

  private void toChars3(int h, int m, int l, int e) {
    // -3 >= e | e > 7: computerized scientific notation
    appendDigit(h);
    append('.');
    append8Digits(m);
    lowDigits(l);
    exponent(e - 1);
  }

  private void lowDigits(int l) {
    if (l != 0) append8Digits(l);
    removeTrailingZeroes();
  }

  private void append8Digits(int m) {
    int y = y(m);
    for (int i = 0; i < 8; ++i) {
      int t = 10 * y;
      appendDigit(t >>> 28);
      y = t & MASK_28;
    }
  }

  private void removeTrailingZeroes() {
    while (bytes[index] == '0') --index;
    // ... but do not remove the one directly to the right of '.'
    if (bytes[index] == '.') ++index;
  }

  private static int y(int a) {
    return (int) (multiplyHigh((long) (a + 1) << 28, 193_428_131_138_340_668L) >>> 20) - 1;
  }

  private void exponent(int e) {
    append('E');
    if (e < 0) {
      append('-');
      e = -e;
    }
    if (e < 10) {
      appendDigit(e);
      return;
    }
    int d;
    if (e >= 100) {
      d = e * 1_311 >>> 17;
      appendDigit(d);
      e -= 100 * d;
    }
    d = e * 103 >>> 10;
    appendDigit(d);
    appendDigit(e - 10 * d);
  }

  private void append(int c) {
    bytes[++index] = (byte) c;
  }

  private void appendDigit(int d) {
    bytes[++index] = (byte) ('0' + d);
  }

  private static int flog10pow2(int e) {
    return (int) (e * C_10 >> Q_10);
  }

  private static int flog10threeQuartersPow2(int e) {
    return (int) (e * C_10 + A_10 >> Q_10);
  }

  private static int flog2pow10(int e) {
    return (int) (e * C_2 >> Q_2);
  }

  /** jackson-core's own (a port of jsoniter-scala's), kept so every digit matches its output. */
  private static long multiplyHigh(long x, long y) {
    // Karatsuba technique for two positive ints
    long x2 = x & 0xFFFFFFFFL;
    long y2 = y & 0xFFFFFFFFL;
    long b = x2 * y2;
    long x1 = x >>> 32;
    long y1 = y >>> 32;
    long a = x1 * y1;
    return (((b >>> 32) + (x1 + x2) * (y1 + y2) - b - a) >>> 32) + a;
  }
}
