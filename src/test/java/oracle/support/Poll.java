package oracle.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits in tests for something asynchronous to become true, polling instead of sleeping a fixed
 * time.
 */
public final class Poll {
  private static final long INTERVAL_MS = 20;

  private Poll() {}

  /** The probe's first non-null value; fails when none came within {@code timeout}. */
  public static <T> T value(Supplier<T> probe, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = probe.get();
      if (v != null) return v;
      if (System.nanoTime() > deadline)
        throw new AssertionError("condition not met within " + timeout);
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public static void until(BooleanSupplier condition, Duration timeout) {
    value(() -> condition.getAsBoolean() ? Boolean.TRUE : null, timeout);
  }
}
