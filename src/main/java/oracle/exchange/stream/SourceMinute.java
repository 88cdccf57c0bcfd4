package oracle.exchange.stream;

import oracle.exchange.Kline;

/**
 * One source's finished minute of one symbol: the OHLCV of the trades its stream delivered (or,
 * after a repair, its REST kline), and whether the stream was healthy for the whole minute. The
 * handover between the stream side (which builds it) and the minute's close-out (which combines
 * every source's minute with the live price rules, repairing incomplete ones from REST first).
 *
 * @param kline the minute's OHLCV in the source's own quote currency ({@link Kline#time()} in Unix
 *     seconds, as backfill's klines)
 * @param trades the number of trades behind it, or -1 when unknown (a REST kline that does not say)
 * @param complete false when the source's stream was not healthy for the whole minute (a reconnect,
 *     a gap, a silent spell, the leader changing): its trades may be missing
 */
public record SourceMinute(Kline kline, long trades, boolean complete) {
  public String source() {
    return kline.exchange();
  }

  public String symbol() {
    return kline.symbol();
  }

  /** The minute's start, Unix seconds. */
  public long minute() {
    return kline.time();
  }
}
