package oracle.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The chart page: {@code GET /} serves {@code webroot/index.html} and {@code GET /ui/*} its script,
 * stylesheet and the lightweight-charts bundle, all from the jar (the Maven build copies the pinned
 * npm bundle into {@code webroot/vendor/}). The page only talks to this origin: the market API, the
 * SSE stream and the health endpoint; the content security policy enforces it.
 */
public final class WebPage {
  static final String CONTENT_SECURITY_POLICY =
      String.join(
          "; ",
          "default-src 'self'",
          "script-src 'self'",
          "connect-src 'self'",
          "img-src 'self' data:",
          // lightweight-charts sizes its canvases through element styles.
          "style-src 'self' 'unsafe-inline'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'");

  private WebPage() {}

  /**
   * Adds {@code GET /} and {@code GET /ui/*}; no other path is touched, so the order of mounting
   * does not matter.
   */
  public static void mount(Router router) {
    StaticHandler files =
        StaticHandler.create("webroot")
            .setIndexPage("index.html")
            .setIncludeHidden(false)
            .setDirectoryListing(false)
            .setCachingEnabled(true)
            .setMaxAgeSeconds(300);
    Handler<RoutingContext> headers =
        ctx -> {
          ctx.response()
              .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
              .putHeader("X-Content-Type-Options", "nosniff")
              .putHeader("Referrer-Policy", "no-referrer");
          ctx.next();
        };
    router.get("/").handler(headers).handler(files);
    router.get("/ui/*").handler(headers).handler(files);
  }
}
