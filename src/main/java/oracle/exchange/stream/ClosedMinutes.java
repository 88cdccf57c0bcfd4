package oracle.exchange.stream;

import java.util.List;
import java.util.Set;

/**
 * Every stream-enabled source's finished minute, per symbol, handed to the minute's close-out
 * ({@code oracle.common.Addresses#MINUTES_CLOSED}, local only) once the minute and {@code
 * flush.graceMs} have passed, only while leading.
 *
 * @param minuteSec the minute's start, Unix seconds
 * @param minutes one {@link SourceMinute} per (source, symbol) that traded in the minute; a source
 *     that was polled for part or all of it has {@code complete = false}
 * @param streamSources the stream-enabled sources
 */
public record ClosedMinutes(long minuteSec, List<SourceMinute> minutes, Set<String> streamSources) {
  public ClosedMinutes {
    minutes = List.copyOf(minutes);
    streamSources = Set.copyOf(streamSources);
  }
}
