package oracle.http.market;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** UDF pricescale from the price: 5 significant digits, 2 to 12 decimals, 8 without a price. */
class PriceScaleTest {
  @Test
  void theScaleFollowsThePricesMagnitude() {
    assertThat(PriceScale.of(100_000)).isEqualTo(100); // BTC: cents
    assertThat(PriceScale.of(3_456.78)).isEqualTo(100);
    assertThat(PriceScale.of(150.25)).isEqualTo(100);
    assertThat(PriceScale.of(12.345)).isEqualTo(1_000);
    assertThat(PriceScale.of(1.2345)).isEqualTo(10_000);
    assertThat(PriceScale.of(0.5)).isEqualTo(100_000);
    assertThat(PriceScale.of(0.00001234)).isEqualTo(1_000_000_000L);
    assertThat(PriceScale.of(1e-20)).isEqualTo(1_000_000_000_000L); // bounded at 12 decimals
  }

  @Test
  void withoutAUsablePriceTheOldEightDecimalsStay() {
    assertThat(PriceScale.of(Double.NaN)).isEqualTo(100_000_000);
    assertThat(PriceScale.of(0)).isEqualTo(100_000_000);
    assertThat(PriceScale.of(-3)).isEqualTo(100_000_000);
    assertThat(PriceScale.of(Double.POSITIVE_INFINITY)).isEqualTo(100_000_000);
  }
}
