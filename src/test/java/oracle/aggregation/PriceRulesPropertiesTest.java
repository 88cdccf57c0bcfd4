package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oracle.exchange.Quote;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Property checks of the shared price rules over generated inputs: each repetition draws its inputs
 * from a random generator seeded with the repetition number, so a failure names a reproducible
 * case.
 */
class PriceRulesPropertiesTest {
  private static final long NOW = 1_764_068_430_000L;
  private final Aggregator rules =
      new Aggregator(10_000, 0.0005, new QuorumRule(2, 0.01, Map.of()));

  private static Quote q(int i, double price, double liquidity) {
    return new Quote(
        "s" + i, "BTC/USDT", "USDT", price, Double.NaN, Double.NaN, NOW, liquidity, Double.NaN);
  }

  /** A value in [min, max] rounded to six decimals. */
  private static double between(Random random, double min, double max) {
    return Math.round((min + random.nextDouble() * (max - min)) * 1e6) / 1e6;
  }

  /**
   * 1 to 7 prices; half the time clustered (so some lists pass the quorum), else spread over many
   * decades.
   */
  private static List<Double> prices(Random random) {
    int n = 1 + random.nextInt(7);
    double center = between(random, 0.01, 1e6);
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          random.nextBoolean()
              ? Math.max(0.0001, between(random, center * 0.99, center * 1.01))
              : between(random, 0.0001, 1e7));
    }
    return out;
  }

  @RepeatedTest(500)
  void aPublishedPriceHasAQuorumWithinTheBandAndLiesAmongTheUsedPrices(RepetitionInfo rep) {
    Random random = new Random(rep.getCurrentRepetition());
    List<Double> prices = prices(random);
    double liquidity = between(random, 0, 1e9);
    List<Quote> quotes = new ArrayList<>();
    for (int i = 0; i < prices.size(); i++)
      quotes.add(q(i, prices.get(i), i % 2 == 0 ? liquidity : 0));
    Aggregator.Result r = rules.aggregate("BTC/USDT", quotes, Map.of(), List.of(), NOW);
    if (!r.hasPrice()) {
      assertThat(r.status())
          .as("prices %s", prices)
          .isIn(Aggregator.Status.NO_QUORUM, Aggregator.Status.DIVERGED);
      return;
    }
    assertThat(r.used().size()).as("prices %s", prices).isGreaterThanOrEqualTo(2);
    double min = r.used().stream().mapToDouble(Aggregator.Used::price).min().orElseThrow();
    double max = r.used().stream().mapToDouble(Aggregator.Used::price).max().orElseThrow();
    assertThat(max - min)
        .as("prices %s", prices)
        .isLessThanOrEqualTo(0.0200001 * max); // all within ±1 % of one median
    assertThat(r.price()).isBetween(min * (1 - 1e-12), max * (1 + 1e-12));
    assertThat(r.confidence()).isBetween(0.0, (max - min) / 2 * (1 + 1e-9) + 1e-12);
  }

  /** Both within 1 % of their median means a ratio of at most 1.01 / 0.99 = 1.0202. */
  @RepeatedTest(300)
  void twoSourcesFurtherApartThanTheBandAllowsAreNeverBlended(RepetitionInfo rep) {
    Random random = new Random(rep.getCurrentRepetition());
    double a = between(random, 1, 1e6);
    double ratio = between(random, 1.0203, 5);
    Aggregator.Result r =
        rules.aggregate(
            "BTC/USDT", List.of(q(0, a, 1e6), q(1, a * ratio, 1e3)), Map.of(), List.of(), NOW);
    assertThat(r.hasPrice()).as("%s and %s", a, a * ratio).isFalse();
    assertThat(r.status()).isEqualTo(Aggregator.Status.DIVERGED);
  }

  @RepeatedTest(300)
  void identicalQuotesArePublishedExactly(RepetitionInfo rep) {
    Random random = new Random(rep.getCurrentRepetition());
    double price = between(random, 1e-6, 1e7);
    int n = 2 + random.nextInt(6);
    double liquidity = between(random, 0, 1e10);
    List<Quote> quotes = new ArrayList<>();
    for (int i = 0; i < n; i++) quotes.add(q(i, price, liquidity * (i + 1)));
    Aggregator.Result r = rules.aggregate("BTC/USDT", quotes, Map.of(), List.of(), NOW);
    assertThat(r.price()).isEqualTo(price);
    assertThat(r.confidence()).isZero();
  }

  @RepeatedTest(300)
  void weightedQuantileIsMonotoneAndWithinRange(RepetitionInfo rep) {
    Random random = new Random(rep.getCurrentRepetition());
    List<Double> values = prices(random);
    double q1 = random.nextDouble();
    double q2 = random.nextDouble();
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    double[] w = new double[v.length];
    for (int i = 0; i < w.length; i++) w[i] = i + 1;
    double a = RobustStats.weightedQuantile(v, w, Math.min(q1, q2));
    double b = RobustStats.weightedQuantile(v, w, Math.max(q1, q2));
    assertThat(a).isLessThanOrEqualTo(b * (1 + 1e-12));
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertThat(a).isBetween(min * (1 - 1e-12), max * (1 + 1e-12));
  }
}
