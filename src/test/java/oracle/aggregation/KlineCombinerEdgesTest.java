package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.Kline;
import oracle.storage.CandleRow;
import org.junit.jupiter.api.Test;

/**
 * The edges of one minute's combination: klines that are not prices, volumes that are not volumes,
 * fences that cannot apply, and the per-minute rates the close-out reads.
 */
class KlineCombinerEdgesTest {
  private static final Aggregator RULES =
      new Aggregator(10_000, 0.0005, new QuorumRule(2, 0.01, Map.of()));

  private static Kline k(String ex, double o, double h, double l, double c, double v) {
    return new Kline(ex, "BTC/USDT", 600, o, h, l, c, v);
  }

  @Test
  void aKlineWithAnyPriceThatIsNotPositiveIsDroppedAsInvalid() {
    for (double[] bad :
        new double[][] {
          {Double.NaN, 101, 99, 100},
          {100, Double.NaN, 99, 100},
          {100, 101, -1, 100},
          {100, 101, 99, Double.POSITIVE_INFINITY}
        }) {
      List<Kline> klines =
          List.of(
              k("binance", 100, 101, 99, 100, 1),
              k("okx", 100, 101, 99, 100.1, 1),
              k("kraken", bad[0], bad[1], bad[2], bad[3], 1));
      KlineCombiner.Combined c = KlineCombiner.decide("BTC/USDT", 600, klines, Map.of(), RULES);
      assertThat(c.result().dropped())
          .extracting(Aggregator.Dropped::exchange, Aggregator.Dropped::reason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("kraken", DropReason.INVALID_PRICE));
      assertThat(c.row().sources()).containsExactly("binance", "okx");
    }
  }

  @Test
  void aVolumeThatIsNotAPositiveNumberCountsAsNone() {
    CandleRow r =
        KlineCombiner.combine(
            "BTC/USDT",
            600,
            List.of(k("binance", 100, 101, 99, 100, Double.NaN), k("okx", 100, 101, 99, 100, 2)));
    assertThat(r.volume()).isEqualTo(2);
  }

  @Test
  void noFenceAppliesToOneKlineOrWithoutAUsableBand() {
    List<Kline> one = List.of(k("binance", 100, 150, 50, 100, 1));
    List<Kline> two = List.of(k("binance", 100, 150, 50, 100, 1), k("okx", 100, 101, 99, 100, 1));
    List<String> clipped = new ArrayList<>();
    assertThat(KlineCombiner.fenceWicks(one, 0.01, clipped)).isSameAs(one);
    assertThat(KlineCombiner.fenceWicks(two, Double.NaN, clipped)).isSameAs(two);
    assertThat(KlineCombiner.fenceWicks(two, -0.01, clipped)).isSameAs(two);
    assertThat(KlineCombiner.fenceWicks(two, Double.POSITIVE_INFINITY, clipped)).isSameAs(two);
    assertThat(clipped).isEmpty();
    // Klines that agree are kept as they are, not copied.
    List<Kline> agreeing =
        List.of(k("binance", 100, 101, 99, 100, 1), k("okx", 100, 101, 99, 100, 1));
    List<Kline> fenced = KlineCombiner.fenceWicks(agreeing, 0.01, clipped);
    assertThat(fenced.get(0)).isSameAs(agreeing.get(0));
    assertThat(clipped).isEmpty();
  }

  @Test
  void minuteRatesKeepTheLastRateOfEachMinuteForTenMinutes() {
    MinuteRates rates = new MinuteRates();
    assertThat(rates.of(600)).isEmpty();
    rates.record("USDT/KRW", 1400, 600_000);
    rates.record("USDT/KRW", 1401, 659_999); // same minute: the last one wins, dated its start
    assertThat(rates.of(600).get("USDT/KRW").value()).isEqualTo(1401);
    assertThat(rates.of(600).get("USDT/KRW").timestampMs()).isEqualTo(600_000);
    for (int m = 1; m <= MinuteRates.KEEP_MINUTES; m++)
      rates.record("USDT/KRW", 1400 + m, 600_000 + m * 60_000L);
    assertThat(rates.of(600)).isEmpty(); // the oldest minute went
    assertThat(rates.of(600 + MinuteRates.KEEP_MINUTES * 60L)).containsKey("USDT/KRW");
  }
}
