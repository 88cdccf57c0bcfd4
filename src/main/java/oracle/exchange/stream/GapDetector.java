package oracle.exchange.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads gaps and duplicates from the trade ids of venues whose ids are contiguous per market
 * (Coinbase {@code trade_id}, Binance {@code t}, Kraken v2 {@code trade_id}, OKX {@code tradeId}),
 * so that a trade is never counted twice and a missed one is noticed. Keeps the last id seen per
 * (source, market); not thread-safe (one per event loop).
 *
 * <ul>
 *   <li>A trade whose id is at most the last one is a duplicate (a replay after a reconnect): not
 *       counted.
 *   <li>A trade whose first id skips past last + 1 is counted and reports how many ids are missing.
 *   <li>A replay trade ({@link Trade#replay()}) is never counted. Before the market's first counted
 *       trade, replays only set where counting starts (they predate the stream); after it, a newer
 *       replay reports its ids as missing (traded while the stream was away: only a repair can
 *       count them).
 *   <li>An aggregated trade whose ids overlap the last one seen is counted (it holds new fills).
 *   <li>A trade without contiguous ids is counted unless it is a replay; no gap is read from it.
 * </ul>
 */
public final class GapDetector {

  /**
   * What to do with one trade.
   *
   * @param count whether the trade is counted (new, not a replay)
   * @param missing how many trade ids before it (or, for a replay, up to it) were never received
   */
  public record Verdict(boolean count, long missing) {
    public static final Verdict COUNT = new Verdict(true, 0);
    public static final Verdict SKIP = new Verdict(false, 0);

    public boolean gap() {
      return missing > 0;
    }
  }

  private record Key(String source, String market) {}

  /** The last id seen, and whether a trade of the market was counted yet. */
  private static final class State {
    long last = Trade.NO_SEQ;
    boolean live;
  }

  private final Map<Key, State> states = new HashMap<>();

  /** The verdict on {@code trade}, remembering its id. */
  public Verdict check(Trade trade) {
    if (!trade.hasSeq()) return trade.replay() ? Verdict.SKIP : Verdict.COUNT;
    State state = states.computeIfAbsent(new Key(trade.source(), trade.market()), k -> new State());
    long previous = state.last;
    if (previous != Trade.NO_SEQ && trade.lastSeq() <= previous) return Verdict.SKIP;
    state.last = trade.lastSeq();
    if (trade.replay())
      return state.live ? new Verdict(false, trade.lastSeq() - previous) : Verdict.SKIP;
    state.live = true;
    if (previous == Trade.NO_SEQ || trade.firstSeq() <= previous + 1) return Verdict.COUNT;
    return new Verdict(true, trade.firstSeq() - previous - 1);
  }

  /** The last id seen for the market, or {@link Trade#NO_SEQ}. */
  public long lastSeq(String source, String market) {
    State state = states.get(new Key(source, market));
    return state == null ? Trade.NO_SEQ : state.last;
  }

  /** Forgets a market (no longer streamed): its next trade starts afresh. */
  public void forget(String source, String market) {
    states.remove(new Key(source, market));
  }
}
