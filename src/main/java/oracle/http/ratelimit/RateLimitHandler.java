package oracle.http.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import oracle.common.OracleMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the shared quota to the API routes it is mounted on (health, metrics and the event-bus
 * bridge are mounted outside it). Every limited response carries {@code X-RateLimit-Limit}, {@code
 * X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (seconds until the window resets); a refusal
 * is a 429 with {@code Retry-After}. If Redis does not answer, the request is served (fail open: an
 * outage of the limiter must not become an outage of the API) and counted in {@code
 * oracle_api_ratelimit_failopen_total}.
 */
public final class RateLimitHandler {
  private static final Logger log = LoggerFactory.getLogger(RateLimitHandler.class);

  private final RateLimiter limiter;
  private final RateLimitSettings settings;
  private final Counter failOpen;
  private final Counter rejected;

  public RateLimitHandler(RateLimiter limiter, RateLimitSettings settings, OracleMetrics metrics) {
    this.limiter = limiter;
    this.settings = settings;
    this.failOpen = metrics.rateLimitFailOpen();
    this.rejected = metrics.rateLimitRejected();
  }

  public void handle(RoutingContext ctx) {
    String client = ClientAddress.key(ctx.request(), settings.trustedProxies());
    limiter
        .acquire(client) // fails after RateLimiter.REDIS_TIMEOUT_MS without an answer
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failOpen.increment();
                failOpenSummary(ar.cause());
                ctx.next();
                return;
              }
              RateLimiter.Decision d = ar.result();
              HttpServerResponse response =
                  ctx.response()
                      .putHeader("X-RateLimit-Limit", Integer.toString(d.limit()))
                      .putHeader("X-RateLimit-Remaining", Long.toString(d.remaining()))
                      .putHeader(
                          "X-RateLimit-Reset",
                          Long.toString(ceilSeconds(d.allowed() ? d.resetMs() : d.retryAfterMs())));
              if (d.allowed()) {
                ctx.next();
                return;
              }
              rejected.increment();
              long retryAfter = ceilSeconds(d.retryAfterMs());
              response
                  .setStatusCode(429)
                  .putHeader("Retry-After", Long.toString(retryAfter))
                  .putHeader("content-type", "application/json")
                  .putHeader("cache-control", "no-store")
                  .end(
                      new JsonObject()
                          .put("error", "rate_limited")
                          .put(
                              "message",
                              d.limit()
                                  + " requests per "
                                  + settings.windowMs() / 1000
                                  + " s exceeded; retry after "
                                  + retryAfter
                                  + " s")
                          .encode());
            });
  }

  /** How often at most the fail-open summary is logged. */
  static final long FAIL_OPEN_LOG_MS = 10_000;

  private long failOpenLoggedAt = Long.MIN_VALUE;
  private long failOpenSinceLog;

  /**
   * One WARN per {@link #FAIL_OPEN_LOG_MS} while Redis fails, with the count of requests served
   * without a decision since the last one, instead of one per request (a flood of its own during an
   * outage, at request rate). Per handler, on its event loop.
   */
  private void failOpenSummary(Throwable cause) {
    failOpenSinceLog++;
    long now = System.currentTimeMillis();
    if (now - failOpenLoggedAt < FAIL_OPEN_LOG_MS) return;
    log.warn(
        "rate limit unavailable: {} request(s) served without a decision since the last report"
            + " (oracle_api_ratelimit_failopen_total); last error: {}",
        failOpenSinceLog,
        cause.toString());
    failOpenLoggedAt = now;
    failOpenSinceLog = 0;
  }

  private static long ceilSeconds(long ms) {
    return Math.max(1, (ms + 999) / 1000);
  }
}
