package oracle.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which partial buckets a write recomputes: those holding a changed minute, each once, whatever the
 * order of the changed minutes (runs of one bucket are looked up once).
 */
class RollupResolveTest {
  private static final long DAY = 1_764_028_800L; // a UTC midnight

  @Test
  void everyPartialBucketWithAChangedMinuteIsRecomputedOnce() {
    List<MinuteKey> partial =
        List.of(
            new MinuteKey("BTC/USDT", DAY),
            new MinuteKey("BTC/USDT", DAY + 300),
            new MinuteKey("ETH/USDT", DAY),
            new MinuteKey("ETH/USDT", DAY + 600));
    List<RollupRefresher.Step> steps =
        List.of(new RollupRefresher.Step(null, Resolution.M5, Resolution.M1, partial));
    // Interleaved symbols, runs, a bucket seen again after another one, an unwanted bucket.
    List<MinuteKey> changed = new ArrayList<>();
    changed.add(new MinuteKey("BTC/USDT", DAY + 240));
    changed.add(new MinuteKey("BTC/USDT", DAY + 180));
    changed.add(new MinuteKey("ETH/USDT", DAY + 180));
    changed.add(new MinuteKey("BTC/USDT", DAY + 120));
    changed.add(new MinuteKey("BTC/USDT", DAY + 900)); // bucket DAY + 900 is not partial
    changed.add(new MinuteKey(new String("BTC/USDT"), DAY + 60));
    changed.add(new MinuteKey("ETH/USDT", DAY + 660));

    List<SqlStep> out = RollupRefresher.resolve(steps, changed);
    assertThat(out).hasSize(1);
    String[] symbols = (String[]) out.get(0).params().getValue(0);
    Long[] starts = (Long[]) out.get(0).params().getValue(1);
    List<String> buckets = new ArrayList<>();
    for (int i = 0; i < symbols.length; i++) buckets.add(symbols[i] + "@" + (starts[i] - DAY));
    assertThat(buckets).containsExactlyInAnyOrder("BTC/USDT@0", "ETH/USDT@0", "ETH/USDT@600");

    assertThat(RollupRefresher.resolve(steps, List.of())).isEmpty();
    assertThat(RollupRefresher.resolve(steps, Arrays.asList(new MinuteKey("BTC/USDT", DAY + 360))))
        .hasSize(1);
  }
}
