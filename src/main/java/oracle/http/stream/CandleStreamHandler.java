package oracle.http.stream;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import oracle.common.Addresses;
import oracle.common.OracleMetrics;
import oracle.http.common.ApiError;
import oracle.http.ratelimit.ClientAddress;
import oracle.http.ratelimit.TrustedProxies;

/**
 * {@code GET /api/v1/market/stream?symbol=}: Server-Sent Events of a symbol's live 1-minute candle.
 * Each update published on {@link Addresses#candle} (on this instance; the relay brings the
 * leader's updates to every instance) goes out as {@code event: candle}, with {@code "closed"}
 * telling whether its minute is over; a comment every 15 s keeps proxies from closing an idle
 * stream. Closing the connection unsubscribes.
 *
 * <p>Bounded: at most {@link StreamSettings#maxPerClient} streams per client (the rate limit's
 * client key, IPv6 by /64) and {@link StreamSettings#maxTotal} in this process, 429 beyond; a
 * client that does not read (the response's write queue is full) is disconnected and counted in
 * {@code oracle_api_sse_dropped_total}, so the server never buffers for it without bound.
 */
public final class CandleStreamHandler {
  public static final long HEARTBEAT_MS = 15_000;

  /**
   * Open streams per client key, across every HTTP verticle of the process (a redeploy overlaps
   * two).
   */
  private static final Map<String, Integer> PER_CLIENT = new ConcurrentHashMap<>();

  private final Vertx vertx;
  private final StreamSettings settings;
  private final TrustedProxies trusted;

  /** Open streams in this process ({@code oracle_api_sse_streams}), across HTTP verticles. */
  private final AtomicInteger open;

  private final Counter dropped;

  /** Dev mode's market simulator feeds the candles: every event says so. */
  private final boolean simulated;

  public CandleStreamHandler(
      Vertx vertx,
      StreamSettings settings,
      TrustedProxies trusted,
      OracleMetrics metrics,
      boolean simulated) {
    this.simulated = simulated;
    this.open = metrics.sseStreams();
    this.dropped = metrics.sseDropped();
    this.vertx = vertx;
    this.settings = settings;
    this.trusted = trusted;
  }

  public void handle(RoutingContext ctx, String symbol) {
    String client = ClientAddress.key(ctx.request(), trusted);
    if (PER_CLIENT.merge(client, 1, Integer::sum) > settings.maxPerClient()) {
      release(client);
      throw new ApiError(
          429,
          "too_many_streams",
          null,
          "at most " + settings.maxPerClient() + " open streams per client");
    }
    if (open.incrementAndGet() > settings.maxTotal()) {
      open.decrementAndGet();
      release(client);
      throw new ApiError(
          429,
          "too_many_streams",
          null,
          "the server has its maximum of " + settings.maxTotal() + " open streams; retry later");
    }
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no")
        // identity: no compression, which would hold events back in the deflater.
        .putHeader("content-encoding", "identity");

    AtomicBoolean stopped = new AtomicBoolean();
    Runnable[] stop = new Runnable[1];
    Runnable drop =
        () -> {
          dropped.increment();
          // Free the slot and stop producing at once; the close itself may wait on the socket.
          stop[0].run();
          ctx.request().connection().close();
        };
    MessageConsumer<JsonObject> consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.candle(symbol),
                msg -> {
                  if (!writable(response, stopped, drop)) return;
                  JsonObject candle = msg.body();
                  long minute = candle.getLong("time", 0L);
                  boolean closed = (minute + 60) * 1000 <= System.currentTimeMillis();
                  String json = candle.encode();
                  response.write(
                      "event: candle\ndata: "
                          + json.substring(0, json.length() - 1)
                          + ",\"closed\":"
                          + closed
                          + extraFields(candle)
                          + "}\n\n");
                });
    long heartbeat =
        vertx.setPeriodic(
            HEARTBEAT_MS,
            id -> {
              if (writable(response, stopped, drop)) response.write(": heartbeat\n\n");
            });
    stop[0] =
        () -> {
          if (!stopped.compareAndSet(false, true)) return;
          vertx.cancelTimer(heartbeat);
          consumer.unregister();
          open.decrementAndGet();
          release(client);
        };
    response.closeHandler(v -> stop[0].run());
    response.endHandler(v -> stop[0].run());
    // A stream never ends by itself: when the server shuts down (redeploy, SIGTERM) end it at once
    // so the graceful shutdown need not wait out its grace period; EventSource clients reconnect.
    ctx.request()
        .connection()
        .shutdownHandler(
            v -> {
              if (!response.ended() && !response.closed()) response.end();
            });
    // Send the headers and a first comment only once the subscription is in place, so a client that
    // sees the stream open cannot miss an update published right after.
    consumer
        .completion()
        .onComplete(
            ar -> {
              if (!response.closed() && !response.ended())
                response.write(": subscribed " + symbol + "\n\n");
            });
  }

  /**
   * What the API adds to a published candle: {@code updatedAtMs} (the {@code updatedAt}
   * milliseconds under the API's {@code *Ms} naming; {@code updatedAt} stays for existing clients)
   * and {@code simulated} in dev mode.
   */
  private String extraFields(JsonObject candle) {
    Object updatedAt = candle.getValue("updatedAt");
    String ms =
        updatedAt instanceof Number n && !candle.containsKey("updatedAtMs")
            ? ",\"updatedAtMs\":" + n.longValue()
            : "";
    return simulated ? ms + ",\"simulated\":true" : ms;
  }

  /** Open and keeping up; a client whose unread events fill the write queue is disconnected. */
  private static boolean writable(
      HttpServerResponse response, AtomicBoolean stopped, Runnable drop) {
    if (stopped.get() || response.ended() || response.closed()) return false;
    if (response.writeQueueFull()) {
      drop.run();
      return false;
    }
    return true;
  }

  private static void release(String client) {
    PER_CLIENT.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }
}
