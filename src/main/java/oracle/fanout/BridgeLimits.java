package oracle.fanout;

import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import java.util.HashMap;
import java.util.Map;
import oracle.common.ClientSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds of the TCP bridge, checked on its events (one event loop: no lock): connections in all and
 * per remote address, subscriptions per connection. A refused connection is closed at once; a
 * refused subscription gets the bridge's error frame.
 */
final class BridgeLimits {
  private static final Logger log = LoggerFactory.getLogger(BridgeLimits.class);

  private final int maxClients;
  private final int maxPerClient;
  private final int maxSubscriptions;
  private final ClientSlots connections = new ClientSlots();
  private final Map<NetSocket, Integer> subscriptions = new HashMap<>();
  private long refused;

  BridgeLimits(int maxClients, int maxPerClient, int maxSubscriptions) {
    this.maxClients = maxClients;
    this.maxPerClient = maxPerClient;
    this.maxSubscriptions = maxSubscriptions;
  }

  void handle(BridgeEvent event) {
    NetSocket socket = event.socket();
    if (event.type() == BridgeEventType.SOCKET_CLOSED) {
      release(socket);
      event.complete(true);
      return;
    }
    // The TCP bridge reports no SOCKET_CREATED: a connection is admitted on its first frame (one
    // that never sends is closed by the server's idle timeout).
    if (socket != null && !subscriptions.containsKey(socket) && !admit(socket)) {
      event.complete(false);
      socket.close();
      return;
    }
    switch (event.type()) {
      case REGISTER -> {
        int n = subscriptions.getOrDefault(socket, 0);
        if (n >= maxSubscriptions) {
          event.complete(false);
          return;
        }
        subscriptions.put(socket, n + 1);
        event.complete(true);
      }
      case UNREGISTER -> {
        subscriptions.computeIfPresent(socket, (s, n) -> Math.max(0, n - 1));
        event.complete(true);
      }
      default -> event.complete(true);
    }
  }

  private static String host(NetSocket socket) {
    return socket.remoteAddress() == null ? "?" : socket.remoteAddress().hostAddress();
  }

  private boolean admit(NetSocket socket) {
    if (!connections.take(host(socket), maxPerClient, maxClients)) {
      refused++;
      if (refused == 1 || refused % 1_000 == 0)
        log.warn("TCP bridge refused {} connection(s) over its limits", refused);
      return false;
    }
    subscriptions.put(socket, 0);
    return true;
  }

  private void release(NetSocket socket) {
    if (socket != null && subscriptions.remove(socket) != null) connections.release(host(socket));
  }

  /** Connections open now (tests, metrics). */
  int open() {
    return subscriptions.size();
  }
}
