package oracle.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import oracle.exchange.DropReason;
import oracle.exchange.MarketIds;
import oracle.exchange.Quote;

/**
 * The one place that decides a price, for the live path and for backfill alike. Pure and
 * deterministic (the only state, {@link FrozenFeeds}, is the caller's):
 *
 * <ol>
 *   <li>drop invalid prices (≤ 0, NaN) and quotes whose exchange timestamp is older than the
 *       staleness window;
 *   <li>convert prices quoted in another currency with a rate the oracle derived itself, of the
 *       same moment (never guessed: a missing or stale rate drops the source as {@code
 *       no_conversion});
 *   <li>drop sources the adapter rejected ({@code manipulated});
 *   <li>with three or more sources, drop outliers outside the fence ({@link
 *       RobustStats#outlierFence}), then feeds that stopped moving while the others moved ({@code
 *       frozen}, live only: {@link FrozenFeeds});
 *   <li>quorum ({@link QuorumRule}): at least {@code minSources} of the rest within {@code
 *       maxDivergence} of their median, else no price ({@code no_quorum} when too few sources are
 *       left at all, {@code diverged} when enough are left but too few agree); sources outside the
 *       band are dropped as {@code diverged};
 *   <li>VWAP weighted by liquidity over the sources that report it, else the median; one source (or
 *       identical prices) is published exactly as quoted;
 *   <li>confidence: the weighted interquartile half-range of the used prices, at least the
 *       narrowest half bid/ask spread of a used source.
 * </ol>
 *
 * The candle volume is the sum of the surviving sources' current-minute volumes (base units).
 *
 * <p><b>Streamed quotes.</b> A quote read from a healthy trade stream ({@link Quote.Via#STREAM}) is
 * its source's last trade, and a quiet market is not a stale source: it is never dropped as {@code
 * stale} for its age (the stream's health, checked by the caller, is its staleness), nor as {@code
 * frozen} (its price only moves when it trades). It stays a candidate with its VWAP weight
 * multiplied by {@link #agePenalty} = 0.5^(age / stalenessMs): a trade one staleness window old
 * counts half, two windows a quarter (as CCData's time penalty), so fresh venues lead the price. A
 * streamed quote dated more than the window ahead of the clock is still dropped as {@code stale}.
 */
public final class Aggregator {
  private final long stalenessMs;
  private final double minBand;
  private final QuorumRule quorum;
  private final double maxWeightShare;

  public Aggregator(long stalenessMs, double minBand) {
    this(stalenessMs, minBand, QuorumRule.NONE);
  }

  /** Rules without a weight cap (unit tests, legacy callers). */
  public Aggregator(long stalenessMs, double minBand, QuorumRule quorum) {
    this(stalenessMs, minBand, quorum, 1.0);
  }

  /**
   * @param maxWeightShare the largest share of the VWAP weight one source may hold, in (0, 1] (1 =
   *     no cap; {@link WeightCap})
   */
  public Aggregator(long stalenessMs, double minBand, QuorumRule quorum, double maxWeightShare) {
    this.stalenessMs = stalenessMs;
    this.minBand = minBand;
    this.quorum = quorum;
    this.maxWeightShare = maxWeightShare;
  }

  public long stalenessMs() {
    return stalenessMs;
  }

  public double minBand() {
    return minBand;
  }

  public QuorumRule quorum() {
    return quorum;
  }

  public double maxWeightShare() {
    return maxWeightShare;
  }

  /** Whether a price was published, and if not why. */
  public enum Status {
    OK("ok"),
    NO_QUORUM("no_quorum"),
    DIVERGED("diverged");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * A conversion rate: {@code value} units of the pair's quote per one unit of its base, as of
   * {@code timestampMs}.
   */
  public record Rate(double value, long timestampMs) {
    /**
     * A rate quoted at {@code quotedMs}, never dated after {@code nowMs}: a source whose clock runs
     * ahead would otherwise hold its rate as "newest" and block every later one until the clock
     * caught up.
     */
    public static Rate asOf(double value, long quotedMs, long nowMs) {
      return new Rate(value, Math.min(quotedMs, nowMs));
    }
  }

