package oracle.http.common;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's last line: unknown routes get a JSON 404 (a known path with another method a 405),
 * and every failure becomes a JSON answer. Client mistakes carry their own 4xx ({@link ApiError},
 * or vert.x's own {@link HttpException} for e.g. a malformed request); only a genuine server bug is
 * a 500, and it is logged.
 */
public final class ApiErrors {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  public static void install(Router router) {
    router.route().failureHandler(ApiErrors::handleFailure);
    // Failures vert.x-web raises itself before any route runs (405, 404 of the router, bad URI).
    for (int status : new int[] {400, 404, 405, 413, 414, 415, 416}) {
      router.errorHandler(status, ApiErrors::handleFailure);
    }
    router.errorHandler(500, ApiErrors::handleFailure);
  }

  static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().closed()) {
      // The client hung up while its answer was prepared or written: nobody to answer, nothing
      // wrong on our side (whatever failed, failed because the connection is gone).
      log.debug(
          "{} {}: client closed the connection ({})",
          ctx.request().method(),
          ctx.request().path(),
          String.valueOf(failure));
      return;
    }
    if (failure instanceof ApiError e) {
      write(ctx, e);
    } else if (failure instanceof HttpException h
        && h.getStatusCode() == 400
        && String.valueOf(h.getPayload()).contains("query params")) {
      // vert.x-web rejects an undecodable query string (e.g. "%zz") before any route runs.
      write(ctx, ApiError.badRequest("query", "malformed query string"));
    } else if (failure instanceof HttpException h && h.getStatusCode() < 500) {
      write(
          ctx,
          new ApiError(
              h.getStatusCode(),
              reason(h.getStatusCode()),
              field(h.getStatusCode()),
              h.getPayload() != null ? h.getPayload() : reason(h.getStatusCode())));
    } else if (failure == null && ctx.statusCode() == 404) {
      write(ctx, new ApiError(404, "not_found", "path", "no route " + ctx.request().path()));
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      write(
          ctx,
          new ApiError(
              ctx.statusCode(),
              reason(ctx.statusCode()),
              field(ctx.statusCode()),
              reason(ctx.statusCode())));
    } else if (failure instanceof IllegalArgumentException) {
      // Netty and vert.x throw this for undecodable query strings and the like: the client's fault.
      write(ctx, new ApiError(400, "bad_request", null, String.valueOf(failure.getMessage())));
    } else {
      log.error(
          "unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      write(ctx, new ApiError(500, "internal", null, "internal error"));
    }
  }

  public static void write(RoutingContext ctx, ApiError e) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for a JSON answer (e.g. a stream was already open): just close it.
      if (!response.ended()) response.reset();
      return;
    }
    send(response, e.status(), body(ctx.request().path(), e));
  }

  private static JsonObject body(String path, ApiError e) {
    JsonObject body = e.toJson();
    if (path != null && path.startsWith("/api/v1/udf/")) {
      // TradingView's UDF client reads s/errmsg.
      body.put("s", "error").put("errmsg", e.getMessage());
    }
    return body;
  }

  /**
   * Writes {@code e} as the whole answer to a request no route has seen (see {@link RequestGuard}).
   */
  public static io.vertx.core.Future<Void> send(HttpServerRequest request, ApiError e) {
    return send(request.response(), e.status(), body(request.path(), e));
  }

  /** The part of the request a status without a more precise cause blames. */
  private static String field(int status) {
    return switch (status) {
      case 404 -> "path";
      case 405 -> "method";
      case 413 -> "body";
      case 415 -> "content-type";
      case 416 -> "range";
      default -> null;
    };
  }

  private static io.vertx.core.Future<Void> send(
      HttpServerResponse response, int status, JsonObject body) {
    return response
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  /** Longest request line accepted: room for {@code /prices?symbols=} with about 1,500 symbols. */
  public static final int MAX_REQUEST_LINE = 16 * 1024;

  /**
   * Requests the HTTP decoder rejects before any route runs (request line or headers too long, not
   * HTTP at all) get the same JSON error as the rest, then the connection is closed: after such a
   * request the byte stream cannot be trusted.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiError e;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      e =
          new ApiError(
              414,
              reason(414),
              "uri",
              "the request line is longer than " + MAX_REQUEST_LINE + " bytes");
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      e = new ApiError(431, reason(431), "headers", "the request headers are too large");
    } else {
      e = ApiError.badRequest("request", "malformed HTTP request");
    }
    send(request.response().putHeader("connection", "close"), e.status(), e.toJson())
        .onComplete(ar -> request.connection().close());
  }

  /** The {@code error} code of a status, as every JSON error of the service names it. */
  public static String reason(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 416 -> "range_not_satisfiable";
      case 429 -> "rate_limited";
      case 431 -> "headers_too_large";
      case 503 -> "unavailable";
      case 505 -> "http_version_not_supported";
      default -> "error";
    };
  }
}
