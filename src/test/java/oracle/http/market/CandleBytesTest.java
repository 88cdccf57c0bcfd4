package oracle.http.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written candle JSON is byte for byte what Jackson's generator with its fast double
 * writer wrote before (the format clients and the cached blocks rely on).
 */
class CandleBytesTest {
  private static String viaDoubleBytes(double v) {
    ByteBuf buf = Unpooled.buffer();
    new DoubleBytes().write(v, buf);
    return buf.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void everyDoubleIsSpelledAsJacksonSpellsIt() {
    DoubleBytes writer = new DoubleBytes(); // one instance reused, as a response does
    ByteBuf buf = Unpooled.buffer();
    Random random = new Random(14);
    double[] fixed = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      0.1,
      0.001,
      0.0001,
      1e-3,
      9.999e-4,
      1e7,
      9_999_999.0,
      1.0E7,
      1.2345678e7,
      123.456,
      100.0,
      1e22,
      1e23,
      2e-323,
      Double.MIN_VALUE,
      Double.MIN_NORMAL,
      Double.MAX_VALUE,
      4.9e-324,
      1.7976931348623157e308,
      2.2250738585072014e-308,
      5e-324 * 3,
      0.3,
      2.0 / 3,
      67_000.12345678901,
      1 << 30,
      (double) (1L << 53),
      9_007_199_254_740_993.0,
      1.001 * 100.0
    };
    for (double v : fixed) {
      assertThat(viaDoubleBytes(v)).as("%s", v).isEqualTo(DoubleToDecimal.toString(v));
      assertThat(viaDoubleBytes(-v)).as("%s", -v).isEqualTo(DoubleToDecimal.toString(-v));
    }
    for (int i = 0; i < 2_000_000; i++) {
      double v =
          switch (i % 4) {
            case 0 -> Double.longBitsToDouble(random.nextLong()); // any finite bit pattern
            case 1 -> random.nextDouble() * 100_000; // prices
            case 2 -> Math.round(random.nextDouble() * 1e8) / 1e4; // prices with few decimals
            default -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
          };
      if (!Double.isFinite(v)) continue;
      buf.clear();
      writer.write(v, buf);
      String mine = buf.toString(StandardCharsets.US_ASCII);
      String jackson = DoubleToDecimal.toString(v);
      if (!mine.equals(jackson)) assertThat(mine).as("%s", v).isEqualTo(jackson);
    }
  }

  @Test
  void nonFiniteValuesAreRefused() {
    assertThatThrownBy(() -> viaDoubleBytes(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> viaDoubleBytes(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** What CandleJson's writer produced with Jackson's generator before it wrote bytes by hand. */
  private static String jacksonCandles(Bar[] bars, boolean[] closed) throws Exception {
    JsonFactory factory =
        JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.setRootValueSeparator(null);
      for (int i = 0; i < bars.length; i++) {
        if (i > 0) g.writeRaw(',');
        Bar b = bars[i];
        g.writeStartObject();
        g.writeNumberField("time", b.time());
        for (String name : new String[] {"open", "high", "low", "close", "volume"}) {
          double v =
              switch (name) {
                case "open" -> b.open();
                case "high" -> b.high();
                case "low" -> b.low();
                case "close" -> b.close();
                default -> b.volume();
              };
          if (Double.isFinite(v)) g.writeNumberField(name, v);
          else g.writeNullField(name);
        }
        g.writeBooleanField("closed", closed[i]);
        g.writeEndObject();
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void candlesAreWrittenAsJacksonWroteThem() throws Exception {
    Random random = new Random(7);
    int n = 5_000;
    Bar[] bars = new Bar[n];
    boolean[] closed = new boolean[n];
    for (int i = 0; i < n; i++) {
      double p = random.nextDouble() * 70_000;
      bars[i] =
          new Bar(
              switch (i % 50) {
                case 0 -> 0L;
                case 1 -> -86_400L; // before the epoch: a sign
                case 2 -> Long.MAX_VALUE;
                case 3 -> Long.MIN_VALUE;
                default -> 1_700_000_000L + i * 60L;
              },
              p,
              i % 97 == 0 ? Double.NaN : p * 1.001,
              i % 89 == 0 ? Double.NEGATIVE_INFINITY : p * 0.999,
              i % 83 == 0 ? Double.POSITIVE_INFINITY : p * (1 + 0.0004 * Math.sin(i)),
              i % 7 == 0 ? 0.0 : 1 + (i % 97));
      closed[i] = i % 3 != 0;
    }
    ByteBuf buf = Unpooled.buffer();
    CandleJson.CandleWriter writer = new CandleJson.CandleWriter(buf);
    for (int i = 0; i < n; i++) {
      if (i > 0) writer.comma();
      writer.candle(bars[i], closed[i]);
    }
    assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo(jacksonCandles(bars, closed));
  }
}
