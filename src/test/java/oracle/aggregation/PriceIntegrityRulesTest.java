package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import org.junit.jupiter.api.Test;

/**
 * The price-integrity rules of issue 12: quorum, divergence, confidence, exact single source,
 * frozen and manipulated feeds.
 */
class PriceIntegrityRulesTest {
  private static final long NOW = 1_764_068_430_000L;
  private static final String BTC = "BTC/USDT";
  private final Aggregator rules =
      new Aggregator(10_000, 0.0005, new QuorumRule(2, 0.01, Map.of("SOLO/USDT", 1)));

  private static Quote q(String exchange, double price, double liquidity) {
    return new Quote(
        exchange, BTC, "USDT", price, Double.NaN, Double.NaN, NOW - 500, liquidity, Double.NaN);
  }

  private Aggregator.Result run(Quote... quotes) {
    return rules.aggregate(BTC, List.of(quotes), Map.of(), List.of(), NOW);
  }

  @Test
  void twoSourcesFarApartAreNotBlendedButWithheldAsDiverged() {
    Aggregator.Result r = run(q("binance", 60_000, 5e9), q("glitch", 120_000, 1e9));
    assertThat(r.hasPrice()).isFalse();
    assertThat(r.status()).isEqualTo(Aggregator.Status.DIVERGED);
    assertThat(r.dropped())
        .extracting(d -> d.exchange() + ":" + d.reason().label())
        .containsExactlyInAnyOrder("binance:diverged", "glitch:diverged");
    assertThat(PriceJson.withheldTail(r))
        .startsWith("\"status\":\"diverged\",\"stale\":true,")
        .contains("\"exchange\":\"binance\"")
        .contains("\"exchange\":\"glitch\"");
  }

  @Test
  void oneSourceIsNoQuorumUnlessTheSymbolOptsIn() {
    Aggregator.Result r = run(q("binance", 60_000, 5e9));
    assertThat(r.status()).isEqualTo(Aggregator.Status.NO_QUORUM);
    assertThat(r.used()).extracting(Aggregator.Used::exchange).containsExactly("binance");
    assertThat(PriceJson.withheldTail(r)).contains("\"status\":\"no_quorum\"").contains("binance");

    Quote solo =
        new Quote(
            "kraken", "SOLO/USDT", "USDT", 1.2345, Double.NaN, Double.NaN, NOW, 0, Double.NaN);
    Aggregator.Result s = rules.aggregate("SOLO/USDT", List.of(solo), Map.of(), List.of(), NOW);
    assertThat(s.status()).isEqualTo(Aggregator.Status.OK);
    assertThat(s.price()).isEqualTo(1.2345);
    assertThat(new JsonObject(PriceJson.agreed(s)).getInteger("minSources"))
        .isEqualTo(1); // every answer says so
    assertThat(
            new JsonObject(PriceJson.agreed(run(q("a", 100, 0), q("b", 100.5, 0))))
                .getInteger("minSources"))
        .isEqualTo(2);
  }

  @Test
  void twoSourcesWithinTheBandAgreeAndTheOddOneOfManyIsDroppedAsDiverged() {
    Aggregator.Result two = run(q("a", 100, 0), q("b", 101.5, 0)); // each 0.75 % from their median
    assertThat(two.status()).isEqualTo(Aggregator.Status.OK);
    assertThat(two.price()).isEqualTo(100.75);
    // inside the outlier fence ([96.5, 103.5] for this wide spread) but 2 % from the median 100:
    // out of the quorum
    Aggregator.Result many = run(q("a", 98, 0), q("b", 99.5, 0), q("c", 100.5, 0), q("e", 102, 0));
    assertThat(many.status()).isEqualTo(Aggregator.Status.OK);
    assertThat(many.dropped())
        .extracting(d -> d.exchange() + ":" + d.reason().label())
        .containsExactlyInAnyOrder("a:diverged", "e:diverged");
    assertThat(many.price()).isEqualTo(100);
  }

