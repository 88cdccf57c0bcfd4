package oracle.http.ratelimit;

import oracle.config.ConfigReader;
import oracle.config.OracleConfig;

import java.util.List;

/**
 * {@code rateLimit.requests} per client per {@code rateLimit.windowSeconds} (default 60), and
 * {@code rateLimit.trustedProxies}: the proxies whose {@code X-Forwarded-For} names the client.
 * Validated at start; a bad entry stops the HTTP verticle with the key named.
 */
public record RateLimitSettings(int limit, long windowMs, TrustedProxies trustedProxies) {
  public static RateLimitSettings from(OracleConfig config) {
    ConfigReader r = new ConfigReader(config.json()).section("rateLimit");
    long windowSeconds = r.longValue("windowSeconds", 60, 1, 86_400);
    List<String> proxies = r.stringList("trustedProxies", List.of());
    return new RateLimitSettings(config.rateLimit(), windowSeconds * 1000, TrustedProxies.parse(r.key("trustedProxies"), proxies));
  }
}
