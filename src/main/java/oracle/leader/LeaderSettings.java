package oracle.leader;

import oracle.config.ConfigException;
import oracle.config.ConfigReader;

/** The {@code leader} section: lease TTL, heartbeat (renewal) period, and follower retry period. */
public record LeaderSettings(long ttlMs, long heartbeatMs, long retryMs) {
  public static LeaderSettings from(ConfigReader r) {
    long ttl = r.longValue("ttlMs", 30_000, 200, 600_000);
    long heartbeat = r.longValue("heartbeatMs", 10_000, 50, 600_000);
    if (heartbeat * 2 > ttl)
      throw new ConfigException(
          r.key("heartbeatMs"), "at most half of leader.ttlMs (" + ttl + ")", heartbeat);
    long retry = r.longValue("retryMs", 1_000, 50, 600_000);
    return new LeaderSettings(ttl, heartbeat, retry);
  }
}
