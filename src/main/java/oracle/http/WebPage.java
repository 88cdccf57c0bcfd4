package oracle.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The chart page: {@code GET /} serves {@code webroot/index.html} and {@code GET /ui/*} its script,
 * stylesheet, icon and the lightweight-charts bundle, all from the jar (the Maven build copies the
 * pinned npm bundle into {@code webroot/vendor/}). The page only talks to this origin: the market
 * API, the SSE stream and the health endpoint; the content security policy ({@link StaticPages})
 * enforces it.
 */
public final class WebPage {
  private WebPage() {}

  /**
   * Adds {@code GET /}, {@code GET /ui/*} and {@code GET /favicon.ico} (the page's SVG icon, for
   * browsers and tabs that ask the conventional path: no 404 in their consoles); no other path is
   * touched, so the order of mounting does not matter.
   */
  public static void mount(Router router) {
    StaticHandler files = StaticPages.files("webroot");
    Handler<RoutingContext> headers = StaticPages.securityHeaders();
    router.get("/").handler(headers).handler(files);
    router.get("/ui/*").handler(headers).handler(files);
    router.get("/favicon.ico").handler(ctx -> ctx.reroute("/ui/favicon.svg"));
  }
}
