package oracle.http.stream;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/v1/market/stream?symbol=}: Server-Sent Events of a symbol's live 1-minute candle.
 * Each update published on {@link Addresses#candle} (on this instance; the relay brings the
 * leader's updates to every instance) goes out as {@code event: candle}; a comment every 15 s keeps
 * proxies from closing an idle stream. Closing the connection unsubscribes.
 */
public final class CandleStreamHandler {
  public static final long HEARTBEAT_MS = 15_000;

  /** Open streams in this process, exported as {@code oracle_api_sse_streams}. */
  private static final AtomicInteger OPEN = OracleMetrics.registry().gauge("oracle.api.sse.streams", new AtomicInteger());

  private final Vertx vertx;

  public CandleStreamHandler(Vertx vertx) {
    this.vertx = vertx;
  }

  public static int openStreams() {
    return OPEN.get();
  }

  public void handle(RoutingContext ctx, String symbol) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no")
        // identity: no compression, which would hold events back in the deflater.
        .putHeader("content-encoding", "identity");

    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.candle(symbol), msg -> {
      if (!response.ended() && !response.closed()) response.write("event: candle\ndata: " + msg.body().encode() + "\n\n");
    });
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
      if (!response.ended() && !response.closed()) response.write(": heartbeat\n\n");
    });
    OPEN.incrementAndGet();
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop = () -> {
      if (!stopped.compareAndSet(false, true)) return;
      vertx.cancelTimer(heartbeat);
      consumer.unregister();
      OPEN.decrementAndGet();
    };
    response.closeHandler(v -> stop.run());
    response.endHandler(v -> stop.run());
    // A stream never ends by itself: when the server shuts down (redeploy, SIGTERM) end it at once so
    // the graceful shutdown need not wait out its grace period; EventSource clients reconnect.
    ctx.request().connection().shutdownHandler(v -> {
      if (!response.ended() && !response.closed()) response.end();
    });
    // Send the headers and a first comment only once the subscription is in place, so a client that
    // sees the stream open cannot miss an update published right after.
    consumer.completion().onComplete(ar -> {
      if (!response.closed() && !response.ended()) response.write(": subscribed " + symbol + "\n\n");
    });
  }
}
