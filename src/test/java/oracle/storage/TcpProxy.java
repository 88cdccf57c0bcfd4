package oracle.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP relay in front of a database, to simulate an outage: {@link #stop} cuts every connection and refuses new ones. */
public final class TcpProxy {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private int port;

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** Listens (on the same port as before after a {@link #stop}); returns the port. */
  public Future<Integer> start() {
    server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(targetPort, targetHost).onSuccess(out -> {
        sockets.add(in);
        sockets.add(out);
        in.closeHandler(v -> { sockets.remove(in); out.close(); });
        out.closeHandler(v -> { sockets.remove(out); in.close(); });
        in.handler(out::write);
        out.handler(in::write);
        in.resume();
      }).onFailure(err -> in.close());
    });
    return server.listen(port, "127.0.0.1").map(s -> port = s.actualPort());
  }

  public Future<Void> stop() {
    sockets.forEach(NetSocket::close);
    sockets.clear();
    return server.close();
  }

  public int port() {
    return port;
  }
}
