package oracle.http;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;
import oracle.common.OracleMetrics;

/**
 * Every new HTTP connection passes here first: beyond {@link ConnectionLimits#maxConnections} open
 * in this process it is closed at once ({@code oracle_http_connections_refused_total}); otherwise
 * it is counted ({@code oracle_http_connections}) and gets the {@link VersionGuard} and a {@link
 * RequestDeadline}.
 */
final class ConnectionGate {
  /** Open connections of the process, across HTTP verticles (a redeploy overlaps two). */
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final ConnectionLimits limits;
  private final Counter refused;

  ConnectionGate(ConnectionLimits limits, OracleMetrics metrics) {
    this.limits = limits;
    metrics.httpConnections(OPEN);
    this.refused = metrics.httpConnectionsRefused();
  }

  void handle(HttpConnection connection) {
    if (OPEN.incrementAndGet() > limits.maxConnections()) {
      OPEN.decrementAndGet();
      refused.increment();
      connection.close();
      return;
    }
    connection.closeHandler(v -> OPEN.decrementAndGet());
    VersionGuard.install(connection);
    if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
      ChannelHandlerContext vertxHandler = base.channelHandlerContext();
      if (vertxHandler != null && base.channel().pipeline().get(RequestDeadline.class) == null)
        base.channel()
            .pipeline()
            .addBefore(
                vertxHandler.name(),
                "oracle-request-deadline",
                new RequestDeadline(limits.idleTimeoutMs()));
    }
  }

  /** Open connections now (tests). */
  static int open() {
    return OPEN.get();
  }
}
