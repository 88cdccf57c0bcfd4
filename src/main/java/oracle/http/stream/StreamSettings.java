package oracle.http.stream;

import oracle.config.ConfigReader;

/**
 * {@code http.streams.maxPerClient} (8) and {@code http.streams.maxTotal} (1000): open SSE streams
 * allowed per client (the rate limit's client key) and in this process; beyond, 429.
 */
public record StreamSettings(int maxPerClient, int maxTotal) {
  public static StreamSettings from(ConfigReader http) {
    ConfigReader streams = http.section("streams");
    return new StreamSettings(
        streams.intValue("maxPerClient", 8, 1, 100_000),
        streams.intValue("maxTotal", 1_000, 1, 1_000_000));
  }
}