  /**
   * A source in the price.
   *
   * @param weight its VWAP weight in the symbol's quote currency, as used: lowered to the cap when
   *     {@code capped}
   * @param capped whether its weight was lowered to {@code ingestion.maxWeightShare} of the total
   * @param via how the source was read (its trade stream or a REST poll)
   * @param minuteTrades its trade count behind {@code minuteVolume}, -1 when unknown
   */
  public record Used(
      String exchange,
      double price,
      double weight,
      double minuteVolume,
      boolean capped,
      Quote.Via via,
      long minuteTrades) {
    public Used(String exchange, double price, double weight, double minuteVolume, boolean capped) {
      this(exchange, price, weight, minuteVolume, capped, Quote.Via.POLL, -1);
    }
  }

  /**
   * The factor a streamed quote's weight is multiplied by at {@code ageMs}: 1 when fresh, halving
   * every {@code stalenessMs}.
   */
  public static double agePenalty(long ageMs, long stalenessMs) {
    if (ageMs <= 0) return 1.0;
    return Math.pow(0.5, (double) ageMs / stalenessMs);
  }

  private static Quote.Via via(Candidate c) {
    return c.origin() instanceof Quote q ? q.via() : Quote.Via.POLL;
  }

  /** The source's trade count of the minute behind its volume, -1 when unknown. */
  private static long minuteTrades(Candidate c) {
    return c.origin() instanceof Quote q ? q.minuteTrades() : -1;
  }

  public record Dropped(String exchange, DropReason reason, double price) {}

  /**
   * One source's price as the rules see it: already converted into the symbol's quote currency.
   *
   * @param rawPrice the price as the source quoted it (what {@link FrozenFeeds} watches)
   * @param weight VWAP weight in the symbol's quote currency (0 = none)
   * @param halfSpread half the bid/ask spread in the symbol's quote currency, NaN when unknown
   * @param origin the caller's object behind it (a quote or a kline)
   */
  public record Candidate(
      String exchange,
      double price,
      double rawPrice,
      double weight,
      double halfSpread,
      double minuteVolume,
      Object origin) {}

  /**
   * @param price the aggregated price; NaN unless {@code status} is OK (then nothing is written)
   * @param method {@code vwap}, {@code median}, or {@code none}
   * @param volume summed current-minute volume of the used sources, NaN when none reported one
   * @param dispersion coefficient of variation (population std-dev / mean) of the used prices
   * @param confidence the band around {@code price} (same unit), NaN without a price
   * @param minSources the quorum this symbol needs
   * @param used the sources in the price; when the quorum failed, the sources that were counted
   * @param kept the candidates behind {@code used}, in the same order (for backfill's OHLC), with
   *     their weights as used (capped)
   * @param weightCapped whether a source's weight was capped ({@code ingestion.maxWeightShare})
   */
  public record Result(
      String symbol,
      double price,
      long timestampMs,
      String method,
      double volume,
      double dispersion,
      double confidence,
      Status status,
      int minSources,
      List<Used> used,
      List<Dropped> dropped,
      List<Candidate> kept,
      boolean weightCapped) {
    public boolean hasPrice() {
      return status == Status.OK && Double.isFinite(price);
    }
  }

  /**
   * @param quotes every source's quote of {@code symbol} this tick
   * @param rates conversion rates by pair ({@code "USDT/KRW"} = KRW per USDT)
   * @param unavailable sources that gave nothing this tick, with the reason (breaker open, rate
   *     limited)
   */
  public Result aggregate(
      String symbol,
      List<Quote> quotes,
      Map<String, Rate> rates,
      List<Dropped> unavailable,
      long nowMs) {
    return aggregate(symbol, quotes, rates, unavailable, nowMs, null);
  }

