package oracle.aggregation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The conversion rates the live ticks saw, per minute: each pair's last rate of the minute, dated
 * the minute's start (as backfill dates a rate kline's close), for the minute's close-out, which
 * runs after the minute when the ticks' newest rate is already of a later minute. A few minutes are
 * kept. Written by the aggregation's ordered worker tasks, read on the event loop: thread-safe.
 */
final class MinuteRates {
  static final int KEEP_MINUTES = 10;

  private final ConcurrentSkipListMap<Long, Map<String, Aggregator.Rate>> byMinute =
      new ConcurrentSkipListMap<>();

  void record(String pair, double value, long atMs) {
    long minute = oracle.common.RedisKeys.minuteOf(atMs);
    byMinute
        .computeIfAbsent(minute, m -> new ConcurrentHashMap<>())
        .put(pair, new Aggregator.Rate(value, minute * 1000));
    while (byMinute.size() > KEEP_MINUTES) byMinute.pollFirstEntry();
  }

  /** The rates of {@code minuteSec} (empty when no tick of it saw one). */
  Map<String, Aggregator.Rate> of(long minuteSec) {
    Map<String, Aggregator.Rate> m = byMinute.get(minuteSec);
    return m == null ? Map.of() : Map.copyOf(m);
  }
}
