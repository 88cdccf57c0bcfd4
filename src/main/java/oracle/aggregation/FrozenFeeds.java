package oracle.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import oracle.exchange.DropReason;

/**
 * Finds frozen feeds: a source whose answer has not changed for {@code ingestion.stalenessMs} while
 * the median of the other sources moved by more than the fence's minimum band since it last
 * changed. Kraken tickers and Uniswap pools carry no exchange timestamp, so without this a stuck
 * answer would never be stale. State per symbol and source, kept by the live aggregation (one tick
 * at a time).
 */
public final class FrozenFeeds {
  /** The source's answer, since when it has been this value, and the others' median back then. */
  private static final class Watch {
    double raw;
    long sinceMs;
    double othersThen;
  }

  /** Symbol → source → watch (nested, so a tick of 60,000 quotes builds no key strings). */
  private final Map<String, Map<String, Watch>> watches = new ConcurrentHashMap<>();

  /** Notes every candidate's answer: a changed answer restarts its clock. */
  void track(String symbol, List<Aggregator.Candidate> candidates, long nowMs) {
    for (Aggregator.Candidate c : candidates) {
      Watch w =
          watches
              .computeIfAbsent(symbol, k -> new ConcurrentHashMap<>())
              .computeIfAbsent(c.exchange(), k -> new Watch());
      if (w.sinceMs == 0 || w.raw != c.rawPrice()) {
        w.raw = c.rawPrice();
        w.sinceMs = nowMs;
        w.othersThen = Double.NaN;
      }
    }
  }

  /**
   * The candidates (those that passed the outlier fence) that are not frozen; frozen ones go to
   * {@code dropped} as {@link DropReason#FROZEN}. "The others' median" needs at least two other
   * sources: with one, a glitch of that one would make the honest source look frozen. A quote from
   * a healthy trade stream is never frozen: its price moves only when the market trades, and its
   * age already weighs it down ({@link Aggregator#agePenalty}).
   */
  List<Aggregator.Candidate> filter(
      String symbol,
      List<Aggregator.Candidate> candidates,
      List<Aggregator.Dropped> dropped,
      long nowMs,
      long stalenessMs,
      double minBand) {
    List<Aggregator.Candidate> kept = new ArrayList<>(candidates.size());
    for (Aggregator.Candidate c : candidates) {
      double others = othersMedian(candidates, c);
      Map<String, Watch> bySource = watches.get(symbol);
      Watch w = bySource == null ? null : bySource.get(c.exchange());
      if (w != null && Double.isNaN(w.othersThen)) w.othersThen = others;
      boolean streamed = c.origin() instanceof oracle.exchange.Quote q && q.streamed();
      boolean frozen =
          !streamed
              && w != null
              && nowMs - w.sinceMs >= stalenessMs
              && Double.isFinite(others)
              && Double.isFinite(w.othersThen)
              && Math.abs(others - w.othersThen) > minBand * w.othersThen;
      if (frozen) dropped.add(new Aggregator.Dropped(c.exchange(), DropReason.FROZEN, c.price()));
      else kept.add(c);
    }
    return kept;
  }

  private static double othersMedian(List<Aggregator.Candidate> all, Aggregator.Candidate self) {
    double[] others = new double[all.size()];
    int n = 0;
    for (Aggregator.Candidate x : all) {
      if (x != self) others[n++] = x.price();
    }
    return n < 2 ? Double.NaN : RobustStats.median(Arrays.copyOf(others, n));
  }

  /** Forgets everything (a new leadership term starts from scratch). */
  public void clear() {
    watches.clear();
  }

  int watched() {
    return watches.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public String toString() {
    List<String> keys = new ArrayList<>();
    watches.forEach(
        (symbol, bySource) -> bySource.keySet().forEach(e -> keys.add(symbol + '|' + e)));
    return "FrozenFeeds" + Arrays.toString(keys.toArray());
  }
}