  /** As above, with frozen-feed detection ({@code frozen} may be null: none). */
  public Result aggregate(
      String symbol,
      List<Quote> quotes,
      Map<String, Rate> rates,
      List<Dropped> unavailable,
      long nowMs,
      FrozenFeeds frozen) {
    String target = MarketIds.quote(symbol);
    List<Dropped> dropped = new ArrayList<>(unavailable);
    List<Candidate> candidates = new ArrayList<>(quotes.size());
    for (Quote q : quotes) {
      boolean validPrice = q.price() > 0 && Double.isFinite(q.price());
      if (!validPrice && q.rejected() != null) {
        // the adapter could not read a price and says why (a DEX pool's tokens: unreadable)
        dropped.add(new Dropped(q.exchange(), q.rejected(), Double.NaN));
      } else if (!validPrice) {
        dropped.add(new Dropped(q.exchange(), DropReason.INVALID_PRICE, q.price()));
      } else if (q.streamed()
          ? q.timestampMs() - nowMs
              > stalenessMs // a healthy stream's last trade: only a future date
          : Math.abs(nowMs - q.timestampMs())
              > stalenessMs) { // too old, or dated implausibly far ahead
        dropped.add(new Dropped(q.exchange(), DropReason.STALE, q.price()));
      } else {
        double factor = conversion(target, q.quoteCurrency(), rates, nowMs);
        if (Double.isNaN(factor)) {
          dropped.add(new Dropped(q.exchange(), DropReason.NO_CONVERSION, q.price()));
        } else if (q.rejected() != null) {
          dropped.add(new Dropped(q.exchange(), q.rejected(), q.price() * factor));
        } else {
          double weight =
              q.liquidity() > 0 && Double.isFinite(q.liquidity()) ? q.liquidity() * factor : 0;
          if (q.streamed()) weight *= agePenalty(nowMs - q.timestampMs(), stalenessMs);
          double half =
              q.ask() >= q.bid() && q.bid() > 0 ? (q.ask() - q.bid()) / 2 * factor : Double.NaN;
          candidates.add(
              new Candidate(
                  q.exchange(),
                  convert(q.price(), factor),
                  q.price(),
                  weight,
                  half,
                  q.minuteVolume(),
                  q));
        }
      }
    }
    if (frozen != null) frozen.track(symbol, candidates, nowMs);
    return decide(symbol, candidates, dropped, nowMs, frozen);
  }

  /**
   * Steps 4 to 7 over converted candidates: the fence, the quorum, the price and its confidence.
   * The backfill and the minute close-out call this too ({@link KlineCombiner}), with each source
   * minute's close.
   */
  public Result decide(
      String symbol, List<Candidate> candidates, List<Dropped> droppedSoFar, long nowMs) {
    return decide(symbol, candidates, droppedSoFar, nowMs, null);
  }

  private Result decide(
      String symbol,
      List<Candidate> candidates,
      List<Dropped> droppedSoFar,
      long nowMs,
      FrozenFeeds frozen) {
    List<Dropped> dropped = new ArrayList<>(droppedSoFar);
    int minSources = quorum.minSourcesFor(symbol);
    List<Candidate> fenced = removeOutliers(candidates, dropped);
    // Frozen feeds are judged among the sources the fence kept, so one glitching source cannot make
    // the steady ones look frozen.
    if (frozen != null)
      fenced = frozen.filter(symbol, fenced, dropped, nowMs, stalenessMs, minBand);
    if (fenced.isEmpty() || fenced.size() < minSources) {
      return withheld(symbol, Status.NO_QUORUM, minSources, fenced, dropped, nowMs);
    }
    double median = RobustStats.median(prices(fenced));
    List<Candidate> agreeing = new ArrayList<>(fenced.size());
    List<Dropped> diverged = new ArrayList<>();
    for (Candidate c : fenced) {
      if (Math.abs(c.price() - median) <= quorum.maxDivergence() * median) agreeing.add(c);
      else diverged.add(new Dropped(c.exchange(), DropReason.DIVERGED, c.price()));
    }
    if (agreeing.size() < minSources) {
      dropped.addAll(diverged);
      return withheld(symbol, Status.DIVERGED, minSources, List.of(), dropped, nowMs);
    }
    dropped.addAll(diverged);
    // Only sources that move the price count: with any weight present, the weightless ones would
    // not (a 2-source quorum could otherwise publish one venue's price).
    boolean vwap = RobustStats.anyWeight(weights(agreeing));
    List<Candidate> contributing = vwap ? new ArrayList<>(agreeing.size()) : agreeing;
    if (vwap) {
      for (Candidate c : agreeing) {
        if (c.weight() > 0 && Double.isFinite(c.weight())) contributing.add(c);
        else dropped.add(new Dropped(c.exchange(), DropReason.NO_WEIGHT, c.price()));
      }
    }
    if (contributing.size() < minSources) {
      return withheld(symbol, Status.NO_QUORUM, minSources, contributing, dropped, nowMs);
    }

    WeightCap cap = WeightCap.of(weights(contributing), maxWeightShare);
    List<Candidate> kept = contributing;
    if (cap.applied()) {
      kept = new ArrayList<>(contributing.size());
      for (int i = 0; i < contributing.size(); i++) {
        Candidate c = contributing.get(i);
        kept.add(
            new Candidate(
                c.exchange(),
                c.price(),
                c.rawPrice(),
                cap.weights()[i],
                c.halfSpread(),
                c.minuteVolume(),
                c.origin()));
      }
    }
    double[] prices = prices(kept);
    double price =
        RobustStats.allEqual(prices)
            ? prices[0]
            : RobustStats.weightedMeanOrMedian(prices, weights(kept));

    double volume = Double.NaN;
    List<Used> used = new ArrayList<>(kept.size());
    for (int i = 0; i < kept.size(); i++) {
      Candidate c = kept.get(i);
      double v = c.minuteVolume();
      if (Double.isFinite(v) && v >= 0) volume = Double.isNaN(volume) ? v : volume + v;
      used.add(
          new Used(
              c.exchange(), c.price(), c.weight(), v, cap.capped()[i], via(c), minuteTrades(c)));
    }
    return new Result(
        symbol,
        price,
        nowMs,
        vwap ? "vwap" : "median",
        volume,
        RobustStats.dispersion(prices),
        confidence(kept),
        Status.OK,
        minSources,
        List.copyOf(used),
        List.copyOf(dropped),
        List.copyOf(kept),
        cap.applied());
  }

