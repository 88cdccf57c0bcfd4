package oracle.exchange.stream;

import java.util.List;
import java.util.Set;

/**
 * Every stream-enabled source's finished minute, per symbol: sent once per minute by the leader's
 * polling side on {@code Addresses.MINUTES_CLOSED} after the minute plus {@code flush.graceMs} has
 * passed (no trade of it can still arrive), for the minute's close-out.
 *
 * <p>A source polled instead of streamed for part or all of the minute gives a {@link SourceMinute}
 * with {@code complete = false} when it had any trades; a symbol without a trade on a healthy
 * stream has no {@link SourceMinute} from it.
 *
 * @param minuteSec the minute's start, Unix seconds
 * @param minutes the sources' minutes (any order)
 * @param streamSources the sources whose trade stream is enabled (whatever its health): their
 *     minutes come from trades, so the closer repairs the incomplete ones from REST
 */
public record ClosedMinutes(long minuteSec, List<SourceMinute> minutes, Set<String> streamSources) {
  public ClosedMinutes {
    minutes = List.copyOf(minutes);
    streamSources = Set.copyOf(streamSources);
  }
}
