package oracle.streaming;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A TCP relay in front of a test server that can stall: while stalled it forwards nothing either
 * way (no message, no pong, no upgrade answer), as a connection whose path went dead without being
 * closed: a silent stream.
 */
final class StallingProxy {
  private final Vertx vertx;
  private final int targetPort;
  private NetServer server;
  private volatile boolean stalled;

  StallingProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
  }

  Future<StallingProxy> start() {
    server = vertx.createNetServer().connectHandler(this::relay);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  int port() {
    return server.actualPort();
  }

  void stall(boolean on) {
    stalled = on;
  }

  private void relay(NetSocket in) {
    in.pause();
    vertx
        .createNetClient()
        .connect(targetPort, "127.0.0.1")
        .onFailure(err -> in.close())
        .onSuccess(
            out -> {
              in.handler(
                  b -> {
                    if (!stalled) out.write(b);
                  });
              out.handler(
                  b -> {
                    if (!stalled) in.write(b);
                  });
              in.closeHandler(v -> out.close());
              out.closeHandler(v -> in.close());
              in.resume();
            });
  }
}
