package oracle.http.stream;

import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

/**
 * The SockJS event-bus bridge mounted at {@code /eventbus}: browsers may subscribe to the live
 * candle addresses ({@code oracle.candle.1m.<symbol>}) and nothing else; nothing may be sent or
 * published inbound.
 */
public final class EventBusBridge {
  public static final String MOUNT = "/eventbus";
  public static final String OUTBOUND_REGEX = "oracle\\.candle\\.1m\\..+";

  private EventBusBridge() {}

  public static Router router(Vertx vertx) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND_REGEX));
    return SockJSHandler.create(vertx, new SockJSHandlerOptions().setRegisterWriteHandler(false)).bridge(options);
  }
}
