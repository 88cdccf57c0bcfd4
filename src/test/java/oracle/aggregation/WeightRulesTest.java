package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 item 5: the quorum counts only sources that contribute to the price, and no source holds
 * more than {@code ingestion.maxWeightShare} of the weight.
 */
class WeightRulesTest {
  private static final long NOW = 1_764_068_430_000L;
  private static final String BTC = "BTC/USDT";
  private static final QuorumRule TWO = new QuorumRule(2, 0.01, Map.of());

  private static Quote q(String exchange, double price, double liquidity) {
    return new Quote(
        exchange, BTC, "USDT", price, Double.NaN, Double.NaN, NOW - 500, liquidity, Double.NaN);
  }

  private static Aggregator.Result run(Aggregator rules, Quote... quotes) {
    return rules.aggregate(BTC, List.of(quotes), Map.of(), List.of(), NOW);
  }

  private static Aggregator capped(double share, QuorumRule quorum) {
    return new Aggregator(10_000, 0.0005, quorum, share);
  }

  @Test
  void aTwoSourceQuorumWithAWeightlessSourceIsWithheld() {
    Aggregator rules = capped(0.5, TWO);
    for (double none : new double[] {0, Double.NaN, -5, Double.POSITIVE_INFINITY}) {
      Aggregator.Result r = run(rules, q("binance", 100, 5e9), q("uniswap", 100.2, none));
      assertThat(r.hasPrice()).as("weight %s", none).isFalse();
      assertThat(r.status()).isEqualTo(Aggregator.Status.NO_QUORUM);
      assertThat(r.used()).extracting(Aggregator.Used::exchange).containsExactly("binance");
      assertThat(r.dropped())
          .extracting(d -> d.exchange() + ":" + d.reason().label())
          .containsExactly("uniswap:no_weight");
    }
  }

  @Test
  void withoutAnyWeightEverySourceContributesToTheMedian() {
    Aggregator.Result r = run(capped(0.5, TWO), q("a", 100, 0), q("b", 100.2, Double.NaN));
    assertThat(r.status()).isEqualTo(Aggregator.Status.OK);
    assertThat(r.method()).isEqualTo("median");
    assertThat(r.price()).isCloseTo(100.1, within(1e-9));
    assertThat(r.weightCapped()).isFalse();
  }

  @Test
  void aThirdWeightedSourceKeepsTheQuorumAndTheWeightlessOneIsNamed() {
    Aggregator.Result r =
        run(capped(1, TWO), q("a", 100, 1e9), q("b", 100.2, 1e9), q("c", 100.1, 0));
    assertThat(r.status()).isEqualTo(Aggregator.Status.OK);
    assertThat(r.price()).isCloseTo(100.1, within(1e-9));
    assertThat(r.used()).extracting(Aggregator.Used::exchange).containsExactly("a", "b");
    assertThat(r.dropped())
        .extracting(Aggregator.Dropped::reason)
        .containsExactly(DropReason.NO_WEIGHT);
  }

