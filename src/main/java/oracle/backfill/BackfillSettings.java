package oracle.backfill;

import oracle.config.ConfigReader;

/**
 * The {@code backfill} section, validated once at start by the deployment ({@code
 * oracle.deploy.AppSettings}).
 *
 * @param windowSeconds how far back the periodic scan looks for missing minutes ({@code
 *     windowMinutes}, 1 day)
 * @param intervalMs time between periodic scans (5 min)
 */
public record BackfillSettings(long windowSeconds, long intervalMs) {
  public static BackfillSettings from(ConfigReader backfill) {
    return new BackfillSettings(
        backfill.longValue("windowMinutes", 1_440, 5, 525_600) * 60,
        backfill.longValue("intervalMs", 300_000, 1_000, 86_400_000));
  }
}
