package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.Quote;
import org.junit.jupiter.api.Test;

class AggregatorTest {
  private static final long NOW = 1_764_068_430_000L;
  private final Aggregator aggregator = new Aggregator(10_000, 0.0005);

  private static Quote q(String exchange, double price, double liquidity) {
    return new Quote(
        exchange,
        "BTC/USDT",
        "USDT",
        price,
        Double.NaN,
        Double.NaN,
        NOW - 500,
        liquidity,
        Double.NaN);
  }

  private Aggregator.Result run(List<Quote> quotes) {
    return aggregator.aggregate("BTC/USDT", quotes, Map.of(), List.of(), NOW);
  }

  @Test
  void aQuoteDatedFarInTheFutureIsDroppedAndAFutureRateNeverBlocksANewerOne() {
    Aggregator rules = new Aggregator(10_000, 0.0005);
    Quote ahead =
        new Quote(
            "okx",
            "BTC/USDT",
            "USDT",
            100.05,
            Double.NaN,
            Double.NaN,
            NOW + 3_600_000,
            1,
            Double.NaN);
    Aggregator.Result r =
        rules.aggregate(
            "BTC/USDT",
            List.of(q("binance", 100, 1), q("kraken", 100.1, 1), ahead),
            Map.of(),
            List.of(),
            NOW);
    assertThat(r.dropped())
        .extracting(Aggregator.Dropped::exchange, Aggregator.Dropped::reason)
        .contains(tuple("okx", DropReason.STALE));

    Aggregator.Rate fromTheFuture = Aggregator.Rate.asOf(1_400, NOW + 3_600_000, NOW);
    assertThat(fromTheFuture.timestampMs()).as("dated no later than the tick").isEqualTo(NOW);
    Aggregator.Rate next = Aggregator.Rate.asOf(1_401, NOW + 1_000 - 10, NOW + 1_000);
    assertThat(next.timestampMs()).isGreaterThan(fromTheFuture.timestampMs());
  }

  @Test
  void vwapWeightsByLiquidity() {
    Aggregator.Result r =
        run(List.of(q("binance", 100, 3_000), q("okx", 102, 1_000), q("bybit", 101, 1_000)));
    assertThat(r.method()).isEqualTo("vwap");
    assertThat(r.price())
        .isCloseTo((100 * 3_000 + 102 * 1_000 + 101 * 1_000) / 5_000.0, within(1e-9));
    assertThat(r.used()).hasSize(3);
    assertThat(r.dropped()).isEmpty();
    assertThat(r.timestampMs()).isEqualTo(NOW);
  }

  @Test
  void medianWhenNoSourceHasVolume() {
    Aggregator.Result r =
        run(
            List.of(
                q("binance", 100, Double.NaN),
                q("okx", 103, 0),
                q("bybit", 101, Double.NaN),
                q("kraken", 102, 0)));
    assertThat(r.method()).isEqualTo("median");
    assertThat(r.price()).isEqualTo(101.5);
  }

