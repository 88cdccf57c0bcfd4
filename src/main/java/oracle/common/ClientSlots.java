package oracle.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections (or sockets) held per client and in all, both capped: the bound the SockJS bridge
 * ({@code http.bridge.maxPerClient} / {@code maxTotal}) and the TCP bridge ({@code
 * tcpBridge.maxPerClient} / {@code maxClients}) each enforce, kept in one place. Thread-safe, so
 * one instance may be shared by the HTTP verticles of a process.
 */
public final class ClientSlots {
  private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();

  /**
   * Takes a slot for {@code client} if it holds fewer than {@code maxPerClient} and fewer than
   * {@code maxTotal} are held in all; false (nothing taken) otherwise.
   */
  public boolean take(String client, int maxPerClient, int maxTotal) {
    if (perClient.merge(client, 1, Integer::sum) > maxPerClient) {
      unclaim(client);
      return false;
    }
    if (open.incrementAndGet() > maxTotal) {
      open.decrementAndGet();
      unclaim(client);
      return false;
    }
    return true;
  }

  /** Gives back a slot {@link #take} gave {@code client}. */
  public void release(String client) {
    open.decrementAndGet();
    unclaim(client);
  }

  /** Slots held now, by all clients. */
  public int open() {
    return open.get();
  }

  private void unclaim(String client) {
    perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }
}
