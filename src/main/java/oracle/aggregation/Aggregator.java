package oracle.aggregation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import oracle.exchange.MarketIds;
import oracle.exchange.Quote;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns one symbol's quotes from several sources into one robust price. Pure and deterministic:
 * <ol>
 *   <li>drop invalid prices (≤ 0, NaN) and quotes whose exchange timestamp is older than the staleness window;</li>
 *   <li>convert prices quoted in another currency with a rate the oracle derived itself (never guessed:
 *       a missing or stale rate drops the source);</li>
 *   <li>drop outliers outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR] (the fence is at least {@code minBand}·median
 *       wide on each side, so sources one rounding step apart survive an IQR of 0);</li>
 *   <li>VWAP weighted by 24 h quote volume over the sources that report it, else the median.</li>
 * </ol>
 * The candle volume is the sum of the surviving sources' current-minute volumes (base units).
 */
public final class Aggregator {
  private final long stalenessMs;
  private final double minBand;

  public Aggregator(long stalenessMs, double minBand) {
    this.stalenessMs = stalenessMs;
    this.minBand = minBand;
  }

  /** A conversion rate: {@code value} units of the pair's quote per one unit of its base, as of {@code timestampMs}. */
  public record Rate(double value, long timestampMs) {}

  public record Used(String exchange, double price, double weight, double minuteVolume) {
    JsonObject toJson() {
      JsonObject j = new JsonObject().put("exchange", exchange).put("price", price);
      if (weight > 0) j.put("weight", weight);
      if (Double.isFinite(minuteVolume)) j.put("minuteVolume", minuteVolume);
      return j;
    }
  }

  public record Dropped(String exchange, DropReason reason, double price) {
    JsonObject toJson() {
      JsonObject j = new JsonObject().put("exchange", exchange).put("reason", reason.label());
      if (Double.isFinite(price)) j.put("price", price);
      return j;
    }
  }

  /**
   * @param price      the aggregated price, NaN when no source survived (then nothing is written)
   * @param method     {@code vwap}, {@code median}, or {@code none}
   * @param volume     summed current-minute volume of the used sources, NaN when none reported one
   * @param dispersion coefficient of variation (population std-dev / mean) of the used prices
   */
  public record Result(String symbol, double price, long timestampMs, String method, double volume, double dispersion,
                       List<Used> used, List<Dropped> dropped) {
    public boolean hasPrice() {
      return Double.isFinite(price);
    }

    public JsonObject toJson() {
      JsonArray u = new JsonArray();
      used.forEach(x -> u.add(x.toJson()));
      JsonArray d = new JsonArray();
      dropped.forEach(x -> d.add(x.toJson()));
      JsonObject j = new JsonObject().put("symbol", symbol).put("price", price).put("timestamp", timestampMs)
          .put("method", method).put("dispersion", dispersion).put("sourcesUsed", u).put("sourcesDropped", d);
      if (Double.isFinite(volume)) j.put("minuteVolume", volume);
      return j;
    }
  }

  private record Candidate(Quote quote, double price, double weight) {}

  /**
   * @param quotes      every source's quote of {@code symbol} this tick
   * @param rates       conversion rates by pair ({@code "USDT/KRW"} = KRW per USDT)
   * @param unavailable sources that gave nothing this tick, with the reason (breaker open, rate limited)
   */
  public Result aggregate(String symbol, List<Quote> quotes, Map<String, Rate> rates, List<Dropped> unavailable, long nowMs) {
    String target = MarketIds.quote(symbol);
    List<Dropped> dropped = new ArrayList<>(unavailable);
    List<Candidate> candidates = new ArrayList<>(quotes.size());
    for (Quote q : quotes) {
      if (!(q.price() > 0) || !Double.isFinite(q.price())) {
        dropped.add(new Dropped(q.exchange(), DropReason.INVALID_PRICE, q.price()));
      } else if (nowMs - q.timestampMs() > stalenessMs) {
        dropped.add(new Dropped(q.exchange(), DropReason.STALE, q.price()));
      } else {
        double factor = conversion(target, q.quoteCurrency(), rates, nowMs);
        if (Double.isNaN(factor)) {
          dropped.add(new Dropped(q.exchange(), DropReason.NO_CONVERSION, q.price()));
        } else {
          double weight = q.liquidity() > 0 && Double.isFinite(q.liquidity()) ? q.liquidity() * factor : 0;
          candidates.add(new Candidate(q, q.price() * factor, weight));
        }
      }
    }
    candidates = removeOutliers(candidates, dropped);
    if (candidates.isEmpty()) {
      return new Result(symbol, Double.NaN, nowMs, "none", Double.NaN, Double.NaN, List.of(), List.copyOf(dropped));
    }

    double[] prices = candidates.stream().mapToDouble(Candidate::price).toArray();
    double[] weights = candidates.stream().mapToDouble(Candidate::weight).toArray();
    boolean vwap = Arrays.stream(weights).anyMatch(w -> w > 0);
    double price = RobustStats.weightedMeanOrMedian(prices, weights);

    double volume = Double.NaN;
    List<Used> used = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      double v = c.quote().minuteVolume();
      if (Double.isFinite(v) && v >= 0) volume = Double.isNaN(volume) ? v : volume + v;
      used.add(new Used(c.quote().exchange(), c.price(), c.weight(), v));
    }
    return new Result(symbol, price, nowMs, vwap ? "vwap" : "median", volume, RobustStats.dispersion(prices), List.copyOf(used), List.copyOf(dropped));
  }

  /** Factor turning a price in {@code from} into {@code to}: 1, 1/rate(to/from), rate(from/to), or NaN when unknown or stale. */
  double conversion(String to, String from, Map<String, Rate> rates, long nowMs) {
    if (to.equals(from)) return 1.0;
    Rate direct = rates.get(to + "/" + from);
    if (usable(direct, nowMs)) return 1.0 / direct.value();
    Rate inverse = rates.get(from + "/" + to);
    if (usable(inverse, nowMs)) return inverse.value();
    return Double.NaN;
  }

  private boolean usable(Rate r, long nowMs) {
    return r != null && r.value() > 0 && Double.isFinite(r.value()) && nowMs - r.timestampMs() <= stalenessMs;
  }

  private List<Candidate> removeOutliers(List<Candidate> in, List<Dropped> dropped) {
    if (in.size() < RobustStats.MIN_SOURCES_FOR_OUTLIERS) return in;
    RobustStats.Fence fence = RobustStats.outlierFence(in.stream().mapToDouble(Candidate::price).sorted().toArray(), minBand);
    List<Candidate> kept = new ArrayList<>(in.size());
    for (Candidate c : in) {
      if (fence.contains(c.price())) {
        kept.add(c);
      } else {
        dropped.add(new Dropped(c.quote().exchange(), DropReason.OUTLIER, c.price()));
      }
    }
    return kept;
  }
}
