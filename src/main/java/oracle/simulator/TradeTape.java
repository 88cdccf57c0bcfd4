package oracle.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import oracle.exchange.FakeMarkets.Trade;
import oracle.exchange.Kline;

/**
 * The trade-level truth of one market on one venue: trades at random instants (a Poisson process of
 * {@link Trading#tradesPerSecond()}) around the scripted price, with contiguous trade numbers. It
 * keeps each minute's OHLCV and trade count for {@link #HISTORY_MINUTES}, and the individual trades
 * of the last {@link #RECENT_MS} for the streams. The minutes before the tape began are a
 * deterministic random walk ending at the price the tape began with, built on first request only
 * (so starting many markets costs nothing until a backfill asks).
 *
 * <p>Thread-safe: REST handlers advance it from any event loop; new trades wait in {@link #drain()}
 * for the one timer that pushes them to the streams, in order.
 */
final class TradeTape {
  /** Minutes of per-minute history kept (and generated before the tape began): 25 h. */
  static final int HISTORY_MINUTES = 25 * 60;

  /** How long individual trades are kept (for replay on subscribe). */
  static final long RECENT_MS = 120_000;

  /** One minute's OHLCV and trade count. */
  private static final class Bar {
    final long minute;
    double open;
    double high;
    double low;
    double close;
    double volume;
    long trades;

    Bar(long minute) {
      this.minute = minute;
    }

    void add(double price, double size) {
      if (trades++ == 0) {
        open = high = low = price;
      } else {
        high = Math.max(high, price);
        low = Math.min(low, price);
      }
      close = price;
      volume += size;
    }

    Kline kline(String exchange, String market) {
      return new Kline(exchange, market, minute, open, high, low, close, volume).withTrades(trades);
    }
  }

  private final String exchange;
  private final String market;
  private final Trading trading;
  private final long seed;
  private final long walkSeed;
  private final double walkVolatility;
  private final Random random;
  private final long firstMinute;
  private final double anchorPrice;
  private final double meanSize;
  private final TreeMap<Long, Bar> live = new TreeMap<>();
  private final ArrayDeque<Trade> recent = new ArrayDeque<>();
  private final List<Trade> pending = new ArrayList<>();
  private Map<Long, Bar> history;
  private long seq;
  private double nextAtMs;
  private volatile Trade last;
  private volatile Trade published;

  /**
   * A tape beginning at {@code nowMs} at {@code price}; {@code quoteVolume24h} sets the mean trade
   * size so a day of trades is about that volume. Tapes of the same {@code asset} (its base asset
   * on every venue) share their history's walk, so the venues' histories agree as real venues' do;
   * a stablecoin's ({@code stable}) history does not walk.
   */
  TradeTape(
      String exchange,
      String market,
      String asset,
      boolean stable,
      Trading trading,
      double price,
      double quoteVolume24h,
      long nowMs) {
    this.exchange = exchange;
    this.market = market;
    this.trading = trading;
    this.seed = trading.seed() * 1_000_003L + (exchange + "/" + market).hashCode();
    this.walkSeed = trading.seed() * 1_000_003L + (asset == null ? market : asset).hashCode();
    this.walkVolatility = stable ? 0 : trading.minuteVolatility();
    this.random = new Random(seed);
    this.firstMinute = Math.floorDiv(nowMs, 60_000L) * 60;
    this.anchorPrice = price;
    double daily = trading.tradesPerSecond() * 86_400;
    this.meanSize = quoteVolume24h > 0 ? quoteVolume24h / price / daily : 1;
    this.seq = 1_000_000L + random.nextInt(9_000_000);
    this.nextAtMs = nowMs + gapMs(random);
  }

  /** Prints every trade due by {@code nowMs} around {@code price}. */
  synchronized void advance(long nowMs, double price) {
    if (!(price > 0)) return;
    while (nextAtMs <= nowMs) {
      long at = (long) nextAtMs;
      double p = round(price * (1 + random.nextGaussian() * trading.spread()));
      Trade t = new Trade(market, seq++, p, size(random), at, random.nextBoolean());
      bar(live, Math.floorDiv(at, 60_000L) * 60).add(t.price(), t.size());
      recent.addLast(t);
      pending.add(t);
      last = t;
      nextAtMs += gapMs(random);
    }
    while (!recent.isEmpty() && recent.peekFirst().timeMs() < nowMs - RECENT_MS)
      recent.removeFirst();
    long oldest = firstMinute(nowMs);
    while (!live.isEmpty() && live.firstKey() < oldest) live.pollFirstEntry();
  }

