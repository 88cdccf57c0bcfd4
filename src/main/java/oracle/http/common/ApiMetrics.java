package oracle.http.common;

import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import oracle.common.OracleMetrics;

/**
 * {@code oracle_api_duration_seconds}: response times in a few buckets ({@link
 * OracleMetrics#apiDuration}), tagged by route template and status. The tag is the route's template
 * (the routes here take no path parameters, so a template is a fixed path); any other path is
 * tagged {@code unmatched} so random URLs cannot blow up the number of series.
 */
public final class ApiMetrics {
  private final OracleMetrics metrics;
  private final Set<String> templates = ConcurrentHashMap.newKeySet();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public ApiMetrics(OracleMetrics metrics) {
    this.metrics = metrics;
  }

  /** Declares a route template (full path) so its requests are tagged with it. */
  public String template(String path) {
    templates.add(path);
    return path;
  }

  /** First handler of the router: times the request until its response ends. */
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ignored ->
            timer(routeOf(ctx), ctx.response().getStatusCode())
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
    ctx.next();
  }

  private Timer timer(String route, int status) {
    return timers.computeIfAbsent(route + " " + status, k -> metrics.apiDuration(route, status));
  }

  private String routeOf(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path != null && templates.contains(path)) return path;
    if (path != null && path.startsWith("/eventbus/")) return "/eventbus/*";
    Route route = ctx.currentRoute();
    // Routes mounted by others (e.g. /admin/*) still get their template when they answered.
    if (route != null && route.getPath() != null && ctx.response().getStatusCode() != 404) {
      String mount = ctx.mountPoint() == null ? "" : ctx.mountPoint();
      return mount.endsWith("/") && route.getPath().startsWith("/")
          ? mount + route.getPath().substring(1)
          : mount + route.getPath();
    }
    return "unmatched";
  }
}
