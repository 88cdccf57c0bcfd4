package oracle.http.admin;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import oracle.http.ratelimit.ClientAddress;
import oracle.http.ratelimit.TrustedProxies;

/**
 * Bearer-token guard of the {@code /admin/*} routes: 401 without a token, 403 with a wrong one, 429
 * (with {@code Retry-After}) for a client that failed {@link FailedAttempts#MAX_FAILURES} times
 * within a minute. The comparison is constant-time so the token cannot be guessed byte by byte from
 * timings.
 */
public final class AdminAuth implements Handler<RoutingContext> {
  /** The shortest {@code admin.token} the configuration accepts. */
  public static final int MIN_TOKEN_LENGTH = 24;

  private final byte[] token;
  private final TrustedProxies trusted;
  private final FailedAttempts failures = new FailedAttempts();

  public AdminAuth(String token, TrustedProxies trusted) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.trusted = trusted;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String client = ClientAddress.key(ctx.request(), trusted);
    long now = System.currentTimeMillis();
    long blockedMs = failures.blockedForMs(client, now);
    if (blockedMs > 0) {
      long retryAfter = (blockedMs + 999) / 1000;
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
      deny(
          ctx,
          429,
          "too_many_attempts",
          "too many failed authentications; retry after " + retryAfter + " s");
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      failures.failed(client, now);
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"oracle-admin\"");
      deny(ctx, 401, "unauthorized", "an Authorization: Bearer <token> header is required");
      return;
    }
    byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(presented, token)) {
      failures.failed(client, now);
      deny(ctx, 403, "forbidden", "the bearer token is not valid");
      return;
    }
    ctx.next();
  }

  private static void deny(RoutingContext ctx, int status, String error, String message) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("cache-control", "no-store")
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("error", error)
                .put("field", "Authorization")
                .put("message", message)
                .encode());
  }
}
