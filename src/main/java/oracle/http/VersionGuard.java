package oracle.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import java.nio.charset.StandardCharsets;
import oracle.http.common.ApiError;
import oracle.http.common.ApiErrors;

/**
 * Answers a request line with a well-formed version other than {@code HTTP/1.0} or {@code HTTP/1.1}
 * (e.g. {@code HTTP/9.9}) with 505, and a malformed one (e.g. {@code http/1.1}: the version is
 * case-sensitive, or another protocol's name) with 400, each with the API's JSON error naming
 * {@code version}, then closes. Vert.x itself answers such requests 501 with an empty body before
 * any handler could, so this sits in the connection's Netty pipeline just ahead of Vert.x's own
 * handler.
 */
final class VersionGuard extends ChannelInboundHandlerAdapter {
  private static final byte[] UNSUPPORTED = body(505, "only HTTP/1.0 and HTTP/1.1 are supported");

  private static final byte[] MALFORMED =
      body(400, "malformed HTTP version: expected HTTP/1.1 or HTTP/1.0 (upper case)");

  private static byte[] body(int status, String message) {
    return new ApiError(status, ApiErrors.reason(status), "version", message)
        .toJson()
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  private boolean rejected;

  /** Installs the guard on a new HTTP/1.x connection (a no-op for any other kind). */
  static void install(HttpConnection connection) {
    if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
      ChannelHandlerContext vertxHandler = base.channelHandlerContext();
      if (vertxHandler != null && base.channel().pipeline().get(VersionGuard.class) == null) {
        base.channel()
            .pipeline()
            .addBefore(vertxHandler.name(), "oracle-version-guard", new VersionGuard());
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) { // the rest of a rejected request, or anything after it
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request
        && request.decoderResult().isSuccess()
        && request.protocolVersion() != HttpVersion.HTTP_1_1
        && request.protocolVersion() != HttpVersion.HTTP_1_0) {
      rejected = true;
      boolean wellFormed = wellFormed(request.protocolVersion());
      ReferenceCountUtil.release(msg);
      byte[] body = wellFormed ? UNSUPPORTED : MALFORMED;
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              wellFormed
                  ? HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED
                  : HttpResponseStatus.BAD_REQUEST,
              Unpooled.wrappedBuffer(body));
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
          .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
          .set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Netty reads the exact {@code HTTP/1.1} and {@code HTTP/1.0} as its constants (checked before
   * this is called) and upper-cases anything else: an HTTP/1.0 or 1.1 that is not a constant was
   * written in another case, and a name other than HTTP is another protocol; both are malformed,
   * not merely unsupported.
   */
  static boolean wellFormed(HttpVersion version) {
    boolean oneDotX =
        version.majorVersion() == 1 && (version.minorVersion() == 0 || version.minorVersion() == 1);
    return "HTTP".equals(version.protocolName()) && !oneDotX;
  }
}
