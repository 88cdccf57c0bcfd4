package oracle.exchange.stream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import oracle.common.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to an exchange's public stream, kept open: it subscribes after every connect
 * (paced, as exchanges cap incoming messages per second), sends the exchange's keep-alive, answers
 * pings (Vert.x replies to ping frames itself), notices a silent stream (open, but nothing received
 * for {@link Settings#silence()}) and reconnects after any loss with the project's one retry policy
 * ({@link Backoff}: exponential, jittered).
 *
 * <p>Exchange-specific work stays outside: the subscribe and keep-alive messages come from the
 * exchange's protocol, and every message received goes to the {@link Listener} unparsed. Runs on
 * the context that called {@link #start()}: every callback, timer and state change happens there,
 * so nothing needs a lock.
 */
public final class StreamConnection {
  private static final Logger log = LoggerFactory.getLogger(StreamConnection.class);

  /** Where the connection is. */
  public enum State {
    CONNECTING,
    CONNECTED,
    RECONNECTING,
    STOPPED
  }

  /** Receives what the stream sends, in order, on the connection's context. */
  public interface Listener {
    void onText(String message);

    /** Binary frames (Upbit sends its JSON this way). */
    default void onBinary(Buffer message) {}

    /** The server answered a ping frame: the connection is alive, though no message came. */
    default void onPong() {}

    /**
     * The connection opened (subscriptions are being sent) or was lost: the consumer treats trades
     * around a loss as possibly missing.
     */
    default void onState(State state) {}
  }

  /**
   * @param url {@code ws://} or {@code wss://}
   * @param subscribe the messages that subscribe one connection's markets, sent after each connect
   * @param subscribePacing the gap between two subscribe messages (exchanges cap messages per
   *     second: Binance 5, Upbit 5)
   * @param keepAlive the exchange's keep-alive message (null when it needs none: the server pings)
   * @param keepAliveEvery how often to send it
   * @param silence a stream open but quiet this long is taken for dead and reconnected
   * @param backoffBase the first reconnect's delay step; doubles per connection lost in a row
   * @param backoffMax the largest step
   * @param connectTimeout a connect (TCP, TLS and upgrade) that takes longer fails
   * @param pingFrames without a {@code keepAlive} message: send a WebSocket ping frame every {@code
   *     keepAliveEvery} instead, so a connection whose markets are all quiet still hears something
   *     (the server's pong) and is not taken for silent (Binance has no heartbeat channel)
   */
  public record Settings(
      URI url,
      List<String> subscribe,
      Duration subscribePacing,
      Supplier<String> keepAlive,
      Duration keepAliveEvery,
      Duration silence,
      Duration backoffBase,
      Duration backoffMax,
      Duration connectTimeout,
      boolean pingFrames) {

    /** Settings without ping frames. */
    public Settings(
        URI url,
        List<String> subscribe,
        Duration subscribePacing,
        Supplier<String> keepAlive,
        Duration keepAliveEvery,
        Duration silence,
        Duration backoffBase,
        Duration backoffMax,
        Duration connectTimeout) {
      this(
          url,
          subscribe,
          subscribePacing,
          keepAlive,
          keepAliveEvery,
          silence,
          backoffBase,
          backoffMax,
          connectTimeout,
          false);
    }

    public Settings {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (!"ws".equals(scheme) && !"wss".equals(scheme))
        throw new IllegalArgumentException("stream url must be ws:// or wss://: " + url);
      subscribe = List.copyOf(subscribe);
      if (silence.isZero() || silence.isNegative())
        throw new IllegalArgumentException("silence must be positive");
      new Backoff(backoffBase.toMillis(), backoffMax.toMillis()); // refuses a bad pair now
    }

    Backoff backoff() {
      return new Backoff(backoffBase.toMillis(), backoffMax.toMillis());
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Listener listener;
  private final WebSocketClient client;
  private final Backoff backoff;

  private State state = State.STOPPED;
  private boolean started;
  private WebSocket socket;

  /** Connections lost in a row since the last one that received something. */
  private int attempt;

  private long keepAliveTimer = -1;
  private long silenceTimer = -1;
  private long reconnectTimer = -1;
  private long lastReceivedMs;
  private long messages;
  private long reconnects;
  private long silentSpells;

  public StreamConnection(Vertx vertx, Settings settings, Listener listener) {
    this.vertx = vertx;
    this.settings = settings;
    this.listener = listener;
    this.backoff = settings.backoff();
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setMaxMessageSize(16 * 1024 * 1024)
                .setMaxFrameSize(1024 * 1024));
  }

  /** Connects, and keeps reconnecting until {@link #stop()}; once per instance. */
  public void start() {
    if (started) return;
    started = true;
    connect(State.CONNECTING);
  }

  /** Closes the connection for good. */
  public void stop() {
    state = State.STOPPED;
    cancelTimers();
    if (reconnectTimer >= 0) vertx.cancelTimer(reconnectTimer);
    reconnectTimer = -1;
    WebSocket s = socket;
    socket = null;
    if (s != null && !s.isClosed()) s.close();
    client.close();
  }

  public State state() {
    return state;
  }

  /** Messages received since start. */
  public long messages() {
    return messages;
  }

  /** Connections lost (closed, failed, silent) and tried again since start. */
  public long reconnects() {
    return reconnects;
  }

  /** Times the stream was found open but silent. */
  public long silentSpells() {
    return silentSpells;
  }

  private void connect(State next) {
    setState(next);
    URI url = settings.url();
    boolean tls = "wss".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(url.getHost())
            .setPort(port)
            .setURI(path)
            .setSsl(tls)
            .setTimeout(settings.connectTimeout().toMillis());
    client
        .connect(options)
        .onSuccess(this::opened)
        .onFailure(
            err -> {
              log.debug("stream {}: connect failed: {}", url, err.getMessage());
              lost();
            });
  }

  private void opened(WebSocket ws) {
    if (state == State.STOPPED) {
      ws.close();
      return;
    }
    socket = ws;
    lastReceivedMs = System.currentTimeMillis();
    ws.textMessageHandler(
        text -> {
          received();
          listener.onText(text);
        });
    ws.binaryMessageHandler(
        bytes -> {
          received();
          listener.onBinary(bytes);
        });
    ws.pongHandler(
        pong -> {
          received();
          listener.onPong();
        });
    ws.exceptionHandler(err -> log.debug("stream {}: {}", settings.url(), err.getMessage()));
    ws.closeHandler(
        v -> {
          if (socket == ws) lost();
        });
    setState(State.CONNECTED);
    subscribe(ws, 0);
    if (settings.keepAlive() != null) {
      keepAliveTimer =
          vertx.setPeriodic(
              settings.keepAliveEvery().toMillis(),
              id -> {
                if (socket == ws && !ws.isClosed()) ws.writeTextMessage(settings.keepAlive().get());
              });
    } else if (settings.pingFrames()) {
      keepAliveTimer =
          vertx.setPeriodic(
              Math.max(50, settings.keepAliveEvery().toMillis()),
              id -> {
                if (socket == ws && !ws.isClosed()) ws.writePing(Buffer.buffer("ka"));
              });
    }
    long checkEvery = Math.max(50, settings.silence().toMillis() / 4);
    silenceTimer =
        vertx.setPeriodic(
            checkEvery,
            id -> {
              if (socket != ws) return;
              if (System.currentTimeMillis() - lastReceivedMs >= settings.silence().toMillis()) {
                silentSpells++;
                log.info(
                    "stream {}: nothing received for {} ms, reconnecting",
                    settings.url(),
                    settings.silence().toMillis());
                socket = null;
                ws.close();
                lost();
              }
            });
  }

  /** Sends subscribe message {@code i} and the rest after it, paced. */
  private void subscribe(WebSocket ws, int i) {
    if (i >= settings.subscribe().size() || socket != ws || ws.isClosed()) return;
    ws.writeTextMessage(settings.subscribe().get(i));
    if (i + 1 < settings.subscribe().size()) {
      vertx.setTimer(
          Math.max(1, settings.subscribePacing().toMillis()), id -> subscribe(ws, i + 1));
    }
  }

  private void received() {
    lastReceivedMs = System.currentTimeMillis();
    messages++;
    attempt = 0; // the connection works: the next loss starts the backoff afresh
  }

  private void lost() {
    socket = null;
    cancelTimers();
    if (state == State.STOPPED) return;
    reconnects++;
    setState(State.RECONNECTING);
    long delay = backoff.delayMs(++attempt);
    reconnectTimer =
        vertx.setTimer(
            Math.max(1, delay),
            id -> {
              reconnectTimer = -1;
              if (state != State.STOPPED) connect(State.RECONNECTING);
            });
  }

  private void cancelTimers() {
    if (keepAliveTimer >= 0) vertx.cancelTimer(keepAliveTimer);
    if (silenceTimer >= 0) vertx.cancelTimer(silenceTimer);
    keepAliveTimer = -1;
    silenceTimer = -1;
  }

  private void setState(State next) {
    if (state == next) return;
    state = next;
    listener.onState(next);
  }
}
