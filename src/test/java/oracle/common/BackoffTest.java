package oracle.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(1_000, 30_000);

  @Test
  void doublesPerFailureUpToTheCap() {
    assertThat(backoff.ceiling(1)).isEqualTo(1_000);
    assertThat(backoff.ceiling(2)).isEqualTo(2_000);
    assertThat(backoff.ceiling(5)).isEqualTo(16_000);
    assertThat(backoff.ceiling(6)).isEqualTo(30_000);
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).as("no overflow").isEqualTo(30_000);
    assertThat(backoff.ceiling(0)).as("as the first failure").isEqualTo(1_000);
    assertThat(new Backoff(1, Long.MAX_VALUE).ceiling(200)).isPositive();
  }

  @Test
  void theJitterKeepsEachWaitInTheUpperHalfOfItsStep() {
    assertThat(backoff.delayMs(3, 0)).isEqualTo(2_000);
    assertThat(backoff.delayMs(3, 0.999_999_9)).isEqualTo(4_000);
    assertThat(backoff.delayMs(9, 0.5)).isBetween(15_000L, 30_000L);
    for (int i = 0; i < 1_000; i++) assertThat(backoff.delayMs(40)).isBetween(15_000L, 30_000L);
    assertThat(new Backoff(1, 1).delayMs(1, 0.99)).isEqualTo(1);
  }

  @Test
  void aCapBelowTheBaseIsRefused() {
    assertThatThrownBy(() -> new Backoff(1_000, 200)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(0, 200)).isInstanceOf(IllegalArgumentException.class);
  }
}
