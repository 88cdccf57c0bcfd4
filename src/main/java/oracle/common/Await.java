package oracle.common;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a future on a thread that may block: the main thread at start-up and the shutdown
 * hook's thread, never an event loop. Vert.x 5's {@link Future#await(long, TimeUnit)} parks such a
 * thread until the future completes (and suspends a virtual-thread or worker task instead).
 */
public final class Await {
  private Await() {}

  /**
   * The future's result; its failure as a {@link RuntimeException} (a checked one wrapped), or an
   * {@link IllegalStateException} when it has not completed within {@code seconds}.
   */
  public static <T> T result(Future<T> future, long seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("not done within " + seconds + " s", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) { // await rethrows a checked failure as it is
      throw new RuntimeException(e);
    }
  }
}
