package oracle.flush;

/**
 * Outcome of one flush pass.
 *
 * @param rowsWritten candles upserted (closed and still-open minutes)
 * @param rowsMarked  closed candles marked {@code flushed_at} with a TTL
 * @param openMinutes still-open (current-minute) candles written but deliberately left unmarked
 */
public record FlushResult(int rowsWritten, int rowsMarked, int openMinutes) {
  static final FlushResult NOTHING = new FlushResult(0, 0, 0);
}
