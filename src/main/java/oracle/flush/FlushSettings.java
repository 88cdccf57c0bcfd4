package oracle.flush;

import oracle.config.ConfigReader;

/**
 * The {@code flush} section, validated at start ({@link oracle.config.OracleConfig#from} calls {@link #from}),
 * so a bad value stops the process before it takes the lead.
 *
 * @param intervalMs     time between passes (60 s)
 * @param maxBackoffMs   longest wait between retries of a failed pass
 * @param maintenanceMs  time between partition maintenance runs (plain path: partitions ahead, retention)
 * @param ttlSeconds     backup TTL of flushed keys in Redis
 * @param maxRowsPerPass candles one pass writes at most (bounded memory and transaction size); a larger
 *                       backlog is written by passes that follow each other at once, oldest minutes first
 */
public record FlushSettings(long intervalMs, long maxBackoffMs, long maintenanceMs, int ttlSeconds, int maxRowsPerPass) {
  public static FlushSettings from(ConfigReader flush) {
    return new FlushSettings(
        flush.longValue("intervalMs", 60_000, 50, 3_600_000),
        flush.longValue("maxBackoffMs", 30_000, 50, 3_600_000),
        flush.longValue("maintenanceMs", 3_600_000, 1_000, 86_400_000),
        flush.intValue("ttlSeconds", 3_600, 60, 604_800),
        flush.intValue("maxRowsPerPass", 100_000, 1, 10_000_000));
  }
}
