package oracle.exchange.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every stream-enabled source's finished minute, per symbol: sent once per minute by the leader's
 * polling side on {@code Addresses.MINUTES_CLOSED} after the minute plus {@code flush.graceMs} has
 * passed (no trade of it can still arrive), for the minute's close-out.
 *
 * <p>A source polled instead of streamed for part or all of the minute gives a {@link SourceMinute}
 * with {@code complete = false} when it had any trades; a symbol without a trade on a healthy
 * stream has no {@link SourceMinute} from it. A symbol without a trade on a stream that was
 * <em>not</em> healthy for the whole minute (down, silent, lagging, a gap, the term starting) is
 * listed in {@code unheard}: its trades may all be missing, so the closer asks its kline too.
 *
 * @param minuteSec the minute's start, Unix seconds
 * @param minutes the sources' minutes (any order)
 * @param streamSources the sources whose trade stream is enabled (whatever its health): their
 *     minutes come from trades, so the closer repairs the incomplete ones from REST
 * @param unheard per source, the symbols whose minute that source's stream did not carry whole and
 *     that brought no trade (no {@link SourceMinute}); sources with none are left out. At 10,000
 *     symbols with a stream down this is one list of 10,000 references to the feed's own symbol
 *     strings per source: the record travels by reference (local codec), never serialised.
 */
public record ClosedMinutes(
    long minuteSec,
    List<SourceMinute> minutes,
    Set<String> streamSources,
    Map<String, List<String>> unheard) {
  public ClosedMinutes {
    minutes = List.copyOf(minutes);
    streamSources = Set.copyOf(streamSources);
    Map<String, List<String>> u = new LinkedHashMap<>();
    unheard.forEach(
        (source, symbols) -> {
          if (!symbols.isEmpty()) u.put(source, List.copyOf(symbols));
        });
    unheard = java.util.Collections.unmodifiableMap(u);
  }

  /** Without unheard symbols (every incomplete stream minute brought trades). */
  public ClosedMinutes(long minuteSec, List<SourceMinute> minutes, Set<String> streamSources) {
    this(minuteSec, minutes, streamSources, Map.of());
  }

  /** Whether there is nothing to close out: no source minute and no unheard symbol. */
  public boolean isEmpty() {
    return minutes.isEmpty() && unheard.isEmpty();
  }

  /** The number of unheard (source, symbol) pairs. */
  public int unheardCount() {
    int n = 0;
    for (List<String> l : unheard.values()) n += l.size();
    return n;
  }
}