  /** The trades printed since the last call, in order. */
  synchronized List<Trade> drain() {
    if (pending.isEmpty()) return List.of();
    List<Trade> out = new ArrayList<>(pending);
    pending.clear();
    published = out.get(out.size() - 1);
    return out;
  }

  /** The latest trade, or null before the first. */
  Trade last() {
    return last;
  }

  /**
   * The latest trade handed to the streams ({@link #drain()}), or null: what a venue replays on
   * subscribing, so a replay never runs ahead of the trades it pushes next.
   */
  Trade lastPublished() {
    return published;
  }

  /** The latest (at most {@code n}) trades handed to the streams, oldest first. */
  synchronized List<Trade> recentPublished(int n) {
    Trade p = published;
    if (p == null) return List.of();
    List<Trade> out = recent.stream().filter(t -> t.seq() <= p.seq()).toList();
    return out.subList(Math.max(0, out.size() - n), out.size());
  }

  /** The trades of the last {@link #RECENT_MS} from {@code fromMs} on, in order. */
  synchronized List<Trade> recent(long fromMs) {
    return recent.stream().filter(t -> t.timeMs() >= fromMs).toList();
  }

  /** The 1-minute klines of minutes in [fromSec, toSec] that had trades, ascending. */
  synchronized List<Kline> klines(long fromSec, long toSec, long nowMs) {
    long from = Math.max(fromSec, firstMinute(nowMs));
    List<Kline> out = new ArrayList<>();
    if (from < firstMinute) {
      if (history == null) history = history();
      for (long m = Math.floorDiv(from + 59, 60) * 60; m < firstMinute && m <= toSec; m += 60) {
        Bar b = history.get(m);
        if (b != null) out.add(b.kline(exchange, market));
      }
    }
    live.subMap(from, true, toSec, true).values().forEach(b -> out.add(b.kline(exchange, market)));
    return out;
  }

  private static long firstMinute(long nowMs) {
    return Math.floorDiv(nowMs, 60_000L) * 60 - HISTORY_MINUTES * 60L;
  }

  /**
   * The minutes before the tape began: a random walk (seeded by the asset, so the same on every
   * venue and whenever it is built) whose last minute closes near the tape's first price; the
   * trades in each minute are the tape's own.
   */
  private Map<Long, Bar> history() {
    Random walk = new Random(walkSeed ^ 0x5DEECE66DL);
    Random r = new Random(seed ^ 0x5DEECE66DL);
    int n = HISTORY_MINUTES;
    double[] move = new double[n];
    for (int i = 0; i < n; i++) move[i] = walk.nextGaussian() * walkVolatility;
    double[] start = new double[n];
    double p = anchorPrice;
    for (int i = n - 1; i >= 0; i--) {
      p = p / Math.exp(move[i]);
      start[i] = p;
    }
    Map<Long, Bar> out = new java.util.HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      long minute = firstMinute - (long) (n - i) * 60;
      Bar b = new Bar(minute);
      for (double t = gapMs(r); t < 60_000; t += gapMs(r)) {
        double drift = start[i] * Math.exp(move[i] * t / 60_000);
        b.add(round(drift * (1 + r.nextGaussian() * trading.spread())), size(r));
      }
      if (b.trades > 0) out.put(minute, b);
    }
    return out;
  }

  private Bar bar(TreeMap<Long, Bar> bars, long minute) {
    return bars.computeIfAbsent(minute, Bar::new);
  }

  private double gapMs(Random r) {
    return -Math.log(1 - r.nextDouble()) * 1000 / trading.tradesPerSecond();
  }

  /** An exponentially distributed size around the mean, to 8 decimals, never zero. */
  private double size(Random r) {
    double s = -Math.log(1 - r.nextDouble()) * meanSize;
    return Math.max(1e-8, Math.round(s * 1e8) / 1e8);
  }

  /** A price to 8 significant digits, as a venue's tick size would round it. */
  static double round(double price) {
    if (!(price > 0) || Double.isInfinite(price)) return price;
    double scale = Math.pow(10, 7 - Math.floor(Math.log10(price)));
    return Math.round(price * scale) / scale;
  }
}
