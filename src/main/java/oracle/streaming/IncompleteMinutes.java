package oracle.streaming;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which (market, minute) pairs a stream did not carry whole: the connection was lost or reopened,
 * silent, lagging or not yet subscribed at some moment of the minute, a trade-id gap fell in it, or
 * the feed started in it (the leader changed). Such a minute's trades may be missing: its {@code
 * SourceMinute} is incomplete and the close-out repairs it from REST.
 */
final class IncompleteMinutes {
  private static final long MINUTE_MS = 60_000;

  private final Map<Long, Set<String>> byMinute = new HashMap<>();

  static long minuteOf(long ms) {
    return Math.floorDiv(ms, MINUTE_MS) * MINUTE_MS;
  }

  /** Marks the minute of {@code atMs} for every market in {@code markets}. */
  void mark(Iterable<String> markets, long atMs) {
    Set<String> set = byMinute.computeIfAbsent(minuteOf(atMs), k -> new HashSet<>());
    for (String m : markets) set.add(m);
  }

  /** Marks every minute from {@code fromMs}'s to {@code toMs}'s for one market (a gap's span). */
  void markSpan(String market, long fromMs, long toMs) {
    long from = minuteOf(Math.min(fromMs, toMs));
    long to = minuteOf(Math.max(fromMs, toMs));
    // a span longer than an hour is bounded: older minutes are final long since
    from = Math.max(from, to - 60 * MINUTE_MS);
    for (long m = from; m <= to; m += MINUTE_MS)
      byMinute.computeIfAbsent(m, k -> new HashSet<>()).add(market);
  }

  boolean incomplete(String market, long minuteMs) {
    Set<String> set = byMinute.get(minuteMs);
    return set != null && set.contains(market);
  }

  /**
   * Removes and returns the minutes that start before {@code beforeMs} (closed: no trade can join
   * them any more), each with its incomplete markets.
   */
  Map<Long, Set<String>> takeBefore(long beforeMs) {
    Map<Long, Set<String>> out = new HashMap<>();
    var it = byMinute.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey() < beforeMs) {
        out.put(e.getKey(), e.getValue());
        it.remove();
      }
    }
    return out;
  }
}
