package oracle.backfill;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import oracle.aggregation.Aggregator;
import oracle.aggregation.QuorumRule;
import oracle.aggregation.RobustStats;
import oracle.exchange.Kline;
import oracle.exchange.MarketIds;
import oracle.storage.CandleRow;

/**
 * Combines one minute's klines from several exchanges into one candle with the live price rules:
 * each kline is converted into the symbol's quote currency with the rate of the same minute (a
 * kline that cannot be converted is left out, never guessed), then {@link Aggregator#decide} judges
 * the closes (outlier fence, quorum) exactly as it judges live quotes; no quorum, no candle. Open,
 * high, low and close are each the volume-weighted mean over the kept sources (weight = the
 * minute's quote volume), or their median when no source reports volume; high/low are widened to
 * contain open and close; volume is the sum (volume traded in that minute).
 */
public final class KlineCombiner {
  /**
   * No quorum, no rates: every kline is taken to be in the symbol's quote (tests of the
   * arithmetic).
   */
  private static final Aggregator PERMISSIVE =
      new Aggregator(Long.MAX_VALUE / 4, RobustStats.DEFAULT_MIN_BAND, QuorumRule.NONE);

  private KlineCombiner() {}

  /** Null when no kline is usable. */
  public static CandleRow combine(String symbol, long minute, List<Kline> klines) {
    return combine(symbol, minute, klines, Map.of(), PERMISSIVE);
  }

  /**
   * @param rates the conversion rates of this minute (their timestamps the minute's start)
   * @param rules the live path's rules
   * @return the candle, or null when no kline is usable or the quorum fails
   */
  public static CandleRow combine(
      String symbol,
      long minute,
      List<Kline> klines,
      Map<String, Aggregator.Rate> rates,
      Aggregator rules) {
    return decide(symbol, minute, klines, rates, rules).row();
  }

  /** The rules' verdict on one minute, and the row when it has a price. */
  public record Combined(Aggregator.Result result, CandleRow row) {}

  public static Combined decide(
      String symbol,
      long minute,
      List<Kline> klines,
      Map<String, Aggregator.Rate> rates,
      Aggregator rules) {
    String target = MarketIds.quote(symbol);
    long atMs = minute * 1000;
    List<Aggregator.Dropped> dropped = new ArrayList<>();
    List<Aggregator.Candidate> candidates = new ArrayList<>();
    List<Kline> sorted =
        klines.stream()
            .filter(k -> k.time() == minute)
            .sorted(Comparator.comparing(Kline::exchange))
            .toList();
    for (Kline k : sorted) {
      if (!(positive(k.open()) && positive(k.high()) && positive(k.low()) && positive(k.close()))) {
        dropped.add(
            new Aggregator.Dropped(
                k.exchange(), oracle.exchange.DropReason.INVALID_PRICE, k.close()));
        continue;
      }
      String currency = k.quoteCurrency() == null ? target : k.quoteCurrency();
      double f = rules.conversion(target, currency, rates, atMs);
      if (Double.isNaN(f)) {
        dropped.add(
            new Aggregator.Dropped(
                k.exchange(), oracle.exchange.DropReason.NO_CONVERSION, k.close()));
        continue;
      }
      Kline c =
          new Kline(
              k.exchange(),
              symbol,
              k.time(),
              Aggregator.convert(k.open(), f),
              Aggregator.convert(k.high(), f),
              Aggregator.convert(k.low(), f),
              Aggregator.convert(k.close(), f),
              k.volume(),
              target);
      candidates.add(
          new Aggregator.Candidate(
              k.exchange(), c.close(), k.close(), volume(c) * c.close(), Double.NaN, volume(c), c));
    }
    if (candidates.isEmpty() && dropped.isEmpty()) return new Combined(null, null);
    Aggregator.Result r = rules.decide(symbol, candidates, dropped, atMs);
    if (!r.hasPrice()) return new Combined(r, null);
    List<Kline> kept = r.kept().stream().map(x -> (Kline) x.origin()).toList();
    double[] weights = r.kept().stream().mapToDouble(Aggregator.Candidate::weight).toArray();
    double open = field(kept, Kline::open, weights);
    double close = field(kept, Kline::close, weights);
    double high = Math.max(field(kept, Kline::high, weights), Math.max(open, close));
    double low = Math.min(field(kept, Kline::low, weights), Math.min(open, close));
    double volume = kept.stream().mapToDouble(KlineCombiner::volume).sum();
    return new Combined(
        r,
        new CandleRow(
            symbol,
            minute,
            open,
            high,
            low,
            close,
            volume,
            null,
            kept.stream().map(Kline::exchange).distinct().toList()));
  }

  /** The same field of every kline: exact when they agree, else their weighted mean (or median). */
  private static double field(List<Kline> klines, ToDoubleFunction<Kline> f, double[] weights) {
    double[] values = klines.stream().mapToDouble(f).toArray();
    return RobustStats.allEqual(values)
        ? values[0]
        : RobustStats.weightedMeanOrMedian(values, weights);
  }

  private static double volume(Kline k) {
    return Double.isFinite(k.volume()) && k.volume() > 0 ? k.volume() : 0;
  }

  private static boolean positive(double d) {
    return Double.isFinite(d) && d > 0;
  }
}
