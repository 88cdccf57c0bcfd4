package oracle.exchange.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TradeMinutesTest {
  private static final long M = 1_700_000_040_000L; // a minute start
  private static final long GRACE = 2_000;

  private record T(long ms, double price, double size) {}

  private static List<T> trades() {
    return List.of(
        new T(M + 1_000, 100, 1),
        new T(M + 5_000, 104, 0.5),
        new T(M + 9_000, 97, 2),
        new T(M + 30_000, 101, 1),
        new T(M + 59_999, 102, 0.25));
  }

  @Test
  void aMinuteIsTheFirstMaxMinLastAndSumsOfItsTrades() {
    TradeMinutes minutes = new TradeMinutes(GRACE);
    for (T t : trades()) assertThat(minutes.add("BTCUSDT", t.ms, t.price, t.size, t.ms)).isTrue();
    TradeMinutes.Minute m = minutes.minute("BTCUSDT", M);
    assertThat(m.open()).isEqualTo(100);
    assertThat(m.high()).isEqualTo(104);
    assertThat(m.low()).isEqualTo(97);
    assertThat(m.close()).isEqualTo(102);
    assertThat(m.volume()).isCloseTo(4.75, within(1e-12));
    assertThat(m.quoteVolume()).isCloseTo(100 + 52 + 194 + 101 + 25.5, within(1e-9));
    assertThat(m.trades()).isEqualTo(5);
  }

  /** By exchange time, not arrival: any arrival order within the grace gives the same minute. */
  @Test
  void arrivalOrderDoesNotChangeTheMinute() {
    TradeMinutes inOrder = new TradeMinutes(GRACE);
    for (T t : trades()) inOrder.add("X", t.ms, t.price, t.size, M + 60_000);
    TradeMinutes.Minute expected = inOrder.minute("X", M);
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      List<T> shuffled = new ArrayList<>(trades());
      Collections.shuffle(shuffled, random);
      TradeMinutes minutes = new TradeMinutes(GRACE);
      for (T t : shuffled) minutes.add("X", t.ms, t.price, t.size, M + 61_000);
      TradeMinutes.Minute got = minutes.minute("X", M);
      assertThat(got.open()).isEqualTo(expected.open());
      assertThat(got.close()).isEqualTo(expected.close());
      assertThat(got.high()).isEqualTo(expected.high());
      assertThat(got.low()).isEqualTo(expected.low());
      assertThat(got.volume()).isCloseTo(expected.volume(), within(1e-12));
      assertThat(got.trades()).isEqualTo(expected.trades());
    }
  }

  @Test
  void aLateTradeLandsInItsMinuteWithinTheGraceAndIsRefusedAfter() {
    TradeMinutes minutes = new TradeMinutes(GRACE);
    minutes.add("X", M + 10_000, 100, 1, M + 10_000);
    assertThat(minutes.add("X", M + 59_000, 90, 1, M + 60_000 + 1_500))
        .as("1.5 s after the minute ended")
        .isTrue();
    assertThat(minutes.minute("X", M).low()).isEqualTo(90);
    assertThat(minutes.add("X", M + 59_500, 80, 1, M + 60_000 + 2_500)).isFalse();
    assertThat(minutes.refusedLate()).isEqualTo(1);
    assertThat(minutes.minute("X", M).trades()).isEqualTo(2);
  }

  @Test
  void closedMinutesComeOutOnceTheGraceIsOverInTimeOrder() {
    TradeMinutes minutes = new TradeMinutes(GRACE);
    minutes.add("B", M + 1_000, 10, 1, M + 1_000);
    minutes.add("A", M + 2_000, 20, 1, M + 2_000);
    minutes.add("A", M + 61_000, 21, 1, M + 61_000);
    assertThat(minutes.closed(M + 61_500)).as("still within the grace").isEmpty();
    List<TradeMinutes.Minute> closed = minutes.closed(M + 62_001);
    assertThat(closed).extracting(TradeMinutes.Minute::market).containsExactly("A", "B");
    assertThat(closed).extracting(TradeMinutes.Minute::minuteMs).containsOnly(M);
    assertThat(minutes.closed(M + 62_001)).as("each minute once").isEmpty();
    assertThat(minutes.minute("A", M + 60_000).close()).isEqualTo(21);
  }

  @Test
  void aTickIsTheVwapSinceTheLastTickAndKeepsTheLastTradeThroughQuietSpells() {
    TradeMinutes minutes = new TradeMinutes(GRACE);
    assertThat(minutes.tick("X")).isNull();
    minutes.add("X", M + 1_000, 100, 1, M + 1_000);
    minutes.add("X", M + 1_200, 110, 3, M + 1_200);
    TradeMinutes.Tick first = minutes.tick("X");
    assertThat(first.vwapSinceLastTick()).isCloseTo(107.5, within(1e-12));
    assertThat(first.lastPrice()).isEqualTo(110);
    assertThat(first.lastTradeMs()).isEqualTo(M + 1_200);
    assertThat(first.trades()).isEqualTo(2);
    TradeMinutes.Tick quiet = minutes.tick("X");
    assertThat(quiet.vwapSinceLastTick()).isNaN();
    assertThat(quiet.lastPrice()).as("a quiet market keeps its last trade").isEqualTo(110);
    assertThat(quiet.trades()).isZero();
    minutes.add("X", M + 900, 95, 1, M + 1_300); // late, older than the last trade
    assertThat(minutes.tick("X").lastPrice()).as("the last trade by exchange time").isEqualTo(110);
  }

  @Test
  void equalTimesKeepArrivalOrder() {
    TradeMinutes minutes = new TradeMinutes(GRACE);
    minutes.add("X", M + 5_000, 100, 1, M + 5_000);
    minutes.add("X", M + 5_000, 101, 1, M + 5_000);
    minutes.add("X", M + 5_000, 99, 1, M + 5_000);
    TradeMinutes.Minute m = minutes.minute("X", M);
    assertThat(m.open()).isEqualTo(100);
    assertThat(m.close()).isEqualTo(99);
  }

  @Test
  void whatIsNotATradeIsNotCounted() {
    TradeMinutes minutes = new TradeMinutes(GRACE);
    assertThat(minutes.add("X", M, 0, 1, M)).isFalse();
    assertThat(minutes.add("X", M, Double.NaN, 1, M)).isFalse();
    assertThat(minutes.add("X", M, 100, -1, M)).isFalse();
    assertThat(minutes.add("X", M, Double.POSITIVE_INFINITY, 1, M)).isFalse();
    assertThat(minutes.add("X", M, 100, Double.POSITIVE_INFINITY, M)).isFalse();
    assertThat(minutes.minute("X", M)).isNull();
    assertThat(minutes.refusedLate()).isZero();
  }
}
