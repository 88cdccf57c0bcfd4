package oracle.http.admin;

import java.util.HashMap;
import java.util.Map;

/**
 * Failed admin authentications per client in fixed windows: after {@link #MAX_FAILURES} in {@link
 * #WINDOW_MS} a client is refused (429) until its window ends, right token or not, so a token
 * cannot be guessed at request rate. Per process, on the event loop of the HTTP verticle that owns
 * it; the map is swept of ended windows once it holds {@link #SWEEP_AT} clients, so a flood from
 * many addresses cannot grow it without bound.
 */
final class FailedAttempts {
  static final int MAX_FAILURES = 10;
  static final long WINDOW_MS = 60_000;
  static final int SWEEP_AT = 10_000;

  private record Window(long startMs, int failures) {}

  private final Map<String, Window> windows = new HashMap<>();

  /** Milliseconds until {@code client} may try again; 0 when it may now. */
  long blockedForMs(String client, long nowMs) {
    Window w = windows.get(client);
    if (w == null) return 0;
    long left = w.startMs + WINDOW_MS - nowMs;
    if (left <= 0) {
      windows.remove(client);
      return 0;
    }
    return w.failures >= MAX_FAILURES ? left : 0;
  }

  void failed(String client, long nowMs) {
    if (windows.size() >= SWEEP_AT) windows.values().removeIf(w -> w.startMs + WINDOW_MS <= nowMs);
    Window w = windows.get(client);
    windows.put(
        client,
        w == null || w.startMs + WINDOW_MS <= nowMs
            ? new Window(nowMs, 1)
            : new Window(w.startMs, w.failures + 1));
  }

  int clients() {
    return windows.size();
  }
}