  @Test
  void outliersRemovedByTheFenceDoNotCountTowardsTheQuorum() {
    Aggregator.Result r = run(q("a", 100, 0), q("b", 100.1, 0), q("c", 1_000, 0));
    assertThat(r.status()).isEqualTo(Aggregator.Status.OK);
    assertThat(r.used()).hasSize(2);
    Aggregator strict = new Aggregator(10_000, 0.0005, new QuorumRule(3, 0.01, Map.of()));
    Aggregator.Result s =
        strict.aggregate(
            BTC,
            List.of(q("a", 100, 0), q("b", 100.1, 0), q("c", 1_000, 0)),
            Map.of(),
            List.of(),
            NOW);
    assertThat(s.status()).isEqualTo(Aggregator.Status.NO_QUORUM);
  }

  @Test
  void aSingleRemainingSourceIsPublishedExactlyAsQuoted() {
    Aggregator solo = new Aggregator(10_000, 0.0005, QuorumRule.NONE);
    Aggregator.Result r =
        solo.aggregate(BTC, List.of(q("binance", 60_685.22, 7)), Map.of(), List.of(), NOW);
    assertThat(r.price()).isEqualTo(60_685.22);
    assertThat(Double.toString(r.price())).isEqualTo("60685.22");
    // the weighted mean of one value is 60685.22000000001 for this weight
    assertThat(RobustStats.weightedMeanOrMedian(new double[] {60_685.22}, new double[] {7}))
        .isNotEqualTo(60_685.22);
    Aggregator.Result same = run(q("a", 60_685.22, 3.3e9), q("b", 60_685.22, 1.7e9));
    assertThat(same.price()).isEqualTo(60_685.22);
  }

  @Test
  void confidenceIsTheWeightedInterquartileHalfRangeAtLeastTheNarrowestHalfSpread() {
    Aggregator.Result r = run(q("a", 100, 1), q("b", 100.2, 1), q("c", 100.4, 1), q("d", 100.6, 1));
    // equal weights at 1/8, 3/8, 5/8, 7/8: Q1 = 100.1, Q3 = 100.5
    assertThat(r.confidence()).isCloseTo(0.2, within(1e-9));
    Aggregator.Result heavy =
        run(q("a", 100, 1), q("b", 100.2, 1), q("c", 100.4, 1), q("d", 100.6, 5));
    assertThat(heavy.confidence())
        .isLessThan(r.confidence()); // the weight pulls both quartiles towards d
    Quote tight = new Quote("kraken", BTC, "USDT", 100, 99.9, 100.1, NOW, 0, Double.NaN);
    Quote wide = new Quote("okx", BTC, "USDT", 100, 99.5, 100.5, NOW, 0, Double.NaN);
    Aggregator.Result spread = run(tight, wide);
    assertThat(spread.confidence()).isCloseTo(0.1, within(1e-9));
    assertThat(new JsonObject(PriceJson.agreed(spread)).getDouble("confidence"))
        .isCloseTo(0.1, within(1e-9));
  }

  @Test
  void aPoolTheAdapterFoundManipulatedIsDroppedWithThatReason() {
    Quote pool =
        new Quote(
            "uniswap",
            BTC,
            "USDT",
            100,
            Double.NaN,
            Double.NaN,
            NOW,
            1e6,
            Double.NaN,
            DropReason.MANIPULATED);
    Aggregator.Result r = run(q("a", 100, 0), q("b", 100.1, 0), pool);
    assertThat(r.dropped())
        .extracting(d -> d.exchange() + ":" + d.reason().label())
        .containsExactly("uniswap:manipulated");
    assertThat(r.used()).hasSize(2);
  }

