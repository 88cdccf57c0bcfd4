package oracle.exchange.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import oracle.exchange.stream.GapDetector.Verdict;
import org.junit.jupiter.api.Test;

class GapDetectorTest {
  private final GapDetector gaps = new GapDetector();

  private static Trade t(String market, long seq) {
    return Trade.sequenced("coinbase", market, 1, 1, 1, seq, Side.BUY, false);
  }

  private static Trade replay(String market, long seq) {
    return Trade.sequenced("coinbase", market, 1, 1, 1, seq, Side.BUY, true);
  }

  @Test
  void contiguousIdsAreCountedWithoutGap() {
    assertThat(gaps.check(t("A", 10))).isEqualTo(Verdict.COUNT);
    assertThat(gaps.check(t("A", 11))).isEqualTo(Verdict.COUNT);
    assertThat(gaps.lastSeq("coinbase", "A")).isEqualTo(11);
  }

  @Test
  void aSkipReportsHowManyIdsAreMissing() {
    gaps.check(t("A", 10));
    Verdict v = gaps.check(t("A", 14));
    assertThat(v).isEqualTo(new Verdict(true, 3));
    assertThat(v.gap()).isTrue();
    assertThat(Verdict.COUNT.gap()).isFalse();
  }

  @Test
  void anIdAtOrBelowTheLastIsADuplicate() {
    gaps.check(t("A", 10));
    gaps.check(t("A", 11));
    assertThat(gaps.check(t("A", 11))).isEqualTo(Verdict.SKIP);
    assertThat(gaps.check(t("A", 5))).isEqualTo(Verdict.SKIP);
    assertThat(gaps.lastSeq("coinbase", "A")).isEqualTo(11);
  }

  @Test
  void marketsAndSourcesAreTrackedApart() {
    gaps.check(t("A", 10));
    assertThat(gaps.check(t("B", 3))).isEqualTo(Verdict.COUNT);
    assertThat(gaps.check(Trade.sequenced("kraken", "A", 1, 1, 1, 3, Side.BUY, false)))
        .isEqualTo(Verdict.COUNT);
    assertThat(gaps.check(t("A", 11))).isEqualTo(Verdict.COUNT);
  }

  @Test
  void replaysBeforeTheFirstCountedTradeSetTheStartWithoutBeingCounted() {
    assertThat(gaps.check(replay("A", 99))).isEqualTo(Verdict.SKIP);
    assertThat(gaps.check(replay("A", 100))).isEqualTo(Verdict.SKIP);
    assertThat(gaps.check(t("A", 101))).isEqualTo(Verdict.COUNT);
    GapDetector other = new GapDetector();
    other.check(replay("A", 100));
    assertThat(other.check(t("A", 103))).isEqualTo(new Verdict(true, 2));
  }

  @Test
  void aNewerReplayAfterAReconnectReportsTheIdsTradedWhileAway() {
    gaps.check(t("A", 100));
    assertThat(gaps.check(replay("A", 100))).isEqualTo(Verdict.SKIP);
    assertThat(gaps.check(replay("A", 105))).isEqualTo(new Verdict(false, 5));
    assertThat(gaps.check(t("A", 106))).isEqualTo(Verdict.COUNT);
  }

  @Test
  void tradesWithoutContiguousIdsAreCountedUnlessReplays() {
    Trade upbit = Trade.unsequenced("upbit", "KRW-BTC", 1, 1, 1, "9", Side.SELL, false);
    assertThat(upbit.hasSeq()).isFalse();
    assertThat(gaps.check(upbit)).isEqualTo(Verdict.COUNT);
    assertThat(gaps.check(upbit)).isEqualTo(Verdict.COUNT);
    assertThat(gaps.check(Trade.unsequenced("upbit", "KRW-BTC", 1, 1, 1, "9", Side.SELL, true)))
        .isEqualTo(Verdict.SKIP);
    assertThat(gaps.lastSeq("upbit", "KRW-BTC")).isEqualTo(Trade.NO_SEQ);
  }

  @Test
  void anAggregatedTradeCoversItsRange() {
    gaps.check(t("A", 10));
    Trade agg = new Trade("okx", "A", 1, 1, 1, "13", 11, 13, Side.BUY, false);
    GapDetector okx = new GapDetector();
    okx.check(new Trade("okx", "A", 1, 1, 1, "10", 10, 10, Side.BUY, false));
    assertThat(okx.check(agg)).isEqualTo(Verdict.COUNT);
    assertThat(okx.check(new Trade("okx", "A", 1, 1, 1, "20", 16, 20, Side.BUY, false)))
        .isEqualTo(new Verdict(true, 2));
  }

  @Test
  void forgetStartsAMarketAfresh() {
    gaps.check(t("A", 10));
    gaps.forget("coinbase", "A");
    assertThat(gaps.lastSeq("coinbase", "A")).isEqualTo(Trade.NO_SEQ);
    assertThat(gaps.check(t("A", 3))).isEqualTo(Verdict.COUNT);
  }

  /**
   * Property over random sessions: ids in increasing order with random skips, interleaved with
   * repeats of ids already delivered (replays after reconnects). Every id is counted exactly once,
   * and the missing ids reported add up to the holes.
   */
  @Test
  void everyIdIsCountedOnceAndTheHolesAddUp() {
    for (long seed = 1; seed <= 300; seed++) {
      Random random = new Random(seed);
      GapDetector detector = new GapDetector();
      List<Long> delivered = new ArrayList<>();
      long id = random.nextInt(1_000);
      long first = id;
      long counted = 0;
      long missing = 0;
      for (int i = 0; i < 200; i++) {
        Trade trade;
        if (!delivered.isEmpty() && random.nextInt(4) == 0) {
          trade = t("M", delivered.get(random.nextInt(delivered.size())));
        } else {
          id += random.nextInt(5) == 0 ? 1 + random.nextInt(5) : 1;
          delivered.add(id);
          trade = t("M", id);
        }
        Verdict v = detector.check(trade);
        if (v.count()) counted++;
        missing += v.missing();
      }
      long newIds = delivered.stream().distinct().count();
      assertThat(counted).as("seed %d", seed).isEqualTo(newIds);
      assertThat(missing).as("seed %d", seed).isEqualTo(id - delivered.get(0) + 1 - newIds);
      assertThat(first).isLessThan(delivered.get(0));
    }
  }
}