  @Test
  void iqrDropsTheOutlierAndKeepsThePrice() {
    Aggregator.Result r =
        run(
            List.of(
                q("binance", 1_000, 1_000),
                q("okx", 100, 1_000),
                q("bybit", 100.1, 1_000),
                q("kraken", 99.9, 1_000),
                q("coinbase", 100.05, 1_000),
                q("upbit", 99.95, 1_000)));
    assertThat(r.dropped())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.exchange()).isEqualTo("binance");
              assertThat(d.reason()).isEqualTo(DropReason.OUTLIER);
            });
    assertThat(r.price()).isCloseTo(100.0, within(1e-9));
    assertThat(r.used()).extracting(Aggregator.Used::exchange).doesNotContain("binance");
  }

  @Test
  void iqrFenceUsesQuartilesWithLinearInterpolation() {
    // sorted 10, 11, 12, 13, 30: Q1 = 11, Q3 = 13, IQR = 2, fence [8, 16] → 30 is out, 10..13 stay.
    Aggregator.Result r =
        run(List.of(q("a", 10, 0), q("b", 11, 0), q("c", 12, 0), q("d", 13, 0), q("e", 30, 0)));
    assertThat(r.dropped()).extracting(Aggregator.Dropped::exchange).containsExactly("e");
    assertThat(r.price()).isEqualTo(11.5);
  }

  @Test
  void oneBadSourceOfThreeIsDroppedThoughAnIqrFenceWouldKeepIt() {
    double[] three = {100, 100.1, 1_000};
    assertThat(RobustStats.iqrFence(three, RobustStats.DEFAULT_MIN_BAND).contains(1_000))
        .isTrue(); // why IQR is not enough
    Aggregator.Result r =
        run(List.of(q("binance", 100, 1_000), q("okx", 100.1, 1_000), q("bybit", 1_000, 1_000)));
    assertThat(r.dropped())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.exchange()).isEqualTo("bybit");
              assertThat(d.reason()).isEqualTo(DropReason.OUTLIER);
            });
    assertThat(r.price()).isCloseTo(100.05, within(1e-9));
  }

  @Test
  void threeSourcesWithAnOrdinarySpreadAreAllKept() {
    // median 101, deviations 0, 1, 2: MAD 1, fence 101 ± 4.45
    Aggregator.Result r = run(List.of(q("a", 100, 0), q("b", 101, 0), q("c", 103, 0)));
    assertThat(r.dropped()).isEmpty();
    assertThat(r.price()).isEqualTo(101);
  }

  @Test
  void identicalPricesDoNotTurnARoundingStepIntoAnOutlier() {
    Aggregator.Result r =
        run(
            List.of(
                q("a", 100, 0), q("b", 100, 0), q("c", 100, 0), q("d", 100, 0), q("e", 100.01, 0)));
    assertThat(r.dropped()).isEmpty();
  }

  @Test
  void emptyInputGivesNoPrice() {
    Aggregator.Result r = run(List.of());
    assertThat(r.hasPrice()).isFalse();
    assertThat(r.method()).isEqualTo("none");
    assertThat(r.used()).isEmpty();
  }

  @Test
  void singleSourceIsItsPrice() {
    Aggregator.Result r = run(List.of(q("kraken", 123.45, 0)));
    assertThat(r.price()).isEqualTo(123.45);
    assertThat(r.dispersion()).isZero();
  }

  @Test
  void staleAndInvalidQuotesAreDroppedWithTheirReason() {
    Quote stale =
        new Quote(
            "okx", "BTC/USDT", "USDT", 100, Double.NaN, Double.NaN, NOW - 10_001, 1, Double.NaN);
    Aggregator.Result r =
        run(List.of(stale, q("bybit", -5, 1), q("binance", 0, 1), q("kraken", 101, 1)));
    assertThat(r.price()).isEqualTo(101);
    assertThat(r.dropped())
        .extracting(d -> d.exchange() + ":" + d.reason().label())
        .containsExactlyInAnyOrder("okx:stale", "bybit:invalid_price", "binance:invalid_price");
  }

  @Test
  void convertsOtherQuoteCurrenciesWithTheDerivedRate() {
    Quote krw =
        new Quote(
            "upbit",
            "BTC/USDT",
            "KRW",
            140_000_000,
            Double.NaN,
            Double.NaN,
            NOW - 100,
            1_400_000,
            Double.NaN);
    Quote usd =
        new Quote(
            "coinbase",
            "BTC/USDT",
            "USD",
            100_200,
            Double.NaN,
            Double.NaN,
            NOW - 100,
            0,
            Double.NaN);
    Map<String, Aggregator.Rate> rates =
        Map.of(
            "USDT/KRW", new Aggregator.Rate(1_400, NOW - 1_000), // KRW per USDT
            "USD/USDT", new Aggregator.Rate(0.998, NOW - 1_000)); // USDT per USD (inverse pair)
    Aggregator.Result r =
        aggregator.aggregate("BTC/USDT", List.of(krw, usd), rates, List.of(), NOW);
    assertThat(r.used()).extracting(Aggregator.Used::price).containsExactly(100_000.0);
    // only Upbit carries a weight (its KRW volume converted to 1,000 USDT), so VWAP = its price;
    // Coinbase, converted from USD, would not move it: named, not counted (issue 21)
    assertThat(r.dropped())
        .extracting(
            Aggregator.Dropped::exchange, Aggregator.Dropped::reason, Aggregator.Dropped::price)
        .containsExactly(tuple("coinbase", DropReason.NO_WEIGHT, 100_200 * 0.998));
    assertThat(r.price()).isCloseTo(100_000, within(1e-6));
    assertThat(r.used().get(0).weight()).isCloseTo(1_000, within(1e-9));
  }

  @Test
  void missingOrStaleRateDropsTheSourceInsteadOfGuessing() {
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
    Quote usd =
        new Quote(
            "coinbase",
            "BTC/USDT",
            "USD",
            100_000,
            Double.NaN,
            Double.NaN,
            NOW - 100,
            1,
            Double.NaN);
    Map<String, Aggregator.Rate> rates =
        Map.of("USDT/KRW", new Aggregator.Rate(1_400, NOW - 60_000));
    Aggregator.Result r =
        aggregator.aggregate(
            "BTC/USDT", List.of(krw, usd, q("okx", 100_100, 1)), rates, List.of(), NOW);
    assertThat(r.price()).isEqualTo(100_100);
    assertThat(r.dropped())
        .extracting(d -> d.exchange() + ":" + d.reason().label())
        .containsExactlyInAnyOrder("upbit:no_conversion", "coinbase:no_conversion");
  }

  @Test
  void minuteVolumeIsTheSumOfUsedSourcesAndOutliersAddNothing() {
    Quote a = new Quote("binance", "BTC/USDT", "USDT", 100, Double.NaN, Double.NaN, NOW, 1, 2.5);
    Quote b = new Quote("okx", "BTC/USDT", "USDT", 100.01, Double.NaN, Double.NaN, NOW, 1, 1.5);
    Quote c =
        new Quote("bybit", "BTC/USDT", "USDT", 100.02, Double.NaN, Double.NaN, NOW, 1, Double.NaN);
    Quote bad = new Quote("kraken", "BTC/USDT", "USDT", 1_000, Double.NaN, Double.NaN, NOW, 1, 99);
    Quote d =
        new Quote("upbit", "BTC/USDT", "USDT", 99.99, Double.NaN, Double.NaN, NOW, 1, Double.NaN);
    Aggregator.Result r = run(List.of(a, b, c, bad, d));
    assertThat(r.volume()).isEqualTo(4.0);
    assertThat(run(List.of(c)).volume()).isNaN();
  }

  @Test
  void unavailableSourcesAreReportedAndDispersionMeasuresSpread() {
    Aggregator.Result r =
        aggregator.aggregate(
            "BTC/USDT",
            List.of(q("okx", 99, 0), q("bybit", 101, 0)),
            Map.of(),
            List.of(new Aggregator.Dropped("binance", DropReason.BREAKER_OPEN, Double.NaN)),
            NOW);
    assertThat(r.dropped()).extracting(d -> d.reason()).containsExactly(DropReason.BREAKER_OPEN);
    assertThat(r.dispersion()).isCloseTo(0.01, within(1e-12));
    assertThat(
            new JsonObject(PriceJson.agreed(r))
                .getJsonArray("sourcesDropped")
                .getJsonObject(0)
                .getString("reason"))
        .isEqualTo("breaker_open");
  }
}
