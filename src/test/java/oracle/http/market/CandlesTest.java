package oracle.http.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The piecewise candle list behaves as the plain list of the same candles, however it is cut. */
class CandlesTest {
  static List<Bar> minutes(long from, int n) {
    List<Bar> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = from + i * 60L;
      out.add(new Bar(t, t % 97, t % 89 + 100, t % 83, t % 79, i));
    }
    return out;
  }

  @Test
  void piecesReadAsTheirCandlesAndCutLikeAList() {
    List<Bar> a = minutes(0, 50);
    List<Bar> b = minutes(50 * 60, 30);
    List<Bar> c = minutes(80 * 60, 40);
    CandleBlock blockA = CandleBlock.of(a);
    CandleBlock blockC = CandleBlock.of(c);
    Candles.Builder builder = new Candles.Builder().block(blockA, 0, 25).block(blockA, 25, 50);
    for (Bar bar : b.subList(0, 10)) builder.add(bar);
    Candles list = builder.addRange(b, 10, 30).block(blockC, 0, 40).build();
    List<Bar> plain = new ArrayList<>(a);
    plain.addAll(b);
    plain.addAll(c);

    assertThat(list).isEqualTo(plain).hasSize(120);
    // Adjacent runs of one block are one piece; the single bars one more; then b's rest, then C.
    assertThat(list.pieces()).isEqualTo(4);
    assertThat(list.block(0)).isSameAs(blockA);
    assertThat(list.block(1)).isNull();
    assertThat(list.block(3)).isSameAs(blockC);
    for (int i = 0; i < plain.size(); i++) assertThat(list.time(i)).isEqualTo(plain.get(i).time());

    Random random = new Random(3);
    for (int n = 0; n < 500; n++) {
      int from = random.nextInt(121);
      int to = from + random.nextInt(121 - from);
      List<Bar> cut = list.subList(from, to);
      assertThat(cut).isEqualTo(plain.subList(from, to));
      // ... and a cut of a cut, and a rebuilt range of it
      if (to > from) {
        int f2 = random.nextInt(to - from);
        assertThat(cut.subList(f2, to - from)).isEqualTo(plain.subList(from + f2, to));
        assertThat(new Candles.Builder().addRange(cut, f2, to - from).build())
            .isEqualTo(plain.subList(from + f2, to));
      }
    }
    assertThat(Candles.EMPTY).isEmpty();
    assertThatThrownBy(() -> list.get(120)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.subList(5, 121)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void overlayKeepsTheRunsAroundTheWinners() {
    List<Bar> a = minutes(0, 100);
    CandleBlock block = CandleBlock.of(a);
    Candles base = new Candles.Builder().block(block, 0, 100).build();
    Bar replaced = new Bar(40 * 60, 1, 2, 0.5, 1.5, 9);
    Bar before = new Bar(-60, 1, 1, 1, 1, 1);
    Bar after = new Bar(200 * 60, 1, 1, 1, 1, 1);
    List<Bar> merged = CandleService.overlay(base, List.of(before, replaced, after));

    List<Bar> expected = new ArrayList<>();
    expected.add(before);
    expected.addAll(a);
    expected.set(41, replaced);
    expected.add(after);
    assertThat(merged).isEqualTo(expected);
    Candles pieces = (Candles) merged;
    // before | block [0, 40) | replaced | block [41, 100) | after
    assertThat(pieces.pieces()).isEqualTo(5);
    assertThat(pieces.block(1)).isSameAs(block);
    assertThat(pieces.from(3)).isEqualTo(41);
    assertThat(CandleService.overlay(base, List.of())).isSameAs(base);
  }
}
