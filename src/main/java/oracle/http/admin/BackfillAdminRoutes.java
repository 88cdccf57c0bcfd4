package oracle.http.admin;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import oracle.backfill.BackfillClient;
import oracle.http.common.ApiError;
import oracle.http.common.ApiErrors;
import oracle.http.common.SymbolNames;
import oracle.http.common.TimeParam;

/**
 * {@code POST /admin/backfill?symbol=&from=&to=} (starts a job, 202 with its id) and {@code GET
 * /admin/backfill/{id}} (its progress), mounted behind the admin bearer-token guard. {@code
 * from}/{@code to} are Unix seconds or ISO-8601 instants, rounded down to the minute. Bad input
 * answers the API's 400 {@code {"error":"bad_request","field":...,"message":...}}. The work is done
 * by the leader's {@link oracle.backfill.BackfillVerticle} (over the event bus); a follower answers
 * 503.
 */
public final class BackfillAdminRoutes {
  /** Longest range one job may cover: 31 days. */
  static final long MAX_RANGE_SECONDS = 31L * 86_400;

  private final BackfillClient backfill;
  private final SymbolNames symbols;

  /**
   * @param symbols the symbols a job may fill (the configured ones)
   */
  public BackfillAdminRoutes(Vertx vertx, List<String> symbols) {
    this.backfill = new BackfillClient(vertx);
    this.symbols = new SymbolNames(new java.util.LinkedHashSet<>(symbols));
  }

  /** Adds the routes; {@link oracle.http.admin.AdminRoutes} guards them with the bearer token. */
  public void mount(Router router) {
    router.post("/admin/backfill").handler(this::start);
    router.get("/admin/backfill/:id").handler(this::progress);
  }

  private void start(RoutingContext ctx) {
    String symbol = ctx.request().getParam("symbol");
    if (symbol == null || symbol.isBlank()) {
      badRequest(ctx, "symbol", "symbol is required");
      return;
    }
    try {
      symbol =
          symbols.resolve("symbol", symbol); // btc/usdt, BTC-USDT, BTCUSDT as the API reads them
    } catch (ApiError e) {
      badRequest(ctx, "symbol", "symbol must be one of " + symbols.all() + ": " + e.getMessage());
      return;
    }
    Long from = time(ctx, "from");
    if (from == null) return;
    Long to = time(ctx, "to");
    if (to == null) return;
    long now = System.currentTimeMillis() / 1000;
    if (from > now) {
      badRequest(ctx, "from", "from is in the future");
      return;
    }
    if (to < from) {
      badRequest(ctx, "to", "to must not be before from");
      return;
    }
    if (to - from > MAX_RANGE_SECONDS) {
      badRequest(ctx, "to", "range must not exceed 31 days");
      return;
    }
    long end = Math.min(to, now / 60 * 60 - 60); // the open minute belongs to the flush
    JsonObject body =
        new JsonObject().put("symbol", symbol).put("from", from).put("to", Math.max(from, end));
    backfill
        .start(symbol, from, Math.max(from, end))
        .onSuccess(
            id -> {
              ctx.response().putHeader("Location", "/admin/backfill/" + id);
              json(ctx, 202, body.copy().put("id", id).put("status", "/admin/backfill/" + id));
            })
        .onFailure(err -> failed(ctx, err));
  }

  private void progress(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    backfill.job(id).onSuccess(job -> json(ctx, 200, job)).onFailure(err -> failed(ctx, err));
  }

  /** Unix seconds or ISO-8601, floored to the minute; answers 400 and returns null when invalid. */
  private static Long time(RoutingContext ctx, String field) {
    String raw = ctx.request().getParam(field);
    if (raw == null || raw.isBlank()) {
      badRequest(ctx, field, field + " is required (Unix seconds or ISO-8601)");
      return null;
    }
    long seconds;
    try {
      seconds = TimeParam.parse(field, raw); // the parser of the market and UDF routes
    } catch (ApiError e) {
      badRequest(ctx, field, field + " " + e.getMessage());
      return null;
    }
    if (seconds < 1_230_768_000L) { // 2009-01-01: no crypto market data before
      badRequest(ctx, field, field + " is before 2009");
      return null;
    }
    return Math.floorDiv(seconds, 60) * 60;
  }

  /**
   * The backfill verticle's refusal (404 unknown job, 503 not the leader), or 503 when none
   * answered.
   */
  private static void failed(RoutingContext ctx, Throwable err) {
    int status = err instanceof ReplyException re && re.failureCode() > 0 ? re.failureCode() : 503;
    ApiErrors.write(
        ctx,
        new ApiError(
            status,
            ApiErrors.reason(status),
            status == 404 ? "id" : null,
            String.valueOf(err.getMessage())));
  }

  private static void badRequest(RoutingContext ctx, String field, String message) {
    ApiErrors.write(ctx, ApiError.badRequest(field, message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
