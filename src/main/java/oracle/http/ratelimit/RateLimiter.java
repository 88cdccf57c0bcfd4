package oracle.http.ratelimit;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;
import oracle.common.LuaScript;

/** The shared per-client quota in Redis ({@code lua/rate_limit.lua}, a sliding window). */
public final class RateLimiter {
  public static final String KEY_PREFIX = "oracle:ratelimit:";

  private static final LuaScript SCRIPT = LuaScript.load("rate_limit");

  private final Redis redis;
  private final RateLimitSettings settings;

  public RateLimiter(Redis redis, RateLimitSettings settings) {
    this.redis = redis;
    this.settings = settings;
  }

  /** The client's key; the braces make it a cluster hash tag, so the window keys share a slot. */
  public static String key(String client) {
    return KEY_PREFIX + "{" + client + "}";
  }

  public Future<Decision> acquire(String client) {
    return SCRIPT
        .eval(
            redis,
            List.of(key(client)),
            List.of(Integer.toString(settings.limit()), Long.toString(settings.windowMs())))
        .map(
            r ->
                new Decision(
                    r.get(0).toInteger() == 1,
                    settings.limit(),
                    r.get(1).toLong(),
                    r.get(2).toLong(),
                    r.get(3).toLong()));
  }

  /** One request's verdict; {@code resetMs} is the time left in the current window. */
  public record Decision(
      boolean allowed, int limit, long remaining, long resetMs, long retryAfterMs) {}
}
