package oracle.backfill;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The backfill's waiting jobs, first in first out, knowing which symbols already have an automatic
 * job waiting, so a periodic scan of the whole market costs one set lookup per symbol (it scanned
 * the queue once per symbol: about 10^8 comparisons a pass at 10,000 symbols).
 */
final class JobQueue {
  static final String AUTO = "auto";

  private final Deque<BackfillJob> jobs = new ArrayDeque<>();
  private final Set<String> autoWaiting = new HashSet<>();

  /** Queues {@code job}; false (and nothing queued) for a second automatic job of one symbol. */
  boolean offer(BackfillJob job) {
    if (AUTO.equals(job.trigger()) && !autoWaiting.add(job.symbol())) return false;
    jobs.addLast(job);
    return true;
  }

  /** The next job, or null. */
  BackfillJob poll() {
    BackfillJob job = jobs.pollFirst();
    if (job != null && AUTO.equals(job.trigger())) autoWaiting.remove(job.symbol());
    return job;
  }

  boolean isEmpty() {
    return jobs.isEmpty();
  }

  int size() {
    return jobs.size();
  }
}
