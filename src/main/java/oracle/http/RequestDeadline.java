package oracle.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose next request has not fully arrived {@code timeoutMs} after it opened or
 * answered its last request: the idle timeout alone is reset by every byte, so a slow-loris client
 * sending a byte now and then would hold the connection for ever. Armed while no request is in
 * progress; a request being answered (a long stream included) is never cut. Leaves the pipeline on
 * a WebSocket upgrade (the bridge's sockets have their own heartbeat and the idle timeout).
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final long timeoutMs;
  private ScheduledFuture<?> deadline;
  private int inFlight;

  RequestDeadline(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof LastHttpContent) { // the request fully read (a FullHttpRequest is one too)
      inFlight++;
      cancel();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse r
        && r.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      cancel();
      ctx.pipeline().remove(this);
    } else if (msg instanceof LastHttpContent && inFlight > 0 && --inFlight == 0) {
      arm(ctx);
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    cancel();
    deadline = ctx.executor().schedule(() -> ctx.close(), timeoutMs, TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (deadline != null) deadline.cancel(false);
    deadline = null;
  }
}
