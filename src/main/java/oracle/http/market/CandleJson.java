package oracle.http.market;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import oracle.storage.Resolution;

/**
 * Streams candle responses straight into a buffer: candle objects by hand with {@link DoubleBytes}
 * (the Schubfach shortest digits Jackson's fast double writer produces), the UDF arrays with
 * Jackson's generator: a 5,000-candle page is the API's hot path, and a JsonObject per candle, a
 * String per number, or the JDK 17 Double.toString, would cost more than the query.
 */
final class CandleJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private CandleJson() {}

  /** The answer for the tests and tools that need no window: no gaps, closedness by the clock. */
  static Buffer ohlcv(String symbol, Resolution r, CandlePage page) {
    long first = page.bars().isEmpty() ? 0 : page.bars().get(0).time();
    return ohlcv(symbol, r, page, first, first - r.seconds(), System.currentTimeMillis() / 1000);
  }

  static Buffer ohlcv(
      String symbol, Resolution r, CandlePage page, long gapFrom, long gapTo, long nowSeconds) {
    ByteBuf buf = Unpooled.buffer(sizeHint(page.bars()));
    ohlcv(symbol, r, page, gapFrom, gapTo, nowSeconds, buf);
    return BufferInternal.buffer(buf);
  }

  /**
   * Bytes enough for the answer: a cached run's exact length, about 185 for any other candle (the
   * longest usual one is about 155: growing a 100 KB buffer means copying it).
   */
  static int sizeHint(List<Bar> bars) {
    if (!(bars instanceof Candles c)) return 256 + bars.size() * 185;
    long bytes = 256;
    for (int k = 0; k < c.pieces(); k++) {
      CandleBlock block = c.block(k);
      bytes +=
          block != null
              ? block.offsets[c.to(k)] - block.offsets[c.from(k)]
              : (c.to(k) - c.from(k)) * 185L;
    }
    return (int) Math.min(bytes, Integer.MAX_VALUE - 8);
  }

  /**
   * {@code
   * {"symbol","resolution","candles":[{time,open,high,low,close,volume,closed}],"nextFrom","gaps","partial"}}
   * (and {@code partialReason} when partial; a 1-minute candle also has {@code trades} and {@code
   * origin} before {@code closed}), appended to {@code buf}. {@code closed} is false only on the
   * bucket still forming ({@code nowSeconds} inside it). {@code gaps}: the buckets in {@code
   * [gapFrom, gapTo]} the oracle has no candle for, as {@code {"from","to"}} ranges of bucket
   * starts; a quiet bucket has a zero-volume candle and is no gap. A run of closed candles of a
   * cached block ({@link Candles}) is copied as its ready-made bytes, one copy per run; the others
   * are formatted here.
   */
  static void ohlcv(
      String symbol,
      Resolution r,
      CandlePage page,
      long gapFrom,
      long gapTo,
      long nowSeconds,
      ByteBuf buf) {
    List<Bar> bars = page.bars();
    // The symbol is validated ([A-Z0-9/]) and the resolution a constant: nothing to escape.
    buf.writeCharSequence(
        "{\"symbol\":\"" + symbol + "\",\"resolution\":\"" + r.label() + "\",\"candles\":[",
        StandardCharsets.US_ASCII);
    long formingFrom = r.bucketStart(nowSeconds);
    CandleWriter writer = new CandleWriter(buf, r == Resolution.M1);
    if (bars instanceof Candles c) {
      boolean comma = false;
      for (int k = 0; k < c.pieces(); k++) {
        int from = c.from(k);
        int to = c.to(k);
        CandleBlock block = c.block(k);
        if (block == null) {
          List<Bar> run = c.bars(k);
          for (int i = from; i < to; i++, comma = true) {
            Bar b = run.get(i);
            if (comma) writer.comma();
            writer.candle(b, b.time() < formingFrom);
          }
          continue;
        }
        // The closed part (all of it, for blocks that ended long ago) as one slice.
        int closedTo = Math.min(to, Math.max(from, block.indexAtOrAfter(formingFrom)));
        if (from < closedTo) {
          if (comma) writer.comma();
          int at = block.offsets[from];
          buf.writeBytes(block.json, at, block.offsets[closedTo] - 1 - at);
          comma = true;
        }
        for (int i = closedTo; i < to; i++, comma = true) {
          if (comma) writer.comma();
          writer.candle(block.bar(i), false);
        }
      }
    } else {
      for (int i = 0; i < bars.size(); i++) {
        Bar b = bars.get(i);
        if (i > 0) writer.comma();
        writer.candle(b, b.time() < formingFrom);
      }
    }
    buf.writeCharSequence(
        "],\"nextFrom\":"
            + (page.nextFrom() == null ? "null" : page.nextFrom().toString())
            + ",\"gaps\":[",
        StandardCharsets.US_ASCII);
    gaps(bars, gapFrom, gapTo, r.seconds(), buf);
    buf.writeCharSequence(
        "],\"partial\":" + (page.partialReason() != null), StandardCharsets.US_ASCII);
    if (page.partialReason() != null)
      buf.writeCharSequence(
          ",\"partialReason\":\"" + page.partialReason() + "\"", StandardCharsets.US_ASCII);
    buf.writeByte('}');
  }

  /**
   * The missing buckets of {@code [from, to]} (steps of {@code step}) as comma-separated {@code
   * {"from","to"}} ranges.
   */
  static void gaps(List<Bar> ascending, long from, long to, long step, ByteBuf out) {
    Gaps gaps = new Gaps(from, to, step, out);
    if (ascending instanceof Candles c) {
      // Piece by piece: a cached run's times are read from its array, no Bar made.
      for (int k = 0; k < c.pieces(); k++) {
        CandleBlock block = c.block(k);
        List<Bar> bars = block == null ? c.bars(k) : null;
        for (int i = c.from(k); i < c.to(k); i++)
          if (!gaps.next(block != null ? block.times[i] : bars.get(i).time())) break;
      }
    } else {
      for (Bar b : ascending) if (!gaps.next(b.time())) break;
    }
    gaps.finish();
  }

  /** Walks candle starts ascending and writes the missing buckets between them. */
  private static final class Gaps {
    private final long to;
    private final long step;
    private final ByteBuf out;
    private long expected;
    private boolean any;

    Gaps(long from, long to, long step, ByteBuf out) {
      this.expected = from;
      this.to = to;
      this.step = step;
      this.out = out;
    }

    /** False once past the end. */
    boolean next(long t) {
      if (t > to) return false;
      if (t < expected) return true;
      if (t > expected) any = range(expected, t - step, any, out);
      expected = t + step;
      return true;
    }

    void finish() {
      if (expected <= to) range(expected, to, any, out);
    }
  }

  private static boolean range(long from, long to, boolean comma, ByteBuf out) {
    out.writeCharSequence(
        (comma ? "," : "") + "{\"from\":" + from + ",\"to\":" + to + "}",
        StandardCharsets.US_ASCII);
    return true;
  }

  /**
   * Candle objects, {@code
   * {"time":..,"open":..,"high":..,"low":..,"close":..,"volume":..,"closed":..}}, written one after
   * the other straight into a buffer: the field names are constant bytes and the numbers go through
   * {@link DoubleBytes}, so the bytes are those Jackson's generator (fast double writer) wrote,
   * without a generator, a String per number or an intermediate buffer.
   */
  static final class CandleWriter implements AutoCloseable {
    private static final byte[] TIME = ascii("{\"time\":");
    private static final byte[] OPEN = ascii(",\"open\":");
    private static final byte[] HIGH = ascii(",\"high\":");
    private static final byte[] LOW = ascii(",\"low\":");
    private static final byte[] CLOSE = ascii(",\"close\":");
    private static final byte[] VOLUME = ascii(",\"volume\":");
    private static final byte[] TRADES = ascii(",\"trades\":");
    private static final byte[] ORIGIN = ascii(",\"origin\":\"");
    private static final byte[] QUOTE = ascii("\"");
    private static final byte[] CLOSED = ascii(",\"closed\":true}");
    private static final byte[] OPEN_CANDLE = ascii(",\"closed\":false}");
    private static final byte[] NULL = ascii("null");

    private final ByteBuf buf;

    /** 1-minute candles: {@code trades} and {@code origin} are written. */
    private final boolean minutes;

    private final DoubleBytes doubles = new DoubleBytes();
    private final byte[] digits = new byte[20];

    /** A writer of rollup buckets (no {@code trades}, no {@code origin}). */
    CandleWriter(ByteBuf buf) {
      this(buf, false);
    }

    /**
     * @param minutes 1-minute candles: each gets {@code trades} (a number or null) and {@code
     *     origin}
     */
    CandleWriter(ByteBuf buf, boolean minutes) {
      this.buf = buf;
      this.minutes = minutes;
    }

    void candle(Bar b, boolean closed) {
      candle(
          b.time(),
          b.open(),
          b.high(),
          b.low(),
          b.close(),
          b.volume(),
          b.trades(),
          b.origin(),
          closed);
    }

    /** A candle without a trade count, live. */
    void candle(
        long time,
        double open,
        double high,
        double low,
        double close,
        double volume,
        boolean closed) {
      candle(time, open, high, low, close, volume, -1, null, closed);
    }

    /**
     * @param trades written as null when negative (unknown), by a writer of minutes only
     * @param origin null is live; written by a writer of minutes only
     */
    void candle(
        long time,
        double open,
        double high,
        double low,
        double close,
        double volume,
        long trades,
        String origin,
        boolean closed) {
      buf.writeBytes(TIME);
      writeLong(time);
      buf.writeBytes(OPEN);
      num(open);
      buf.writeBytes(HIGH);
      num(high);
      buf.writeBytes(LOW);
      num(low);
      buf.writeBytes(CLOSE);
      num(close);
      buf.writeBytes(VOLUME);
      num(volume);
      if (minutes) {
        buf.writeBytes(TRADES);
        if (trades >= 0) writeLong(trades);
        else buf.writeBytes(NULL);
        buf.writeBytes(ORIGIN);
        // Written unescaped: only a plain word goes out (the writers allow nothing else anyway).
        buf.writeCharSequence(
            origin != null && origin.chars().allMatch(ch -> ch >= 'a' && ch <= 'z')
                ? origin
                : "live",
            StandardCharsets.US_ASCII);
        buf.writeBytes(QUOTE);
      }
      buf.writeBytes(closed ? CLOSED : OPEN_CANDLE);
    }

    /** JSON has no NaN or Infinity; such a value (never expected from the store) is null. */
    private void num(double v) {
      if (Double.isFinite(v)) doubles.write(v, buf);
      else buf.writeBytes(NULL);
    }

    private void writeLong(long v) {
      if (v < 0) {
        if (v == Long.MIN_VALUE) {
          buf.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
          return;
        }
        buf.writeByte('-');
        v = -v;
      }
      int i = digits.length;
      do {
        digits[--i] = (byte) ('0' + (v % 10));
        v /= 10;
      } while (v != 0);
      buf.writeBytes(digits, i, digits.length - i);
    }

    void comma() {
      buf.writeByte(',');
    }

    /** Bytes in the buffer so far. */
    int position() {
      return buf.writerIndex();
    }

    @Override
    public void close() {}

    private static byte[] ascii(String s) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }
  }

  /**
   * TradingView UDF {@code /history}: parallel arrays (nothing added inside them, so the format
   * stays TradingView's); a partial answer says so beside them ({@code partial}, {@code
   * partialReason}).
   */
  static Buffer udfHistory(List<Bar> bars, String partialReason) {
    return write(
        64 + bars.size() * 120,
        g -> {
          g.writeStartObject();
          g.writeStringField("s", "ok");
          g.writeArrayFieldStart("t");
          for (Bar b : bars) g.writeNumber(b.time());
          g.writeEndArray();
          column(g, "o", bars, 0);
          column(g, "h", bars, 1);
          column(g, "l", bars, 2);
          column(g, "c", bars, 3);
          column(g, "v", bars, 4);
          if (partialReason != null) {
            g.writeBooleanField("partial", true);
            g.writeStringField("partialReason", partialReason);
          }
          g.writeEndObject();
        });
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static Buffer write(int sizeHint, Body body) {
    ByteBuf buf = Unpooled.buffer(sizeHint);
    try (JsonGenerator g =
        FACTORY.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return BufferInternal.buffer(buf);
  }

  private static void column(JsonGenerator g, String name, List<Bar> bars, int field)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (Bar b : bars) {
      double v =
          switch (field) {
            case 0 -> b.open();
            case 1 -> b.high();
            case 2 -> b.low();
            case 3 -> b.close();
            default -> b.volume();
          };
      if (Double.isFinite(v)) g.writeNumber(v);
      else g.writeNull();
    }
    g.writeEndArray();
  }
}
