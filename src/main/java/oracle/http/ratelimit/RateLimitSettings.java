package oracle.http.ratelimit;

import java.util.List;
import oracle.config.ConfigReader;

/**
 * {@code rateLimit.requests} per client per {@code rateLimit.windowSeconds} (default 60), and
 * {@code rateLimit.trustedProxies}: the proxies whose {@code X-Forwarded-For} names the client.
 * Validated at start; a bad entry stops the HTTP verticle with the key named.
 */
public record RateLimitSettings(int limit, long windowMs, TrustedProxies trustedProxies) {
  /**
   * @param r the {@code rateLimit} section; {@code limit} its already validated {@code requests}
   */
  public static RateLimitSettings from(ConfigReader r, int limit) {
    long windowSeconds = r.longValue("windowSeconds", 60, 1, 86_400);
    List<String> proxies = r.stringList("trustedProxies", List.of());
    return new RateLimitSettings(
        limit, windowSeconds * 1000, TrustedProxies.parse(r.key("trustedProxies"), proxies));
  }
}
