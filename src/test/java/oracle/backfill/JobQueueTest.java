package oracle.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobQueueTest {
  private static final int SYMBOLS = 10_000;

  private static void scan(JobQueue queue, int pass) {
    for (int i = 0; i < SYMBOLS; i++)
      queue.offer(new BackfillJob("S" + i + "/USDT", 0, 60L * pass, JobQueue.AUTO));
  }

  /** Issue 21 item 10: a scan of 10,000 symbols over a full queue adds nothing and stays linear. */
  @Test
  void aScanQueuesOneAutomaticJobPerSymbolAtATime() {
    JobQueue queue = new JobQueue();
    long started = System.nanoTime();
    scan(queue, 1);
    scan(queue, 2); // every symbol's job still waits
    System.out.printf(
        "two scans of %d symbols over a full queue: %.1f ms%n",
        SYMBOLS, (System.nanoTime() - started) / 1e6);
    assertThat(queue.size()).isEqualTo(SYMBOLS);

    assertThat(queue.offer(new BackfillJob("S0/USDT", 0, 60, "admin")))
        .as("an operator's job is never merged away")
        .isTrue();
    BackfillJob first = queue.poll();
    assertThat(first.symbol()).isEqualTo("S0/USDT");
    assertThat(first.toSec()).as("first in, first out").isEqualTo(60);
    assertThat(queue.offer(new BackfillJob("S0/USDT", 0, 180, JobQueue.AUTO)))
        .as("once its job left the queue, the symbol gets the next scan's")
        .isTrue();
    assertThat(queue.offer(new BackfillJob("S1/USDT", 0, 180, JobQueue.AUTO))).isFalse();
    assertThat(queue.size()).isEqualTo(SYMBOLS + 1);

    int drained = 0;
    while (queue.poll() != null) drained++;
    assertThat(drained).isEqualTo(SYMBOLS + 1);
    assertThat(queue.isEmpty()).isTrue();
  }
}
