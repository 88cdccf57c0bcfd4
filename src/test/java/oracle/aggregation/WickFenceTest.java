package oracle.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import oracle.exchange.Kline;
import oracle.storage.CandleRow;
import org.junit.jupiter.api.Test;

/**
 * The wick fence of {@link KlineCombiner}: one venue's bad high, low or open is clipped to the band
 * ({@code maxDivergence}, here 0.01) around the other kept venues' same field before the fields are
 * combined. Each test shows the candle without the fence (permissive rules: no band) and with it.
 */
class WickFenceTest {
  private static final Aggregator RULES =
      new Aggregator(10_000, 0.0005, new QuorumRule(2, 0.01, Map.of("SOLO/USDT", 1)));

  private static Kline k(String ex, double o, double h, double l, double c, double v) {
    return new Kline(ex, "BTC/USDT", 600, o, h, l, c, v);
  }

  private static CandleRow fenced(List<Kline> klines) {
    return KlineCombiner.combine("BTC/USDT", 600, klines, Map.of(), RULES);
  }

  private static CandleRow unfenced(List<Kline> klines) {
    return KlineCombiner.combine("BTC/USDT", 600, klines);
  }

  @Test
  void oneVenuesHighSpikeIsClippedToTheOthersHighestHighPlusTheBand() {
    List<Kline> klines =
        List.of(
            k("binance", 100, 101, 99, 100, 1),
            k("kraken", 100, 150, 99, 100.1, 1), // one print at 150
            k("okx", 100, 101.2, 99, 100.2, 1));
    // weights: volume × close = 100, 100.1, 100.2
    double before = (101 * 100 + 150 * 100.1 + 101.2 * 100.2) / 300.3;
    double after = (101 * 100 + 101.2 * 1.01 * 100.1 + 101.2 * 100.2) / 300.3;
    CandleRow raw = unfenced(klines);
    CandleRow r = fenced(klines);
    System.out.printf("high spike: high %.6f -> %.6f%n", raw.high(), r.high());
    assertThat(raw.high()).isCloseTo(before, within(1e-9)); // 117.3 without the fence
    assertThat(r.high()).isCloseTo(after, within(1e-9)); // 101.47 with it
    assertThat(r.low()).isEqualTo(99);
    assertThat(r.close()).isEqualTo(raw.close());
    assertThat(r.volume()).isEqualTo(3);
    KlineCombiner.Combined c = KlineCombiner.decide("BTC/USDT", 600, klines, Map.of(), RULES);
    assertThat(c.clipped()).containsExactly("kraken high 150.0 -> " + 101.2 * 1.01);
  }

  @Test
  void withTwoSourcesALowSpikeIsClippedToTheOthersLowMinusTheBand() {
    List<Kline> klines =
        List.of(k("binance", 100, 101, 99, 100, 1), k("okx", 100, 101, 50, 100.3, 1));
    CandleRow raw = unfenced(klines);
    CandleRow r = fenced(klines);
    System.out.printf("low spike: low %.6f -> %.6f%n", raw.low(), r.low());
    assertThat(raw.low()).isCloseTo((99 * 100 + 50 * 100.3) / 200.3, within(1e-9)); // 74.5
    assertThat(r.low()).isCloseTo((99 * 100 + 99 * 0.99 * 100.3) / 200.3, within(1e-9)); // 98.5
    assertThat(r.high()).isEqualTo(101);
  }

  @Test
  void aBadOpenIsClippedSoItCannotWidenTheHighEither() {
    List<Kline> klines =
        List.of(
            k("binance", 100, 101, 99, 100, 1),
            k("bybit", 100.1, 101, 99, 100.1, 1),
            k("okx", 180, 180, 99, 100.2, 1)); // one bad first trade
    CandleRow raw = unfenced(klines);
    CandleRow r = fenced(klines);
    System.out.printf(
        "open spike: open %.6f -> %.6f, high %.6f -> %.6f%n",
        raw.open(), r.open(), raw.high(), r.high());
    double okxOpen = 100.1 * 1.01;
    double okxHigh = 101 * 1.01;
    assertThat(r.open())
        .isCloseTo((100 * 100 + 100.1 * 100.1 + okxOpen * 100.2) / 300.3, within(1e-9));
    assertThat(r.high())
        .isCloseTo((101 * 100 + 101 * 100.1 + okxHigh * 100.2) / 300.3, within(1e-9));
    assertThat(raw.high()).isGreaterThan(126);
    assertThat(r.high()).isLessThan(101.4);
  }

  @Test
  void aWickSeenByTwoVenuesPassesUntouched() {
    List<Kline> klines =
        List.of(
            k("binance", 100, 110, 99, 100, 1),
            k("kraken", 100, 101, 99, 100.1, 1),
            k("okx", 100, 109.5, 99, 100.2, 1));
    CandleRow r = fenced(klines);
    assertThat(r.high()).isEqualTo(unfenced(klines).high());
    assertThat(KlineCombiner.decide("BTC/USDT", 600, klines, Map.of(), RULES).clipped()).isEmpty();
  }

  @Test
  void aSingleSourceSymbolAndBandlessRulesClipNothing() {
    CandleRow solo =
        KlineCombiner.combine(
            "SOLO/USDT",
            600,
            List.of(new Kline("binance", "SOLO/USDT", 600, 100, 150, 50, 100, 1)),
            Map.of(),
            RULES);
    assertThat(solo.high()).isEqualTo(150);
    assertThat(solo.low()).isEqualTo(50);
  }

  @Test
  void aClippedHighNeverFallsBelowTheSourcesOwnAcceptedClose() {
    // okx's high is clipped to 100·1.01 = 101, but its own close (accepted, within 1 %) is 101.5
    List<Kline> klines =
        List.of(k("binance", 100, 100, 100, 100, 1), k("okx", 101, 120, 101, 101.5, 1));
    KlineCombiner.Combined c = KlineCombiner.decide("BTC/USDT", 600, klines, Map.of(), RULES);
    assertThat(c.row()).isNotNull();
    assertThat(c.clipped()).containsExactly("okx high 120.0 -> 101.5");
  }
}
