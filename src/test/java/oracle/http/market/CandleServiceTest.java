package oracle.http.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import oracle.hotstore.HotReads;
import org.junit.jupiter.api.Test;

/** The pure parts of the merge: overlaying hot candles and cutting pages. */
class CandleServiceTest {
  static Bar bar(long t, double close) {
    return new Bar(t, 1, 2, 0.5, close, 1);
  }

  @Test
  void overlayKeepsOrderAndLetsWinnersReplaceTheSameTime() {
    List<Bar> base = List.of(bar(60, 1), bar(120, 1), bar(240, 1));
    List<Bar> hot = List.of(bar(0, 9), bar(120, 9), bar(180, 9), bar(300, 9));

    assertThat(CandleService.overlay(base, hot))
        .containsExactly(bar(0, 9), bar(60, 1), bar(120, 9), bar(180, 9), bar(240, 1), bar(300, 9));
    assertThat(CandleService.overlay(base, List.of())).isEqualTo(base);
    assertThat(CandleService.overlay(List.of(), hot)).isEqualTo(hot);
  }

  /** Folding while merging gives the buckets of the overlaid minutes, folded one by one. */
  @Test
  void openBucketsFoldTheOverlaidMinutes() {
    java.util.Random random = new java.util.Random(11);
    for (int n = 0; n < 300; n++) {
      List<Bar> stored = new java.util.ArrayList<>();
      List<Bar> hot = new java.util.ArrayList<>();
      long start = 86_400L * (19_000 + random.nextInt(10)) - 3_600L * random.nextInt(3);
      for (long t = start; t < start + 2 * 86_400; t += 60) {
        if (random.nextInt(4) > 0) stored.add(new Bar(t, t % 7, t % 11 + 10, t % 5 - 10, t % 3, 1));
        if (t > start + 86_400 && random.nextInt(3) == 0)
          hot.add(new Bar(t, 100, 200, -50, t % 13, 2));
      }
      for (oracle.storage.Resolution r : oracle.storage.Resolution.values()) {
        List<Bar> expected = new java.util.ArrayList<>();
        Bar open = null;
        for (Bar m : CandleService.overlay(stored, hot)) {
          long bucket = r.bucketStart(m.time());
          if (open != null && open.time() != bucket) {
            expected.add(open);
            open = null;
          }
          open = open == null ? m.at(bucket) : open.then(m);
        }
        if (open != null) expected.add(open);
        assertThat(CandleService.fold(r, stored, hot)).as("%s", r).isEqualTo(expected);
        // ... also when the stored minutes are a packed shared read, or cut from one
        assertThat(CandleService.fold(r, CachedCandleStore.packed(stored), hot))
            .as("%s packed", r)
            .isEqualTo(expected);
      }
    }
  }

  /** A flushed hot minute wins only where the stored read lacks it; a live one always. */
  @Test
  void aFlushedHotMinuteGivesWayToTheStoredOne() {
    List<Bar> stored = List.of(bar(60, 1), bar(120, 1), bar(240, 1));
    List<Bar> live = List.of(bar(0, 9), bar(120, 9), bar(360, 9));
    List<Bar> flushed = List.of(bar(60, 7), bar(180, 7), bar(240, 7), bar(300, 7));

    assertThat(CandleService.winners(stored, new HotReads.Tail<>(live, flushed)))
        .containsExactly(bar(0, 9), bar(120, 9), bar(180, 7), bar(300, 7), bar(360, 9));
    assertThat(CandleService.winners(stored, new HotReads.Tail<>(live, List.of()))).isSameAs(live);
    assertThat(CandleService.winners(List.of(), new HotReads.Tail<>(List.of(), flushed)))
        .isEqualTo(flushed);
    assertThat(
            CandleService.winners(
                CachedCandleStore.packed(stored), new HotReads.Tail<>(live, flushed)))
        .as("packed stored minutes")
        .containsExactly(bar(0, 9), bar(120, 9), bar(180, 7), bar(300, 7), bar(360, 9));
  }

  @Test
  void pagesCutAtTheLimitFromEitherEnd() {
    List<Bar> bars = List.of(bar(0, 1), bar(60, 2), bar(120, 3));

    assertThat(CandleService.page(bars, 2, false))
        .isEqualTo(new CandlePage(bars.subList(0, 2), 120L));
    assertThat(CandleService.page(bars, 2, true))
        .isEqualTo(new CandlePage(bars.subList(1, 3), null));
    assertThat(CandleService.page(bars, 3, false)).isEqualTo(new CandlePage(bars, null));
  }

  @Test
  void barsOfOneBucketFoldOpenFirstCloseLastHighMaxLowMinVolumeSum() {
    Bar a = new Bar(0, 10, 12, 9, 11, 1.5);
    Bar b = new Bar(60, 11, 15, 10, 14, 2.5);
    Bar c = new Bar(120, 14, 14, 7, 8, 1);

    assertThat(a.then(b).then(c)).isEqualTo(new Bar(0, 10, 15, 7, 8, 5));
  }
}
