package oracle.flush;

import oracle.config.ConfigReader;

/**
 * The {@code flush} section, validated once at start by the deployment ({@code
 * oracle.deploy.AppSettings}), so a bad value stops the process before it takes the lead.
 *
 * @param intervalMs time between passes (60 s)
 * @param maxBackoffMs longest wait between retries of a failed pass
 * @param maintenanceMs time between partition maintenance runs (plain path: partitions ahead,
 *     retention)
 * @param ttlSeconds backup TTL of flushed keys in Redis
 * @param maxRowsPerPass candles one pass writes at most (bounded memory and transaction size); a
 *     larger backlog is written by passes that follow each other at once, oldest minutes first
 * @param graceMs a pass also runs this long after every minute closes, so the closed minute's final
 *     candle is stored within seconds; ticks for a minute closed longer ago are refused
 * @param passTimeoutMs deadline of one pass: a pass that hangs ends as failed and the next is
 *     scheduled
 * @param finalPassMs on a graceful stop, the leader's last pass (open minute included) gets this
 *     long
 * @param fullScanMs between passes that read the dirty set {@code oracle:flush:dirty}, a pass scans
 *     every candle key this often (and on the first pass of each term, and whenever the set is
 *     found incomplete) as a safety net
 */
public record FlushSettings(
    long intervalMs,
    long maxBackoffMs,
    long maintenanceMs,
    int ttlSeconds,
    int maxRowsPerPass,
    long graceMs,
    long passTimeoutMs,
    long finalPassMs,
    long fullScanMs) {
  public static FlushSettings from(ConfigReader flush) {
    return new FlushSettings(
        flush.longValue("intervalMs", 60_000, 50, 3_600_000),
        flush.longValue("maxBackoffMs", 30_000, 50, 3_600_000),
        flush.longValue("maintenanceMs", 3_600_000, 1_000, 86_400_000),
        flush.intValue("ttlSeconds", 3_600, 60, 604_800),
        flush.intValue("maxRowsPerPass", 100_000, 1, 10_000_000),
        flush.longValue("graceMs", 3_000, 0, 30_000),
        flush.longValue("passTimeoutMs", 120_000, 1_000, 3_600_000),
        flush.longValue("finalPassMs", 5_000, 0, 60_000),
        flush.longValue("fullScanMs", Flusher.FULL_SCAN_MS, 1_000, 86_400_000));
  }
}