  private static Result withheld(
      String symbol,
      Status status,
      int minSources,
      List<Candidate> counted,
      List<Dropped> dropped,
      long nowMs) {
    List<Used> used =
        counted.stream()
            .map(
                c ->
                    new Used(
                        c.exchange(),
                        c.price(),
                        c.weight(),
                        c.minuteVolume(),
                        false,
                        via(c),
                        minuteTrades(c)))
            .toList();
    return new Result(
        symbol,
        Double.NaN,
        nowMs,
        "none",
        Double.NaN,
        Double.NaN,
        Double.NaN,
        status,
        minSources,
        used,
        List.copyOf(dropped),
        List.of(),
        false);
  }

  /**
   * Weighted interquartile half-range of the prices, at least the narrowest half spread a source
   * quotes.
   */
  static double confidence(List<Candidate> used) {
    double[] prices = prices(used);
    double[] weights = weights(used);
    double band =
        (RobustStats.weightedQuantile(prices, weights, 0.75)
                - RobustStats.weightedQuantile(prices, weights, 0.25))
            / 2;
    // The narrowest finite half spread, 0 without one (as a stream's min().orElse(0)).
    double spread = 0;
    boolean any = false;
    for (Candidate c : used) {
      double h = c.halfSpread();
      if (!Double.isFinite(h)) continue;
      spread = any ? Math.min(spread, h) : h;
      any = true;
    }
    return Math.max(band, spread);
  }

  // Plain loops, not streams: these run for every symbol of every tick (10,000 a second).
  private static double[] prices(List<Candidate> candidates) {
    double[] out = new double[candidates.size()];
    for (int i = 0; i < out.length; i++) out[i] = candidates.get(i).price();
    return out;
  }

  private static double[] weights(List<Candidate> candidates) {
    double[] out = new double[candidates.size()];
    for (int i = 0; i < out.length; i++) out[i] = candidates.get(i).weight();
    return out;
  }

  /** A price times a conversion factor; an unconverted price stays exactly as quoted. */
  public static double convert(double price, double factor) {
    return factor == 1.0 ? price : price * factor;
  }

  /**
   * Factor turning a price in {@code from} into {@code to}: 1, 1/rate(to/from), rate(from/to), or
   * NaN when unknown or older than the staleness window at {@code nowMs}.
   */
  public double conversion(String to, String from, Map<String, Rate> rates, long nowMs) {
    if (to.equals(from)) return 1.0;
    Rate direct = rates.get(to + "/" + from);
    if (usable(direct, nowMs)) return 1.0 / direct.value();
    Rate inverse = rates.get(from + "/" + to);
    if (usable(inverse, nowMs)) return inverse.value();
    return Double.NaN;
  }

  private boolean usable(Rate r, long nowMs) {
    return r != null
        && r.value() > 0
        && Double.isFinite(r.value())
        && Math.abs(nowMs - r.timestampMs()) <= stalenessMs;
  }

  private List<Candidate> removeOutliers(List<Candidate> in, List<Dropped> dropped) {
    if (in.size() < RobustStats.MIN_SOURCES_FOR_OUTLIERS) return in;
    double[] sorted = prices(in);
    Arrays.sort(sorted);
    RobustStats.Fence fence = RobustStats.outlierFence(sorted, minBand);
    List<Candidate> kept = new ArrayList<>(in.size());
    for (Candidate c : in) {
      if (fence.contains(c.price())) {
        kept.add(c);
      } else {
        dropped.add(new Dropped(c.exchange(), DropReason.OUTLIER, c.price()));
      }
    }
    return kept;
  }
}
