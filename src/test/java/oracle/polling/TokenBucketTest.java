package oracle.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void startsFullRefillsAtTheRateAndCapsAtCapacity() {
    AtomicLong clock = new AtomicLong();
    TokenBucket b = new TokenBucket(10, 5, clock::get);
    assertThat(b.tryTake(5)).isTrue();
    assertThat(b.tryTake(1)).isFalse();
    clock.addAndGet(250_000_000L); // 0.25 s at 10/s
    assertThat(b.available()).isEqualTo(2);
    assertThat(b.tryTake(3)).isFalse();
    assertThat(b.tryTake(2)).isTrue();
    clock.addAndGet(10_000_000_000L);
    assertThat(b.available()).isEqualTo(5);
  }
}