  @Test
  void aNinetyPercentVenueIsCappedAtHalf() {
    Aggregator.Result uncapped = run(capped(1, TWO), q("big", 100, 9e9), q("small", 100.8, 1e9));
    assertThat(uncapped.price()).isCloseTo(100.08, within(1e-9));
    assertThat(uncapped.weightCapped()).isFalse();

    Aggregator.Result r = run(capped(0.5, TWO), q("big", 100, 9e9), q("small", 100.8, 1e9));
    assertThat(r.price()).as("each half").isCloseTo(100.4, within(1e-9));
    assertThat(r.weightCapped()).isTrue();
    assertThat(r.used())
        .extracting(Aggregator.Used::exchange, Aggregator.Used::weight, Aggregator.Used::capped)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("big", 1e9, true),
            org.assertj.core.api.Assertions.tuple("small", 1e9, false));
    assertThat(r.kept()).extracting(Aggregator.Candidate::weight).containsExactly(1e9, 1e9);
  }

  @Test
  void theExcessIsRedistributedUntilNoSourceIsAboveTheCap() {
    // 50/45/5 under a 40 % cap: 50 → 40, then 45 of the remaining 60 % is 54 % → 40, 5 → 20 %
    Aggregator.Result r = run(capped(0.4, TWO), q("a", 100, 50), q("b", 101, 45), q("c", 102, 5));
    assertThat(r.price()).isCloseTo(0.4 * 100 + 0.4 * 101 + 0.2 * 102, within(1e-9));
    assertThat(r.used()).extracting(Aggregator.Used::capped).containsExactly(true, true, false);
    assertThat(r.used().get(0).weight()).isCloseTo(10, within(1e-9));
    assertThat(r.used().get(1).weight()).isCloseTo(10, within(1e-9));
    assertThat(r.used().get(2).weight()).as("uncapped: as reported").isEqualTo(5.0);
  }

  @Test
  void sharesBelowTheCapAreLeftExactlyAsReported() {
    Aggregator.Result r =
        run(capped(0.5, TWO), q("a", 100, 40), q("b", 100.5, 35), q("c", 100.2, 25));
    assertThat(r.weightCapped()).isFalse();
    assertThat(r.used()).extracting(Aggregator.Used::weight).containsExactly(40.0, 35.0, 25.0);
    assertThat(r.price()).isEqualTo((100 * 40 + 100.5 * 35 + 100.2 * 25) / 100.0);
    assertThat(PriceJson.agreed(r)).doesNotContain("capped");
  }

  @Test
  void fewerSourcesThanTheCapAllowsGetEqualWeights() {
    // a 30 % cap needs four sources; three get a third each
    Aggregator.Result r = run(capped(0.3, TWO), q("a", 100, 70), q("b", 101, 20), q("c", 102, 10));
    assertThat(r.price()).isCloseTo(101, within(1e-9));
    assertThat(r.weightCapped()).isTrue();
    assertThat(r.used()).extracting(Aggregator.Used::capped).containsExactly(true, true, false);
    assertThat(r.used()).extracting(Aggregator.Used::weight).containsExactly(10.0, 10.0, 10.0);
  }

  @Test
  void equalWeightsTooFewForTheCapAreLeftAsTheyAre() {
    Aggregator.Result r = run(capped(0.3, TWO), q("a", 100, 10), q("b", 101, 10), q("c", 102, 10));
    assertThat(r.weightCapped()).as("nothing lowered").isFalse();
    assertThat(r.price()).isCloseTo(101, within(1e-9));
  }

  @Test
  void oneSourceAloneIsNeitherCappedNorChanged() {
    Aggregator.Result r = run(capped(0.5, QuorumRule.NONE), q("a", 100.25, 7));
    assertThat(r.price()).isEqualTo(100.25);
    assertThat(r.weightCapped()).isFalse();
  }

  @Test
  void theAnswerSaysWhenAndWhereTheCapApplied() {
    Aggregator.Result r = run(capped(0.5, TWO), q("big", 100, 9e9), q("small", 100.8, 1e9));
    String json = PriceJson.agreed(r);
    assertThat(json)
        .contains(
            "{\"exchange\":\"big\",\"price\":100.0,\"weight\":1.0E9,\"capped\":true,\"via\":\"poll\"}",
            "{\"exchange\":\"small\",\"price\":100.8,\"weight\":1.0E9,\"via\":\"poll\"}")
        .endsWith(",\"weightCapped\":true,\"status\":\"ok\",\"stale\":false}");
  }

  @Test
  void aPoolTheAdapterCouldNotReadIsNamedWithItsReason() {
    Quote unreadable =
        new Quote(
            "uniswap",
            BTC,
            "USDC",
            Double.NaN,
            Double.NaN,
            Double.NaN,
            NOW,
            Double.NaN,
            Double.NaN,
            DropReason.UNREADABLE);
    Aggregator.Result r =
        capped(0.5, TWO)
            .aggregate(
                BTC,
                List.of(q("a", 100, 1), q("b", 100.1, 1), unreadable),
                Map.of(),
                List.of(),
                NOW);
    assertThat(r.hasPrice()).isTrue();
    assertThat(r.dropped())
        .extracting(d -> d.exchange() + ":" + d.reason().label() + ":" + d.price())
        .containsExactly("uniswap:unreadable:NaN");
    assertThat(PriceJson.agreed(r))
        .contains("\"sourcesDropped\":[{\"exchange\":\"uniswap\",\"reason\":\"unreadable\"}]");
  }

  @Test
  void theRulesSayTheirCap() {
    assertThat(capped(0.25, TWO).maxWeightShare()).isEqualTo(0.25);
    assertThat(new Aggregator(10_000, 0.0005, TWO).maxWeightShare()).isEqualTo(1.0);
  }
}
