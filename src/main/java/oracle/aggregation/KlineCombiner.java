package oracle.aggregation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
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
 *
 * <p><b>Wick fence.</b> The rules judge each source's close only, so before the fields are combined
 * each kept source's high, low and open are fenced against the <em>other</em> kept sources' same
 * field, with the quorum's agreement band ({@code ingestion.maxDivergence}, the distance two
 * sources' prices may be apart and still agree): a high may lie at most that fraction above the
 * highest high of the others, a low at most that fraction below their lowest low, an open within
 * that fraction of the others' opens; a value beyond is clipped to the band's edge. A wick has to
 * be seen by at least one other venue (within the band the quorum already allows between venues) to
 * reach the combined candle; one venue's bad print moves the combined high or low by at most the
 * band times its weight share. The band is not taken from the closes: a true wick lies beyond every
 * close, and a band around them would cut real wicks off. One kept source (a symbol whose {@code
 * minSources} is 1) has nothing to be compared with and is taken as it is; rules without a band
 * (infinite {@code maxDivergence}) clip nothing. The opens are fenced too because the combined high
 * and low are widened to contain the combined open. Each value is compared with the others' values
 * as reported (not as clipped), so the outcome does not depend on the sources' order.
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

  /**
   * The rules' verdict on one minute, the row when it has a price, and the values the wick fence
   * clipped ({@code "<source> <field> <reported> -> <clipped>"}, in the symbol's quote currency).
   */
  public record Combined(Aggregator.Result result, CandleRow row, List<String> clipped) {
    public Combined(Aggregator.Result result, CandleRow row) {
      this(result, row, List.of());
    }

    public Combined {
      clipped = List.copyOf(clipped);
    }
  }

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
    List<String> clipped = new ArrayList<>();
    List<Kline> kept =
        fenceWicks(
            r.kept().stream().map(x -> (Kline) x.origin()).toList(),
            rules.quorum().maxDivergence(),
            clipped);
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
            kept.stream().map(Kline::exchange).distinct().toList()),
        clipped);
  }

  /**
   * The wick fence (see the class comment): each kline's high, low and open clipped into the band
   * of the other klines' same field, {@code band} a fraction. Klines already converted into one
   * currency.
   */
  static List<Kline> fenceWicks(List<Kline> klines, double band, List<String> clipped) {
    if (klines.size() < 2 || !(band >= 0) || !Double.isFinite(band)) return klines;
    List<Kline> out = new ArrayList<>(klines.size());
    for (int i = 0; i < klines.size(); i++) {
      Kline k = klines.get(i);
      double othersMaxHigh = Double.NEGATIVE_INFINITY;
      double othersMinLow = Double.POSITIVE_INFINITY;
      double othersMaxOpen = Double.NEGATIVE_INFINITY;
      double othersMinOpen = Double.POSITIVE_INFINITY;
      for (int j = 0; j < klines.size(); j++) {
        if (j == i) continue;
        Kline o = klines.get(j);
        othersMaxHigh = Math.max(othersMaxHigh, o.high());
        othersMinLow = Math.min(othersMinLow, o.low());
        othersMaxOpen = Math.max(othersMaxOpen, o.open());
        othersMinOpen = Math.min(othersMinOpen, o.open());
      }
      double high = Math.min(k.high(), othersMaxHigh * (1 + band));
      double low = Math.max(k.low(), othersMinLow * (1 - band));
      double open =
          Math.max(Math.min(k.open(), othersMaxOpen * (1 + band)), othersMinOpen * (1 - band));
      // Never inside the source's own open and close (its close is the one the rules accepted).
      high = Math.max(high, Math.max(open, k.close()));
      low = Math.min(low, Math.min(open, k.close()));
      if (high == k.high() && low == k.low() && open == k.open()) {
        out.add(k);
        continue;
      }
      note(clipped, k, "high", k.high(), high);
      note(clipped, k, "low", k.low(), low);
      note(clipped, k, "open", k.open(), open);
      out.add(
          new Kline(
              k.exchange(),
              k.symbol(),
              k.time(),
              open,
              high,
              low,
              k.close(),
              k.volume(),
              k.quoteCurrency()));
    }
    return out;
  }

  private static void note(List<String> clipped, Kline k, String field, double was, double now) {
    if (was != now) clipped.add(k.exchange() + " " + field + " " + was + " -> " + now);
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
