package oracle.common;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Pure CPU work that may be large (parsing a big payload, planning a big write, sorting a backlog):
 * done inline when small, on the worker pool when large, so the event loop is never held.
 */
public final class OffLoop {
  private OffLoop() {}

  /**
   * Runs {@code work} inline when {@code size < threshold} or when not on a Vert.x thread,
   * otherwise on the worker pool, unordered (independent pieces of work run side by side). A thrown
   * exception fails the future.
   */
  public static <T> Future<T> compute(long size, long threshold, Callable<T> work) {
    Context context = Vertx.currentContext();
    if (context == null || size < threshold) {
      try {
        return Future.succeededFuture(work.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return context.executeBlocking(work, false);
  }
}
