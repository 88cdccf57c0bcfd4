package oracle.storage;

import java.util.List;

/**
 * Candle rows made ready for {@link CandleRepository#upsert(CandleBatch, long)}: de-duplicated, in
 * the index's order, split by symbol for a parallel write when large, their columns encoded (see
 * {@link CandleRepository#prepare}). Independent of the fencing token and of what the tables hold,
 * so it can be made while the database writes the batch before.
 */
public final class CandleBatch {
  /** The split of a parallel write, or null for one transaction. */
  private final FencedWriter.Split split;

  private final List<FencedWriter.Encoded> chunks;

  CandleBatch(FencedWriter.Split split, List<FencedWriter.Encoded> chunks) {
    this.split = split;
    this.chunks = chunks;
  }

  FencedWriter.Split split() {
    return split;
  }

  List<FencedWriter.Encoded> chunks() {
    return chunks;
  }

  /** The first and the last minute of the batch (epoch seconds). */
  long minTime() {
    long min = Long.MAX_VALUE;
    for (FencedWriter.Encoded c : chunks) if (c.size() > 0) min = Math.min(min, c.min());
    return min;
  }

  long maxTime() {
    long max = Long.MIN_VALUE;
    for (FencedWriter.Encoded c : chunks) if (c.size() > 0) max = Math.max(max, c.max());
    return max;
  }

  /** Distinct rows. */
  public int size() {
    int n = 0;
    for (FencedWriter.Encoded c : chunks) n += c.size();
    return n;
  }
}
