package oracle.storage;

import java.util.List;

/**
 * One {@code ohlcv_1m} row to write. Prices and volumes travel as decimal strings (shortest exact
 * form of the double) so that {@code numeric} columns keep exactly what Redis held.
 *
 * @param time minute start, Unix seconds
 * @param quoteVolume quote-currency volume, or null when unknown
 * @param sources exchanges that contributed, possibly empty
 * @param firstTickAt when the minute's first live tick was taken (Unix ms), null when unknown
 *     (klines)
 * @param lastTickAt when its last live tick was taken (Unix ms), null when unknown
 * @param trades the minute's trade count over its sources, null when unknown
 * @param origin null for a candle of live ticks not closed out (it merges into a stored live row);
 *     {@code live}, {@code repaired} or {@code backfill} for a closed-out candle or a kline, which
 *     replaces the stored row (see {@link FencedWriter} for the rules that keep a better one)
 */
public record CandleRow(
    String symbol,
    long time,
    double open,
    double high,
    double low,
    double close,
    double volume,
    Double quoteVolume,
    List<String> sources,
    Long firstTickAt,
    Long lastTickAt,
    Long trades,
    String origin) {

  /** The origins a row may carry (besides null), as {@code oracle.hotstore.Origin} names them. */
  public static final java.util.Set<String> ORIGINS =
      java.util.Set.of("live", "repaired", "backfill");

  /** A live row not closed out, without a trade count. */
  public CandleRow(
      String symbol,
      long time,
      double open,
      double high,
      double low,
      double close,
      double volume,
      Double quoteVolume,
      List<String> sources,
      Long firstTickAt,
      Long lastTickAt) {
    this(
        symbol,
        time,
        open,
        high,
        low,
        close,
        volume,
        quoteVolume,
        sources,
        firstTickAt,
        lastTickAt,
        null,
        null);
  }

  /** A row without tick times (klines, tests). */
  public CandleRow(
      String symbol,
      long time,
      double open,
      double high,
      double low,
      double close,
      double volume,
      Double quoteVolume,
      List<String> sources) {
    this(
        symbol, time, open, high, low, close, volume, quoteVolume, sources, null, null, null, null);
  }

  public CandleRow {
    if (symbol == null || symbol.isBlank())
      throw new IllegalArgumentException("symbol is required");
    if (time % 60 != 0) throw new IllegalArgumentException("time must be a minute start: " + time);
    for (double d : new double[] {open, high, low, close, volume}) {
      if (!Double.isFinite(d))
        throw new IllegalArgumentException("non-finite value in candle " + symbol + "@" + time);
    }
    if (quoteVolume != null && !Double.isFinite(quoteVolume)) quoteVolume = null;
    sources = sources == null ? List.of() : List.copyOf(sources);
    if (trades != null && trades < 0) trades = null;
    if (origin != null && !ORIGINS.contains(origin))
      throw new IllegalArgumentException("origin must be one of " + ORIGINS + ": " + origin);
  }

  /** This row with its trade count and origin set. */
  public CandleRow withProvenance(Long trades, String origin) {
    return new CandleRow(
        symbol,
        time,
        open,
        high,
        low,
        close,
        volume,
        quoteVolume,
        sources,
        firstTickAt,
        lastTickAt,
        trades,
        origin);
  }
}
