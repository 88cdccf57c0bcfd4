package oracle.aggregation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import oracle.exchange.Quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Property-based checks of the shared price rules (jqwik). */
class PriceRulesPropertiesTest {
  private static final long NOW = 1_764_068_430_000L;
  private final Aggregator rules = new Aggregator(10_000, 0.0005, new QuorumRule(2, 0.01, Map.of()));

  private static Quote q(int i, double price, double liquidity) {
    return new Quote("s" + i, "BTC/USDT", "USDT", price, Double.NaN, Double.NaN, NOW, liquidity, Double.NaN);
  }

  @Provide
  Arbitrary<List<Double>> prices() {
    return Arbitraries.doubles().between(0.0001, 1e7).ofScale(6).list().ofMinSize(1).ofMaxSize(7);
  }

  @Property(tries = 500)
  void aPublishedPriceHasAQuorumWithinTheBandAndLiesAmongTheUsedPrices(@ForAll("prices") List<Double> prices,
                                                                       @ForAll @Scale(6) @DoubleRange(min = 0, max = 1e9) double liquidity) {
    List<Quote> quotes = new ArrayList<>();
    for (int i = 0; i < prices.size(); i++) quotes.add(q(i, prices.get(i), i % 2 == 0 ? liquidity : 0));
    Aggregator.Result r = rules.aggregate("BTC/USDT", quotes, Map.of(), List.of(), NOW);
    if (!r.hasPrice()) {
      assertThat(r.status()).isIn(Aggregator.Status.NO_QUORUM, Aggregator.Status.DIVERGED);
      return;
    }
    assertThat(r.used().size()).isGreaterThanOrEqualTo(2);
    double min = r.used().stream().mapToDouble(Aggregator.Used::price).min().orElseThrow();
    double max = r.used().stream().mapToDouble(Aggregator.Used::price).max().orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(0.0200001 * max); // all within ±1 % of one median
    assertThat(r.price()).isBetween(min * (1 - 1e-12), max * (1 + 1e-12));
    assertThat(r.confidence()).isBetween(0.0, (max - min) / 2 * (1 + 1e-9) + 1e-12);
  }

  /** Both within 1 % of their median means a ratio of at most 1.01 / 0.99 = 1.0202. */
  @Property(tries = 300)
  void twoSourcesFurtherApartThanTheBandAllowsAreNeverBlended(@ForAll @Scale(6) @DoubleRange(min = 1, max = 1e6) double a,
                                                          @ForAll @Scale(6) @DoubleRange(min = 1.0203, max = 5) double ratio) {
    Aggregator.Result r = rules.aggregate("BTC/USDT", List.of(q(0, a, 1e6), q(1, a * ratio, 1e3)), Map.of(), List.of(), NOW);
    assertThat(r.hasPrice()).isFalse();
    assertThat(r.status()).isEqualTo(Aggregator.Status.DIVERGED);
  }

  @Property(tries = 300)
  void identicalQuotesArePublishedExactly(@ForAll @Scale(6) @DoubleRange(min = 1e-6, max = 1e7) double price,
                                          @ForAll @IntRange(min = 2, max = 7) int n,
                                          @ForAll @Scale(6) @DoubleRange(min = 0, max = 1e10) double liquidity) {
    List<Quote> quotes = new ArrayList<>();
    for (int i = 0; i < n; i++) quotes.add(q(i, price, liquidity * (i + 1)));
    Aggregator.Result r = rules.aggregate("BTC/USDT", quotes, Map.of(), List.of(), NOW);
    assertThat(r.price()).isEqualTo(price);
    assertThat(r.confidence()).isZero();
  }

  @Property(tries = 300)
  void weightedQuantileIsMonotoneAndWithinRange(@ForAll("prices") List<Double> values, @ForAll @Scale(6) @DoubleRange(min = 0, max = 1) double q1,
                                                @ForAll @Scale(6) @DoubleRange(min = 0, max = 1) double q2) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    double[] w = new double[v.length];
    for (int i = 0; i < w.length; i++) w[i] = i + 1;
    double lo = Math.min(q1, q2);
    double hi = Math.max(q1, q2);
    double a = RobustStats.weightedQuantile(v, w, lo);
    double b = RobustStats.weightedQuantile(v, w, hi);
    assertThat(a).isLessThanOrEqualTo(b * (1 + 1e-12));
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertThat(a).isBetween(min * (1 - 1e-12), max * (1 + 1e-12));
  }
}
