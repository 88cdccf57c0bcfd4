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
    Long lastTickAt) {

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
    this(symbol, time, open, high, low, close, volume, quoteVolume, sources, null, null);
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
  }
}
