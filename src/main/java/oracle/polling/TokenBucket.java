package oracle.polling;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens accrue continuously up to {@code capacity}; a
 * request takes one. Used only from the polling verticle's event loop, so it needs no locking.
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, int capacity) {
    this(ratePerSecond, capacity, System::nanoTime);
  }

  TokenBucket(double ratePerSecond, int capacity, LongSupplier nanoClock) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.nanoClock = nanoClock;
    this.tokens = capacity;
    this.last = nanoClock.getAsLong();
  }

  /** Whole tokens available now. */
  public int available() {
    refill();
    return (int) Math.floor(tokens);
  }

  /** Takes {@code n} tokens if they are all there. */
  public boolean tryTake(int n) {
    refill();
    if (tokens < n) return false;
    tokens -= n;
    return true;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
    last = now;
  }
}
