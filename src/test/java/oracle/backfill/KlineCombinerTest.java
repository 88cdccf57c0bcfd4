package oracle.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import oracle.exchange.Kline;
import oracle.storage.CandleRow;
import org.junit.jupiter.api.Test;

class KlineCombinerTest {
  static Kline k(String ex, double o, double h, double l, double c, double v) {
    return new Kline(ex, "BTC/USDT", 600, o, h, l, c, v);
  }

  @Test
  void mediansWhenNoSourceHasVolume() {
    CandleRow r =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(
                k("binance", 100, 105, 99, 101, 0),
                k("okx", 100.5, 104, 98, 102, 0),
                k("kraken", 99.5, 106, 99.5, 103, 0)));
    assertThat(r.open()).isEqualTo(100);
    assertThat(r.high()).isEqualTo(105);
    assertThat(r.low()).isEqualTo(99);
    assertThat(r.close()).isEqualTo(102);
    assertThat(r.volume()).isZero();
    assertThat(r.sources()).containsExactly("binance", "kraken", "okx");
  }

  @Test
  void volumeWeightedPricesAndSumOfVolumes() {
    // Quote-volume weights: 1 × 100 = 100 and 3 × 100 = 300 → close = (100·100 + 104·300)
    // / 400 = 103.
    CandleRow r =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(k("binance", 100, 101, 99, 100, 1), k("okx", 100, 105, 99, 100, 3)));
    assertThat(r.close()).isEqualTo(100);
    assertThat(r.high()).isEqualTo((101 * 100 + 105 * 300) / 400.0);
    assertThat(r.volume()).isEqualTo(4);
    CandleRow w =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(k("binance", 100, 104, 99, 100, 1), k("okx", 100, 104, 99, 104, 3)));
    assertThat(w.close())
        .isCloseTo((100.0 * 100 + 104 * 312) / 412, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void dropsAnIqrOutlierByClose() {
    CandleRow r =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(
                k("binance", 100, 101, 99, 100, 1),
                k("okx", 100, 101, 99, 100.2, 1),
                k("kraken", 100, 101, 99, 99.8, 1),
                k("bybit", 100, 101, 99, 100.1, 1),
                k("upbit", 150, 160, 140, 150, 9)));
    assertThat(r.sources()).doesNotContain("upbit").hasSize(4);
    assertThat(r.close())
        .isCloseTo(
            (100 * 100 + 100.2 * 100.2 + 99.8 * 99.8 + 100.1 * 100.1)
                / (100 + 100.2 + 99.8 + 100.1),
            org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.volume()).isEqualTo(4);
  }

  @Test
  void dropsOneBadKlineOfThree() {
    CandleRow r =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(
                k("binance", 100, 101, 99, 100, 0),
                k("okx", 100, 101, 99, 100.4, 0),
                k("kraken", 10, 11, 9, 10, 0)));
    assertThat(r.sources()).containsExactly("binance", "okx");
    assertThat(r.close()).isEqualTo(100.2);
  }

  @Test
  void highAndLowContainOpenAndClose() {
    CandleRow r =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(k("a", 100, 100.5, 99, 101, 1), k("b", 100, 100.5, 99, 101, 1)));
    assertThat(r.high()).isEqualTo(101);
    assertThat(r.low()).isEqualTo(99);
  }

  @Test
  void ignoresUnusableKlinesAndOtherMinutes() {
    assertThat(KlineCombiner.combine("BTC/USDT", 600, List.of(k("a", 0, 1, 1, Double.NaN, 1))))
        .isNull();
    assertThat(KlineCombiner.combine("BTC/USDT", 660, List.of(k("a", 1, 1, 1, 1, 1)))).isNull();
  }

  private static final oracle.aggregation.Aggregator RULES =
      new oracle.aggregation.Aggregator(
          10_000,
          0.0005,
          new oracle.aggregation.QuorumRule(2, 0.01, java.util.Map.of("SOLO/USDT", 1)));

  private static Kline krw(String symbol, double usdt, double rate) {
    return new Kline(
        "upbit", symbol, 600, usdt * rate, usdt * rate, usdt * rate, usdt * rate, 2, "KRW");
  }

  @Test
  void krwKlinesAreConvertedWithTheMinutesRateAndLeftOutWithoutOne() {
    java.util.Map<String, oracle.aggregation.Aggregator.Rate> rate =
        java.util.Map.of("USDT/KRW", new oracle.aggregation.Aggregator.Rate(1_400, 600_000));
    CandleRow r =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(k("binance", 100, 100, 100, 100, 1), krw("BTC/USDT", 100.2, 1_400)),
            rate,
            RULES);
    assertThat(r.sources()).containsExactly("binance", "upbit");
    assertThat(r.close())
        .isCloseTo(
            (100 * 100 + 100.2 * 2 * 100.2) / (100 + 2 * 100.2),
            org.assertj.core.data.Offset.offset(1e-9));
    // a rate of another minute is no rate: Upbit is left out, and binance alone is no quorum
    java.util.Map<String, oracle.aggregation.Aggregator.Rate> old =
        java.util.Map.of(
            "USDT/KRW", new oracle.aggregation.Aggregator.Rate(1_400, 600_000 - 60_000));
    KlineCombiner.Combined c =
        KlineCombiner.decide(
            "BTC/USDT",
            600,
            List.of(k("binance", 100, 100, 100, 100, 1), krw("BTC/USDT", 100.2, 1_400)),
            old,
            RULES);
    assertThat(c.row()).isNull();
    assertThat(c.result().status()).isEqualTo(oracle.aggregation.Aggregator.Status.NO_QUORUM);
    assertThat(c.result().dropped())
        .extracting(d -> d.exchange() + ":" + d.reason().label())
        .containsExactly("upbit:no_conversion");
    // the permissive legacy rules never mix a KRW kline in unconverted
    assertThat(KlineCombiner.combine("BTC/USDT", 600, List.of(krw("BTC/USDT", 100, 1_400))))
        .isNull();
    CandleRow solo =
        KlineCombiner.combine(
            "SOLO/USDT",
            600,
            List.of(krw("SOLO/USDT", 60_685.22, 1)),
            java.util.Map.of("USDT/KRW", new oracle.aggregation.Aggregator.Rate(1, 600_000)),
            RULES);
    assertThat(solo.close()).isEqualTo(60_685.22); // one source, rate 1: exactly as quoted
  }

  @Test
  void backfillAppliesTheQuorumLikeTheLivePath() {
    assertThat(
            KlineCombiner.combine(
                "BTC/USDT",
                600,
                List.of(k("binance", 100, 100, 100, 100, 1), k("okx", 200, 200, 200, 200, 1)),
                java.util.Map.of(),
                RULES))
        .isNull(); // diverged
    assertThat(
            KlineCombiner.combine(
                "BTC/USDT",
                600,
                List.of(k("binance", 100, 100, 100, 100, 1)),
                java.util.Map.of(),
                RULES))
        .isNull(); // one source, minSources 2
  }

  @Test
  void splitsMissingMinutesIntoContiguousRuns() {
    assertThat(Backfiller.runs(List.of(0L, 60L, 120L, 300L, 360L, 900L)))
        .containsExactly(List.of(0L, 60L, 120L), List.of(300L, 360L), List.of(900L));
  }
}
