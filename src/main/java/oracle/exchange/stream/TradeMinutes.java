package oracle.exchange.stream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One source's trades folded into 1-minute candles per market, by the exchange's own timestamps:
 * the open is the earliest trade of the minute and the close the latest, whatever order they arrive
 * in, so a trade that comes late (a slow link, a reconnect that replays) lands in its own minute
 * while that minute is open for {@code graceMs} after it ends. Later than that it is refused and
 * counted: the minute may already be final.
 *
 * <p>Besides the minutes, each market keeps what a price tick needs: the volume-weighted price of
 * the trades since the previous tick and the last trade (price and exchange time), which stays a
 * candidate while the stream is healthy, however quiet the market. Not thread-safe: one owner (the
 * connection's context) feeds and reads it.
 */
public final class TradeMinutes {
  /** A closed (or open) minute of one market on one source. */
  public record Minute(
      String market,
      long minuteMs,
      double open,
      double high,
      double low,
      double close,
      double volume,
      double quoteVolume,
      long trades) {}

  /**
   * What a tick reads: the VWAP of the trades since the last tick (NaN when there were none) and
   * the last trade, with its exchange time.
   */
  public record Tick(double vwapSinceLastTick, double lastPrice, long lastTradeMs, long trades) {}

  private static final long MINUTE_MS = 60_000;

  private static final class Open {
    final long minuteMs;
    long firstMs = Long.MAX_VALUE;
    long lastMs = Long.MIN_VALUE;
    double open;
    double high = Double.NEGATIVE_INFINITY;
    double low = Double.POSITIVE_INFINITY;
    double close;
    double volume;
    double quoteVolume;
    long trades;

    Open(long minuteMs) {
      this.minuteMs = minuteMs;
    }
  }

  private static final class Market {
    final Map<Long, Open> minutes = new HashMap<>(4);
    double tickQuote;
    double tickSize;
    long tickTrades;
    double lastPrice = Double.NaN;
    long lastMs = Long.MIN_VALUE;
  }

  private final long graceMs;
  private final Map<String, Market> markets = new HashMap<>();
  private long refusedLate;

  public TradeMinutes(long graceMs) {
    if (graceMs < 0) throw new IllegalArgumentException("graceMs must not be negative");
    this.graceMs = graceMs;
  }

  /**
   * Counts one trade; false (and nothing counted) when its minute ended more than {@code graceMs}
   * before {@code nowMs}, or the trade is not a trade (a price or size that is not positive and
   * finite).
   */
  public boolean add(String market, long tradeMs, double price, double size, long nowMs) {
    if (!(price > 0) || !(size > 0) || Double.isInfinite(price) || Double.isInfinite(size))
      return false;
    long minute = Math.floorDiv(tradeMs, MINUTE_MS) * MINUTE_MS;
    if (nowMs - (minute + MINUTE_MS) > graceMs) {
      refusedLate++;
      return false;
    }
    Market m = markets.computeIfAbsent(market, k -> new Market());
    Open o = m.minutes.computeIfAbsent(minute, Open::new);
    // Equal times keep arrival order: the first to arrive opens, the last closes.
    if (tradeMs < o.firstMs) {
      o.firstMs = tradeMs;
      o.open = price;
    }
    if (tradeMs >= o.lastMs) {
      o.lastMs = tradeMs;
      o.close = price;
    }
    o.high = Math.max(o.high, price);
    o.low = Math.min(o.low, price);
    o.volume += size;
    o.quoteVolume += price * size;
    o.trades++;
    m.tickQuote += price * size;
    m.tickSize += size;
    m.tickTrades++;
    if (tradeMs >= m.lastMs) {
      m.lastMs = tradeMs;
      m.lastPrice = price;
    }
    return true;
  }

  /** The market's tick since the previous call (and resets it), or null if it never traded. */
  public Tick tick(String market) {
    Market m = markets.get(market);
    if (m == null || m.lastMs == Long.MIN_VALUE) return null;
    Tick t =
        new Tick(
            m.tickSize > 0 ? m.tickQuote / m.tickSize : Double.NaN,
            m.lastPrice,
            m.lastMs,
            m.tickTrades);
    m.tickQuote = 0;
    m.tickSize = 0;
    m.tickTrades = 0;
    return t;
  }

  /** The minute as counted so far, or null if no trade of it was seen. */
  public Minute minute(String market, long minuteMs) {
    Market m = markets.get(market);
    Open o = m == null ? null : m.minutes.get(minuteMs);
    return o == null ? null : minute(market, o);
  }

  /**
   * Removes and returns every minute that can no longer change: ended more than {@code graceMs}
   * before {@code nowMs}.
   */
  public List<Minute> closed(long nowMs) {
    List<Minute> out = new ArrayList<>();
    for (Map.Entry<String, Market> e : markets.entrySet()) {
      Iterator<Open> it = e.getValue().minutes.values().iterator();
      while (it.hasNext()) {
        Open o = it.next();
        if (nowMs - (o.minuteMs + MINUTE_MS) > graceMs) {
          out.add(minute(e.getKey(), o));
          it.remove();
        }
      }
    }
    out.sort(
        (a, b) ->
            a.minuteMs() != b.minuteMs()
                ? Long.compare(a.minuteMs(), b.minuteMs())
                : a.market().compareTo(b.market()));
    return out;
  }

  /** Trades refused because their minute was already final. */
  public long refusedLate() {
    return refusedLate;
  }

  private static Minute minute(String market, Open o) {
    return new Minute(
        market, o.minuteMs, o.open, o.high, o.low, o.close, o.volume, o.quoteVolume, o.trades);
  }
}