  @Test
  void aFeedThatStopsMovingWhileTheOthersMoveIsDroppedAsFrozen() {
    FrozenFeeds frozen = new FrozenFeeds();
    List<String> verdicts = new ArrayList<>();
    for (int s = 0; s <= 12; s++) {
      long now = NOW + s * 1_000L;
      double market = 100 * (1 + 0.0002 * s); // the market moves 0.02 % a second
      List<Quote> quotes =
          List.of(
              new Quote(
                  "binance",
                  BTC,
                  "USDT",
                  market * 1.002,
                  Double.NaN,
                  Double.NaN,
                  now,
                  0,
                  Double.NaN),
              new Quote(
                  "okx", BTC, "USDT", market * 0.999, Double.NaN, Double.NaN, now, 0, Double.NaN),
              new Quote(
                  "bybit",
                  BTC,
                  "USDT",
                  market * 1.0005,
                  Double.NaN,
                  Double.NaN,
                  now,
                  0,
                  Double.NaN),
              new Quote(
                  "kraken",
                  BTC,
                  "USDT",
                  100,
                  Double.NaN,
                  Double.NaN,
                  now,
                  0,
                  Double.NaN)); // stuck, fresh receive time
      Aggregator.Result r = rules.aggregate(BTC, quotes, Map.of(), List.of(), now, frozen);
      verdicts.add(
          r.dropped().stream()
              .filter(d -> d.reason() == DropReason.FROZEN)
              .map(Aggregator.Dropped::exchange)
              .findFirst()
              .orElse("-"));
    }
    // within the staleness window (10 s) nothing is called frozen; from then on kraken is
    assertThat(verdicts.subList(0, 10)).containsOnly("-");
    assertThat(verdicts.subList(10, 13)).containsOnly("kraken");
  }

  @Test
  void aGlitchOfTheOnlyOtherSourceDoesNotMakeTheSteadyOneFrozen() {
    FrozenFeeds frozen = new FrozenFeeds();
    Aggregator.Result r = null;
    for (int s = 0; s <= 15; s++) {
      long now = NOW + s * 1_000L;
      r =
          rules.aggregate(
              BTC,
              List.of(
                  new Quote(
                      "binance", BTC, "USDT", 60_000, Double.NaN, Double.NaN, now, 0, Double.NaN),
                  new Quote(
                      "glitch",
                      BTC,
                      "USDT",
                      s < 3 ? 60_000 : 120_000 + s,
                      Double.NaN,
                      Double.NaN,
                      now,
                      0,
                      Double.NaN)),
              Map.of(),
              List.of(),
              now,
              frozen);
    }
    assertThat(r.status()).isEqualTo(Aggregator.Status.DIVERGED);
    assertThat(r.dropped())
        .extracting(Aggregator.Dropped::reason)
        .containsOnly(DropReason.DIVERGED);
  }

  @Test
  void anUnchangedFeedInAQuietMarketIsNotFrozen() {
    FrozenFeeds frozen = new FrozenFeeds();
    Aggregator.Result r = null;
    for (int s = 0; s <= 20; s++) {
      long now = NOW + s * 1_000L;
      r =
          rules.aggregate(
              BTC,
              List.of(
                  new Quote(
                      "binance",
                      BTC,
                      "USDT",
                      100 + (s % 2) * 0.01,
                      Double.NaN,
                      Double.NaN,
                      now,
                      0,
                      Double.NaN),
                  new Quote(
                      "kraken", BTC, "USDT", 100, Double.NaN, Double.NaN, now, 0, Double.NaN)),
              Map.of(),
              List.of(),
              now,
              frozen);
    }
    assertThat(r.dropped()).isEmpty();
    assertThat(r.status()).isEqualTo(Aggregator.Status.OK);
  }

  @Test
  void agreedJsonEndsWithStatusSoAWithheldTickCanReplaceIt() {
    String j = PriceJson.agreed(run(q("a", 100, 0), q("b", 100.2, 0)));
    assertThat(j).endsWith(",\"status\":\"ok\",\"stale\":false}");
    assertThat(j.indexOf(",\"status\":")).isEqualTo(j.lastIndexOf(",\"status\":"));
  }
}
