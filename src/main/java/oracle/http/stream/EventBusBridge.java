package oracle.http.stream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import oracle.common.OracleMetrics;
import oracle.http.common.ApiError;
import oracle.http.ratelimit.TrustedProxies;

/**
 * The SockJS event-bus bridge mounted at {@code /eventbus}: browsers may subscribe to the live
 * candle addresses ({@code oracle.candle.1m.<symbol>}) and nothing else; nothing may be sent or
 * published inbound.
 */
public final class EventBusBridge {
  public static final String MOUNT = "/eventbus";
  public static final String OUTBOUND_REGEX = "oracle\\.candle\\.1m\\..+";

  private EventBusBridge() {}

  /**
   * Largest SockJS frame accepted over XHR: the bridge only takes subscriptions, which are small.
   */
  static final int MAX_SEND_BYTES = 64 * 1024;

  /**
   * Mounted on the main router ahead of the bridge: SockJS answers a bad XHR send 500 (it needs the
   * body read first) and a WebSocket URL without the upgrade a text/plain 400; both become the
   * API's JSON 400 naming {@code body} or {@code upgrade}.
   */
  public static void guard(Router router) {
    router
        .postWithRegex(MOUNT + "/[^/.]+/[^/.]+/xhr_send")
        .handler(BodyHandler.create().setBodyLimit(MAX_SEND_BYTES))
        .handler(EventBusBridge::checkSend);
    router
        .routeWithRegex(MOUNT + "(/[^/.]+/[^/.]+)?/websocket")
        .handler(
            ctx -> {
              if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("upgrade"))) {
                throw ApiError.badRequest(
                    "upgrade", "this URL takes only a WebSocket upgrade (Upgrade: websocket)");
              }
              ctx.next();
            });
  }

  private static void checkSend(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0)
      throw ApiError.badRequest("body", "payload expected: a JSON array of SockJS frames");
    try {
      new JsonArray(body);
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.badRequest("body", "the payload is not a JSON array");
    }
    ctx.next();
  }

  /**
   * The bridge, outbound only, bounded by {@code settings} (see {@link BridgeGuard}): a
   * registration beyond {@link BridgeSettings#maxSubscriptions} on one socket is refused.
   */
  public static Router router(
      Vertx vertx, BridgeSettings settings, TrustedProxies trusted, OracleMetrics metrics) {
    SockJSBridgeOptions options =
        new SockJSBridgeOptions()
            .setMaxHandlersPerSocket(settings.maxSubscriptions())
            .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND_REGEX));
    return SockJSHandler.create(vertx, new SockJSHandlerOptions().setRegisterWriteHandler(false))
        .bridge(options, new BridgeGuard(settings, trusted, metrics));
  }
}
