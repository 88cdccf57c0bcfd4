package oracle.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy a test can cut, to simulate a network partition between one instance and a
 * server (Redis, PostgreSQL) while the server itself keeps running for everybody else.
 */
public final class TcpProxy {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();
  private NetServer server;
  private volatile boolean cut;
  private volatile boolean hung;

  /** The next client write containing this goes into a black hole (see {@link #blackholeOn}). */
  private volatile String blackholeMarker;

  private final java.util.Set<NetSocket> blackholed =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  public Future<Integer> start() {
    server =
        vertx
            .createNetServer()
            .connectHandler(
                client -> {
                  if (cut) {
                    client.close();
                    return;
                  }
                  client.pause();
                  if (hung) {
                    sockets.add(client);
                    return;
                  }
                  vertx
                      .createNetClient()
                      .connect(targetPort, targetHost)
                      .onComplete(
                          ar -> {
                            if (ar.failed() || cut) {
                              client.close();
                              return;
                            }
                            NetSocket upstream = ar.result();
                            sockets.add(client);
                            sockets.add(upstream);
                            client.handler(
                                buf -> {
                                  if (blackholed.contains(client)) return;
                                  String marker = blackholeMarker;
                                  if (marker != null && buf.toString().contains(marker)) {
                                    blackholeMarker = null;
                                    blackholed.add(client);
                                    upstream.close();
                                    return;
                                  }
                                  upstream.write(buf);
                                });
                            upstream.handler(
                                buf -> {
                                  if (!blackholed.contains(client)) client.write(buf);
                                });
                            client.closeHandler(v -> upstream.close());
                            upstream.closeHandler(
                                v -> {
                                  if (!blackholed.contains(client)) client.close();
                                });
                            client.resume();
                          });
                });
    return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
  }

  /** Drops every connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  /** Keeps connections open but stops moving bytes: requests hang until they time out. */
  public void hang() {
    hung = true;
    sockets.forEach(NetSocket::pause);
  }

  /**
   * The next request containing {@code marker} is swallowed and its connection goes silent for good
   * (open, never answering): a connection that died without a FIN, as after a network partition.
   * Other connections keep working.
   */
  public void blackholeOn(String marker) {
    blackholeMarker = marker;
  }

  public void restore() {
    cut = false;
    hung = false;
    sockets.forEach(NetSocket::resume);
  }
}
