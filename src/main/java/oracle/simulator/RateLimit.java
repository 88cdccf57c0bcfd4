package oracle.simulator;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A venue's public REST rate limit on the fake, as a token bucket (all clients share 127.0.0.1, so
 * per IP is per venue): a request above it gets the venue's own rate-limit answer.
 */
final class RateLimit {
  private final double perSecond;
  private final int burst;
  private double tokens;
  private long lastNanos = System.nanoTime();
  private final AtomicLong refused = new AtomicLong();

  RateLimit(double perSecond, int burst) {
    if (!(perSecond > 0) || burst < 1)
      throw new IllegalArgumentException("perSecond must be > 0 and burst >= 1");
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
  }

  /** Takes one request's token; false (counted as refused) when there is none. */
  synchronized boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    refused.incrementAndGet();
    return false;
  }

  long refused() {
    return refused.get();
  }

  /** Answers the venue's rate-limit response (status and body as the real venue sends them). */
  static void refuse(String exchange, RoutingContext ctx) {
    int status = 429;
    String body =
        switch (exchange) {
          case "coinbase" -> "{\"message\":\"Public rate limit exceeded\"}";
          case "binance" ->
              "{\"code\":-1003,\"msg\":\"Too many requests; current limit is 6000 request weight"
                  + " per 1 MINUTE. Please use WebSocket Streams for live updates to avoid"
                  + " polling the API.\"}";
          case "kraken" -> {
            status = 200; // Kraken answers 200 with the error in its envelope
            yield "{\"error\":[\"EGeneral:Too many requests\"]}";
          }
          case "okx" -> "{\"code\":\"50011\",\"msg\":\"Too Many Requests\",\"data\":[]}";
          case "bybit" -> {
            status = 403; // Bybit: "403 access too frequent" from its gateway
            yield "{\"retCode\":10006,\"retMsg\":\"Too many visits!\"}";
          }
          case "upbit" ->
              "{\"error\":{\"name\":\"too_many_requests\",\"message\":\"Too many requests\"}}";
          default -> "{\"error\":\"rate limited\"}";
        };
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }
}
