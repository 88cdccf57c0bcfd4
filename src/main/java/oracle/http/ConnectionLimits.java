package oracle.http;

import oracle.config.ConfigReader;

/**
 * {@code http.idleTimeoutMs} (60000): a connection with no traffic, or whose request has not fully
 * arrived, this long after it opened or answered its last request, is closed (slow clients cannot
 * hold descriptors for ever); {@code http.maxConnections} (10000): open connections per process,
 * beyond which a new one is closed at once.
 */
public record ConnectionLimits(long idleTimeoutMs, int maxConnections) {
  public static final ConnectionLimits DEFAULT = new ConnectionLimits(60_000, 10_000);

  public static ConnectionLimits from(ConfigReader http) {
    return new ConnectionLimits(
        http.longValue("idleTimeoutMs", DEFAULT.idleTimeoutMs, 100, 3_600_000),
        http.intValue("maxConnections", DEFAULT.maxConnections, 1, 1_000_000));
  }
}
