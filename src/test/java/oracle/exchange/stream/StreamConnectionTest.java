package oracle.exchange.stream;

import static oracle.support.TestEnv.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import oracle.support.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream connection against a local WebSocket server that misbehaves on purpose. */
class StreamConnectionTest {
  private Vertx vertx;
  private HttpServer server;
  private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<Long> receivedAt = new CopyOnWriteArrayList<>();
  private final AtomicInteger pongs = new AtomicInteger();
  private volatile Consumer<ServerWebSocket> onOpen = ws -> {};
  private StreamConnection connection;
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final List<String> binaries = new CopyOnWriteArrayList<>();
  private final List<StreamConnection.State> states = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> {
                  sockets.add(ws);
                  ws.textMessageHandler(
                      t -> {
                        received.add(t);
                        receivedAt.add(System.currentTimeMillis());
                      });
                  ws.pongHandler(p -> pongs.incrementAndGet());
                  onOpen.accept(ws);
                });
    await(server.listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    if (connection != null) vertx.runOnContext(v -> connection.stop());
    await(vertx.close());
  }

  private StreamConnection.Settings settings(
      List<String> subscribe, String keepAlive, Duration silence) {
    return new StreamConnection.Settings(
        URI.create("ws://127.0.0.1:" + server.actualPort() + "/stream?streams=x"),
        subscribe,
        Duration.ofMillis(100),
        keepAlive == null ? null : () -> keepAlive,
        Duration.ofMillis(150),
        silence,
        Duration.ofMillis(50),
        Duration.ofMillis(400),
        Duration.ofSeconds(2));
  }

  private void connect(StreamConnection.Settings settings) {
    vertx.runOnContext(
        v -> {
          connection =
              new StreamConnection(
                  vertx,
                  settings,
                  new StreamConnection.Listener() {
                    @Override
                    public void onText(String message) {
                      texts.add(message);
                    }

                    @Override
                    public void onBinary(Buffer message) {
                      binaries.add(message.toString());
                    }

                    @Override
                    public void onState(StreamConnection.State state) {
                      states.add(state);
                    }
                  });
          connection.start();
        });
    Poll.until(() -> connection != null, Duration.ofSeconds(5));
  }

  @Test
  void subscribesPacedAndDeliversTextAndBinaryFrames() {
    onOpen =
        ws ->
            vertx.setTimer(
                400,
                id -> {
                  ws.writeTextMessage("{\"trade\":1}");
                  ws.writeBinaryMessage(Buffer.buffer("{\"trade\":2}"));
                });
    connect(settings(List.of("sub-1", "sub-2", "sub-3"), null, Duration.ofSeconds(5)));
    Poll.until(() -> texts.size() == 1 && binaries.size() == 1, Duration.ofSeconds(5));
    assertThat(received).containsExactly("sub-1", "sub-2", "sub-3");
    assertThat(receivedAt.get(2) - receivedAt.get(0))
        .as("three subscribe messages 100 ms apart")
        .isGreaterThanOrEqualTo(180);
    assertThat(texts).containsExactly("{\"trade\":1}");
    assertThat(binaries).containsExactly("{\"trade\":2}");
    assertThat(connection.state()).isEqualTo(StreamConnection.State.CONNECTED);
    assertThat(states)
        .startsWith(StreamConnection.State.CONNECTING, StreamConnection.State.CONNECTED);
    assertThat(connection.messages()).isEqualTo(2);
  }

  @Test
  void aDroppedConnectionIsReopenedAndSubscribedAgain() {
    AtomicInteger opened = new AtomicInteger();
    onOpen =
        ws -> {
          if (opened.incrementAndGet() == 1) vertx.setTimer(200, id -> ws.close());
          else vertx.setPeriodic(50, id -> ws.writeTextMessage("tick"));
        };
    connect(settings(List.of("sub"), null, Duration.ofSeconds(5)));
    Poll.until(() -> sockets.size() == 2 && !texts.isEmpty(), Duration.ofSeconds(5));
    assertThat(received).containsExactly("sub", "sub");
    assertThat(connection.reconnects()).isEqualTo(1);
    assertThat(states)
        .containsSubsequence(
            StreamConnection.State.CONNECTED,
            StreamConnection.State.RECONNECTING,
            StreamConnection.State.CONNECTED);
  }

  @Test
  void aSilentStreamIsTakenForDeadAndReopened() {
    // The server accepts the subscription and then says nothing at all.
    connect(settings(List.of("sub"), null, Duration.ofMillis(300)));
    Poll.until(() -> sockets.size() >= 2, Duration.ofSeconds(5));
    assertThat(connection.silentSpells()).isGreaterThanOrEqualTo(1);
    Poll.until(() -> sockets.get(0).isClosed(), Duration.ofSeconds(5));
  }

  @Test
  void sendsTheKeepAliveAndAnswersPings() {
    onOpen = ws -> vertx.setTimer(100, id -> ws.writePing(Buffer.buffer("are you there")));
    connect(settings(List.of("sub"), "{\"op\":\"ping\"}", Duration.ofSeconds(5)));
    Poll.until(
        () -> received.stream().filter(m -> m.equals("{\"op\":\"ping\"}")).count() >= 3,
        Duration.ofSeconds(5));
    Poll.until(() -> pongs.get() >= 1, Duration.ofSeconds(5));
  }

  @Test
  void keepsTryingWhileTheExchangeIsUnreachableAndConnectsWhenItIsBack() {
    int port = server.actualPort();
    await(server.close());
    connect(settings(List.of("sub"), null, Duration.ofSeconds(5)));
    Poll.until(() -> connection.reconnects() >= 3, Duration.ofSeconds(10));
    assertThat(connection.state()).isEqualTo(StreamConnection.State.RECONNECTING);
    server =
        vertx
            .createHttpServer()
            .webSocketHandler(
                ws -> {
                  sockets.add(ws);
                  ws.textMessageHandler(received::add);
                });
    await(server.listen(port, "127.0.0.1"));
    Poll.until(
        () -> connection.state() == StreamConnection.State.CONNECTED && received.contains("sub"),
        Duration.ofSeconds(10));
  }

  @Test
  void stopEndsTheConnectionForGood() {
    connect(settings(List.of("sub"), null, Duration.ofSeconds(5)));
    Poll.until(() -> sockets.size() == 1 && received.contains("sub"), Duration.ofSeconds(5));
    vertx.runOnContext(v -> connection.stop());
    Poll.until(() -> sockets.get(0).isClosed(), Duration.ofSeconds(5));
    assertThat(connection.state()).isEqualTo(StreamConnection.State.STOPPED);
    assertThat(connection.reconnects()).isZero();
  }

  @Test
  void refusesAUrlThatIsNotAWebSocket() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new StreamConnection.Settings(
                    URI.create("https://api.example/stream"),
                    List.of(),
                    Duration.ZERO,
                    null,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(1),
                    Duration.ofMillis(1),
                    Duration.ofSeconds(1)))
        .hasMessageContaining("ws:// or wss://");
  }

  @Test
  void refusesABackoffCapBelowItsBase() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new StreamConnection.Settings(
                    URI.create("ws://127.0.0.1:1/"),
                    List.of(),
                    Duration.ZERO,
                    null,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(500),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
