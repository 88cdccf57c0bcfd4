package oracle.flush;

/**
 * Outcome of one flush pass.
 *
 * @param rowsWritten candles upserted (closed and still-open minutes)
 * @param rowsMarked closed candles marked {@code flushed_at} with a TTL
 * @param openMinutes still-open (current-minute) candles written but deliberately left unmarked
 * @param backlog the pass stopped at {@code flush.maxRowsPerPass}: more candles wait, run the next
 *     pass now
 */
public record FlushResult(int rowsWritten, int rowsMarked, int openMinutes, boolean backlog) {
  static final FlushResult NOTHING = new FlushResult(0, 0, 0);

  public FlushResult(int rowsWritten, int rowsMarked, int openMinutes) {
    this(rowsWritten, rowsMarked, openMinutes, false);
  }
}
