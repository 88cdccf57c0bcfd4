package oracle.common;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one retry policy: exponential backoff from {@code baseMs}, doubling per consecutive failure
 * up to {@code maxMs}, with "equal jitter" (a wait is drawn from the upper half of the step, so it
 * never exceeds the cap and instances that failed together do not retry in step against the
 * recovering store).
 */
public record Backoff(long baseMs, long maxMs) {
  public Backoff {
    if (baseMs <= 0 || maxMs < baseMs)
      throw new IllegalArgumentException("backoff needs 0 < baseMs <= maxMs");
  }

  /** The wait before the next attempt after {@code failures} consecutive failures (at least 1). */
  public long delayMs(int failures) {
    return delayMs(failures, ThreadLocalRandom.current().nextDouble());
  }

  /** As {@link #delayMs(int)} with {@code random} in [0, 1) as the jitter (tests). */
  long delayMs(int failures, double random) {
    long step = ceiling(failures);
    long half = step / 2;
    return step - half + (long) (random * (half + 1)); // in [step / 2, step]
  }

  /** The step without jitter: {@code baseMs · 2^(failures − 1)}, at most {@code maxMs}. */
  long ceiling(int failures) {
    int doublings = Math.min(Math.max(failures, 1) - 1, Long.numberOfLeadingZeros(baseMs) - 1);
    return Math.min(maxMs, baseMs << doublings);
  }
}
