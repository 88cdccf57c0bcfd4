package oracle.http.market;

import java.time.Duration;
import oracle.config.ConfigReader;

/**
 * The market API's part of the {@code http} section, validated once at start by the deployment
 * ({@code oracle.deploy.AppSettings}).
 *
 * @param hotMinutes {@code http.hotCandleMinutes}: how far back Redis may hold minutes the database
 *     lacks (the flush keeps them an hour)
 * @param cacheBytes {@code http.cache.megabytes} (0 = off): the closed-history cache
 * @param cacheTtl {@code http.cache.ttlSeconds}
 */
public record MarketSettings(int hotMinutes, long cacheBytes, Duration cacheTtl) {
  public static MarketSettings from(ConfigReader http) {
    ConfigReader cache = http.section("cache");
    return new MarketSettings(
        http.intValue("hotCandleMinutes", 60, 1, 1_440),
        cache.longValue("megabytes", 64, 0, 65_536) * 1024 * 1024,
        Duration.ofSeconds(cache.longValue("ttlSeconds", 600, 1, 86_400)));
  }
}
