package oracle.simulator;

import static oracle.support.TestEnv.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import oracle.exchange.stream.TradeStreamProtocol;

/**
 * A test's client of one fake venue stream: a plain Vert.x WebSocket whose every received frame is
 * read by the venue's real {@link TradeStreamProtocol}, kept with its arrival time.
 */
final class StreamClient {
  /** One received frame, as the protocol read it. */
  record Received(StreamEvent event, long atMs, boolean binary, String text) {}

  final TradeStreamProtocol protocol;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final WebSocket ws;
  volatile boolean closed;

  /** Kept: Vert.x closes a client (and its sockets) once nothing references it. */
  private final WebSocketClient client;

  StreamClient(Vertx vertx, String url, TradeStreamProtocol protocol) {
    this.protocol = protocol;
    URI u = URI.create(url);
    this.client = vertx.createWebSocketClient();
    this.ws =
        await(
            client.connect(
                new WebSocketConnectOptions()
                    .setHost(u.getHost())
                    .setPort(u.getPort())
                    .setURI(u.getRawPath().isEmpty() ? "/" : u.getRawPath())));
    ws.frameHandler(
        f -> {
          if (!f.isText() && !f.isBinary()) return;
          Buffer b = f.binaryData();
          received.add(
              new Received(
                  protocol.parse(b), System.currentTimeMillis(), f.isBinary(), b.toString()));
        });
    ws.closeHandler(v -> closed = true);
  }

  /** Sends the protocol's own subscribe messages for {@code markets} (paced as the client does). */
  StreamClient subscribe(List<String> markets) {
    for (String m : protocol.subscribeMessages(markets)) {
      await(ws.writeTextMessage(m));
      sleep(protocol.minSendIntervalMs());
    }
    return this;
  }

  void send(String text) {
    await(ws.writeTextMessage(text));
  }

  /** Every trade received (replays included), in order. */
  List<Trade> trades() {
    List<Trade> out = new ArrayList<>();
    for (Received r : received)
      if (r.event() instanceof StreamEvent.Trades t) out.addAll(t.trades());
    return out;
  }

  /** Trades that are not replays, in order. */
  List<Trade> live() {
    return trades().stream().filter(t -> !t.replay()).toList();
  }

  long count(Class<? extends StreamEvent> kind) {
    return received.stream().filter(r -> kind.isInstance(r.event())).count();
  }

  void close() {
    if (!ws.isClosed()) ws.close();
    client.close();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
