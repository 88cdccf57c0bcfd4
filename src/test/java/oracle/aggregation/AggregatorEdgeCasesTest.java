package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import oracle.common.Candle;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import org.junit.jupiter.api.Test;

/** What the price rules do with inputs an exchange should never send but sometimes does. */
class AggregatorEdgeCasesTest {
  private static final long NOW = 1_764_068_430_000L;
  private final Aggregator rules = new Aggregator(10_000, 0.0005);

  private static Quote q(
      String exchange,
      double price,
      double bid,
      double ask,
      double liquidity,
      double minuteVolume) {
    return new Quote(
        exchange, "BTC/USDT", "USDT", price, bid, ask, NOW - 100, liquidity, minuteVolume);
  }

  @Test
  void anInfinitePriceIsInvalidAndNeverReachesTheAverage() {
    Aggregator.Result r =
        rules.aggregate(
            "BTC/USDT",
            List.of(
                q("binance", 100, Double.NaN, Double.NaN, 1, Double.NaN),
                q("okx", 100.02, Double.NaN, Double.NaN, 1, Double.NaN),
                q("bybit", Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, 1, Double.NaN)),
            Map.of(),
            List.of(),
            NOW);
    assertThat(r.dropped())
        .extracting(Aggregator.Dropped::exchange, Aggregator.Dropped::reason)
        .containsExactly(tuple("bybit", DropReason.INVALID_PRICE));
    assertThat(r.price()).isBetween(100.0, 100.02);
  }

  @Test
  void anInfiniteLiquidityGivesNoWeightSoTheMedianDecides() {
    Aggregator.Result r =
        rules.aggregate(
            "BTC/USDT",
            List.of(
                q("binance", 100, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN),
                q("okx", 100.04, Double.NaN, Double.NaN, Double.NaN, Double.NaN)),
            Map.of(),
            List.of(),
            NOW);
    assertThat(r.method()).isEqualTo("median");
    assertThat(r.price()).isEqualTo(100.02, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void aCrossedBookGivesNoSpreadAndBadMinuteVolumesAreLeftOut() {
    Aggregator.Result r =
        rules.aggregate(
            "BTC/USDT",
            List.of(
                q("binance", 100, 100.5, 99.5, 1, 2.5), // bid above ask: no spread from it
                q("okx", 100, Double.NaN, Double.NaN, 1, -1), // a negative volume is no volume
                q("bybit", 100, Double.NaN, Double.NaN, 1, Double.POSITIVE_INFINITY)),
            Map.of(),
            List.of(),
            NOW);
    assertThat(r.price()).isEqualTo(100.0);
    assertThat(r.confidence()).isZero();
    assertThat(r.volume()).as("only binance's volume counts").isEqualTo(2.5);
  }

  @Test
  void aZeroOrInfiniteConversionRateIsNoRate() {
    Quote krw =
        new Quote(
            "upbit",
            "BTC/USDT",
            "KRW",
            140_000_000,
            Double.NaN,
            Double.NaN,
            NOW - 100,
            1,
            Double.NaN);
    for (double bad : new double[] {0, Double.POSITIVE_INFINITY}) {
      Map<String, Aggregator.Rate> rates = Map.of("USDT/KRW", new Aggregator.Rate(bad, NOW));
      assertThat(rules.conversion("USDT", "KRW", rates, NOW)).isNaN();
      Aggregator.Result r = rules.aggregate("BTC/USDT", List.of(krw), rates, List.of(), NOW);
      assertThat(r.dropped())
          .extracting(Aggregator.Dropped::reason)
          .containsExactly(DropReason.NO_CONVERSION);
      assertThat(r.hasPrice()).isFalse();
    }
    Map<String, Aggregator.Rate> good = Map.of("USDT/KRW", new Aggregator.Rate(1_400, NOW));
    assertThat(rules.conversion("USDT", "KRW", good, NOW)).isEqualTo(1.0 / 1_400);
    assertThat(rules.conversion("KRW", "USDT", good, NOW)).isEqualTo(1_400);
  }

  @Test
  void statsIgnoreNonFiniteWeightsAndAZeroMeanHasNoDispersion() {
    assertThat(
            RobustStats.weightedMeanOrMedian(
                new double[] {10, 20}, new double[] {Double.POSITIVE_INFINITY, Double.NaN}))
        .as("no usable weight: the median")
        .isEqualTo(15.0);
    assertThat(
            RobustStats.weightedQuantile(
                new double[] {10, 20, 30},
                new double[] {Double.NaN, Double.POSITIVE_INFINITY, -1},
                0.5))
        .as("no usable weight: every value counts once")
        .isEqualTo(20.0);
    assertThat(
            RobustStats.weightedQuantile(
                new double[] {10, 20, 30}, new double[] {1, Double.POSITIVE_INFINITY, 1}, 0.0))
        .isEqualTo(10.0);
    assertThat(RobustStats.dispersion(new double[] {0, 0})).isZero();
    assertThat(RobustStats.allEqual(new double[] {})).as("no values: nothing to publish").isFalse();
  }

  @Test
  void aWithheldCandleWithoutAnyAgreedPriceSaysSoAndKeepsOnlyWellFormedFields() {
    Aggregator.Result none = rules.aggregate("BTC/USDT", List.of(), Map.of(), List.of(), NOW);
    assertThat(none.hasPrice()).isFalse();
    Candle candle = new Candle("BTC/USDT", NOW / 60_000 * 60, 1, 1, 1, 1, 0, NOW, 0);
    JsonObject first =
        new JsonObject(PriceJson.withheldCandle(candle, none, PriceJson.Kept.read("")));
    assertThat(first.getBoolean("stale")).isTrue();
    assertThat(first.getString("status")).isEqualTo(none.status().label());
    assertThat(first.getValue("confidence")).isNull();
    assertThat(first.getValue("statusSources")).isNull();
    JsonObject kept =
        new JsonObject()
            .put("confidence", "wide")
            .put("statusSources", new JsonArray().add("binance"));
    PriceJson.Kept read = PriceJson.Kept.read(kept.encode());
    JsonObject later = new JsonObject(PriceJson.withheldCandle(candle, none, read));
    assertThat(later.getValue("confidence")).as("not a number: left out").isNull();
    assertThat(later.getJsonArray("statusSources")).containsExactly("binance");
  }
}
