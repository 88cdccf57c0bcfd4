package oracle.http.stream;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import oracle.common.ClientSlots;
import oracle.common.OracleMetrics;
import oracle.http.ratelimit.ClientAddress;
import oracle.http.ratelimit.TrustedProxies;

/**
 * Bounds the event-bus bridge like the SSE streams: at most {@link BridgeSettings#maxPerClient}
 * sockets per client and {@link BridgeSettings#maxTotal} in this process (a socket beyond is closed
 * at once, {@code oracle_api_bridge_refused_total}); a socket whose client does not read (its write
 * queue is full when a candle is due) is closed ({@code oracle_api_bridge_dropped_total}), so the
 * server never buffers for it without bound. Open sockets: {@code oracle_api_bridge_sockets}.
 */
final class BridgeGuard implements Handler<BridgeEvent> {
  /** Per client key and in all, across the HTTP verticles of the process. */
  private static final ClientSlots SOCKETS = new ClientSlots();

  /** The admitted sockets and their client key: only they are released on close. */
  private final Map<SockJSSocket, String> admitted = new ConcurrentHashMap<>();

  private final Set<SockJSSocket> dropping = ConcurrentHashMap.newKeySet();
  private final BridgeSettings settings;
  private final TrustedProxies trusted;
  private final Counter refused;
  private final Counter dropped;

  BridgeGuard(BridgeSettings settings, TrustedProxies trusted, OracleMetrics metrics) {
    this.settings = settings;
    this.trusted = trusted;
    metrics.bridgeSockets(SOCKETS);
    this.refused = metrics.bridgeRefused();
    this.dropped = metrics.bridgeDropped();
  }

  @Override
  public void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    BridgeEventType type = event.type();
    if (type == BridgeEventType.SOCKET_CREATED) {
      event.complete(admit(socket));
    } else if (type == BridgeEventType.SOCKET_CLOSED) {
      release(socket);
      event.complete(true);
    } else if (type == BridgeEventType.RECEIVE && socket.writeQueueFull()) {
      if (dropping.add(socket)) {
        dropped.increment();
        release(socket);
        socket.close();
      }
      event.complete(false);
    } else {
      event.complete(true);
    }
  }

  private boolean admit(SockJSSocket socket) {
    String client = client(socket);
    if (!SOCKETS.take(client, settings.maxPerClient(), settings.maxTotal())) {
      refused.increment();
      return false;
    }
    admitted.put(socket, client);
    return true;
  }

  private void release(SockJSSocket socket) {
    String client = admitted.remove(socket);
    if (client == null) return;
    SOCKETS.release(client);
    dropping.remove(socket);
  }

  private String client(SockJSSocket socket) {
    SocketAddress remote = socket.remoteAddress();
    String peer =
        remote == null
            ? "unknown"
            : remote.hostAddress() != null ? remote.hostAddress() : remote.host();
    String forwarded = socket.headers() == null ? null : socket.headers().get("x-forwarded-for");
    return ClientAddress.key(ClientAddress.of(peer, forwarded, trusted));
  }
}
