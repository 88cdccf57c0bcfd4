package oracle.streaming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oracle.exchange.stream.ClosedMinutes;
import oracle.exchange.stream.SourceMinute;

/**
 * Gathers the feeds' finished minutes and hands each minute over once, as one {@link
 * ClosedMinutes}, when the minute plus {@code flush.graceMs} has passed; from the minute a term
 * started in (that one's stream minutes are incomplete: the feeds started in it). One per term.
 */
public final class MinuteHandover {
  private static final long MINUTE_MS = 60_000;

  private final long graceMs;
  private final Set<String> streamSources;
  private final Map<Long, List<SourceMinute>> pending = new HashMap<>();
  private final Map<Long, Map<String, List<String>>> unheard = new HashMap<>();
  private long next;

  public MinuteHandover(long graceMs, Set<String> streamSources, long startMs) {
    this.graceMs = graceMs;
    this.streamSources = Set.copyOf(streamSources);
    this.next = IncompleteMinutes.minuteOf(startMs);
  }

  /** Adds {@code closed} and returns the minutes now due, oldest first. */
  public List<ClosedMinutes> due(long nowMs, List<SourceMinute> closed) {
    return due(nowMs, closed, Map.of());
  }

  /**
   * Adds {@code closed} and the feeds' unheard symbols ({@link TradeFeed.Closed#unheard}, by
   * source) and returns the minutes now due, oldest first. A minute already handed over (a gap
   * found late) is not handed over again.
   */
  public List<ClosedMinutes> due(
      long nowMs, List<SourceMinute> closed, Map<String, Map<Long, List<String>>> unheardBySource) {
    for (SourceMinute m : closed) {
      long minuteMs = m.minute() * 1000;
      if (minuteMs >= next) pending.computeIfAbsent(minuteMs, k -> new ArrayList<>()).add(m);
    }
    unheardBySource.forEach(
        (source, byMinute) ->
            byMinute.forEach(
                (minuteMs, symbols) -> {
                  if (minuteMs >= next)
                    unheard
                        .computeIfAbsent(minuteMs, k -> new HashMap<>())
                        .computeIfAbsent(source, k -> new ArrayList<>())
                        .addAll(symbols);
                }));
    List<ClosedMinutes> out = new ArrayList<>();
    while (nowMs - (next + MINUTE_MS) > graceMs) {
      List<SourceMinute> ms = pending.remove(next);
      Map<String, List<String>> u = unheard.remove(next);
      out.add(
          new ClosedMinutes(
              next / 1000, ms == null ? List.of() : ms, streamSources, u == null ? Map.of() : u));
      next += MINUTE_MS;
    }
    return out;
  }
}
