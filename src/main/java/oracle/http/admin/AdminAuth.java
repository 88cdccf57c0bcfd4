package oracle.http.admin;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Bearer-token guard of the {@code /admin/*} routes: 401 without a token, 403 with a wrong one. The
 * comparison is constant-time so the token cannot be guessed byte by byte from timings.
 */
public final class AdminAuth implements Handler<RoutingContext> {
  private final byte[] token;

  public AdminAuth(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"oracle-admin\"");
      deny(ctx, 401, "unauthorized", "an Authorization: Bearer <token> header is required");
      return;
    }
    byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(presented, token)) {
      deny(ctx, 403, "forbidden", "the bearer token is not valid");
      return;
    }
    ctx.next();
  }

  private static void deny(RoutingContext ctx, int status, String error, String message) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("error", error)
                .put("field", "Authorization")
                .put("message", message)
                .encode());
  }
}
