package oracle.http.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code oracle_api_duration_seconds}: a histogram of response times tagged by route template and
 * status. The tag is the route's template (the routes here take no path parameters, so a template
 * is a fixed path); any other path is tagged {@code unmatched} so random URLs cannot blow up the
 * number of series.
 */
public final class ApiMetrics {
  public static final String NAME = "oracle.api.duration";

  private final MeterRegistry registry;
  private final Set<String> templates = ConcurrentHashMap.newKeySet();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
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
    return timers.computeIfAbsent(
        route + " " + status,
        k ->
            Timer.builder(NAME)
                .description("API response time by route template and status")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry));
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
