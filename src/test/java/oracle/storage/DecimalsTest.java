package oracle.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast decimal text of a double equals Double.toString's value, and its text where JDK 17's is
 * shortest.
 */
class DecimalsTest {
  @Test
  void usualPricesAndVolumesReadLikeDoubleToString() {
    for (double d :
        new double[] {
          0,
          1,
          -1,
          100,
          100.5,
          0.1,
          0.3,
          0.001,
          0.0015,
          12.25,
          99999.99,
          1234567.125,
          -42.75,
          0.30000000000000004,
          1e-4,
          1e7,
          1e21,
          3.14159265358979,
          65432.1,
          0.12345678
        }) {
      assertThat(Decimals.text(d)).as("%s", d).isEqualTo(Double.toString(d));
      assertThat(Decimals.decimal(d)).as("%s", d).isEqualTo(new BigDecimal(Decimals.text(d)));
    }
  }

  @Test
  void everyTextReadsBackAsTheSameDouble() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      double d =
          switch (i % 4) {
            case 0 -> Math.round(random.nextDouble() * 1e8) / 100.0; // cents
            case 1 -> Math.round(random.nextDouble() * 1e9) / 1e6;
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-6, 9));
            default -> -random.nextDouble() * 1000;
          };
      String text = Decimals.text(d);
      assertThat(Double.parseDouble(text)).as(text).isEqualTo(d);
      // Same value and scale as the text (BigDecimal.equals compares both).
      assertThat(Decimals.decimal(d)).as(text).isEqualTo(new BigDecimal(text));
      assertThat(new BigDecimal(text).compareTo(new BigDecimal(Double.toString(d))))
          .as("%s vs %s", text, Double.toString(d))
          .isZero();
    }
  }
}
