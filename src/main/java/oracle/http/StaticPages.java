package oracle.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * What the chart page and the API docs page share: files served from the jar, and headers that keep
 * the pages on this origin (both style themselves inline and load images as data: URIs).
 */
final class StaticPages {
  static final String CONTENT_SECURITY_POLICY =
      String.join(
          "; ",
          "default-src 'self'",
          "script-src 'self'",
          "connect-src 'self'",
          "img-src 'self' data:",
          "style-src 'self' 'unsafe-inline'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'");

  private StaticPages() {}

  /** The jar's files under {@code root}, cached for five minutes, never listed. */
  static StaticHandler files(String root) {
    return StaticHandler.create(root)
        .setIndexPage("index.html")
        .setIncludeHidden(false)
        .setDirectoryListing(false)
        .setCachingEnabled(true)
        .setMaxAgeSeconds(300);
  }

  /** Adds the security headers, then passes the request on. */
  static Handler<RoutingContext> securityHeaders() {
    return ctx -> {
      ctx.response()
          .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
      ctx.next();
    };
  }
}
