package oracle.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import oracle.exchange.FakeMarkets.Trade;
import oracle.exchange.FakeStream;

/**
 * One venue's WebSocket trade stream on the fake: its open connections, what each subscribed to,
 * and the stream faults ({@link Fault.StreamSilent}, {@link Fault.StreamGap}, {@link
 * Fault.StreamDelay}) applied to what it sends. The venue's {@link FakeStream} speaks the format.
 */
final class StreamHub {
  private final Vertx vertx;
  private final FakeStream protocol;
  private final Supplier<List<Fault>> faults;
  private final Predicate<String> listed;
  private final BiFunction<String, Long, Trade> lastTrade;
  private final BiFunction<String, Integer, List<Trade>> recentTrades;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

  StreamHub(
      Vertx vertx,
      FakeStream protocol,
      Supplier<List<Fault>> faults,
      Predicate<String> listed,
      BiFunction<String, Long, Trade> lastTrade,
      BiFunction<String, Integer, List<Trade>> recentTrades) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.faults = faults;
    this.listed = listed;
    this.lastTrade = lastTrade;
    this.recentTrades = recentTrades;
  }

  String path() {
    return protocol.path();
  }

  /** Whether {@code path} (of an upgrade request) is this stream's. */
  boolean serves(String path) {
    String p = path == null || path.isEmpty() ? "/" : path;
    return p.equals(protocol.path());
  }

  void accept(ServerWebSocket ws) {
    Connection c = new Connection(ws);
    connections.add(c);
    ws.textMessageHandler(c::received);
    ws.binaryMessageHandler(b -> c.received(b.toString()));
    ws.exceptionHandler(e -> {});
    ws.closeHandler(v -> c.closed());
    if (!silent()) protocol.onOpen(c);
  }

  /** Open connections. */
  int connections() {
    return connections.size();
  }

  /** Closes every connection (the venue dropped them); clients may reconnect. */
  void dropAll() {
    connections.forEach(c -> c.ws.close((short) 1001, "going away"));
  }

  /** Pushes new trades (in order) to the connections subscribed to their markets. */
  void publish(List<Trade> trades) {
    if (connections.isEmpty() || trades.isEmpty()) return;
    long now = System.currentTimeMillis();
    long delay = 0;
    for (Fault f : faults.get()) {
      if (f instanceof Fault.StreamSilent) return;
      if (f instanceof Fault.StreamGap g && now < g.untilMs()) return; // the tape keeps them
      if (f instanceof Fault.StreamDelay d) delay += d.ms();
    }
    for (Connection c : connections) {
      for (Trade t : trades) {
        String as = c.subscribed.get(t.market());
        if (as == null) continue;
        String frame = protocol.trade(t, as);
        if (delay > 0) vertx.setTimer(delay, id -> c.write(frame));
        else c.write(frame);
      }
    }
  }

  private boolean silent() {
    for (Fault f : faults.get()) if (f instanceof Fault.StreamSilent) return true;
    return false;
  }

  private final class Connection implements FakeStream.Session {
    final ServerWebSocket ws;
    final Map<String, String> subscribed = new ConcurrentHashMap<>();
    final List<Long> timers = new CopyOnWriteArrayList<>();

    Connection(ServerWebSocket ws) {
      this.ws = ws;
    }

    void received(String message) {
      if (!silent()) protocol.onMessage(this, message);
    }

    void closed() {
      connections.remove(this);
      timers.forEach(vertx::cancelTimer);
    }

    void write(String frame) {
      if (ws.isClosed()) return;
      if (protocol.binary()) ws.writeBinaryMessage(Buffer.buffer(frame));
      else ws.writeTextMessage(frame);
    }

    @Override
    public void send(String frame) {
      if (!silent()) write(frame);
    }

    @Override
    public boolean subscribe(String marketId, String as) {
      if (marketId == null || !listed.test(marketId)) return false;
      subscribed.put(marketId, as);
      return true;
    }

    @Override
    public Trade last(String marketId) {
      return lastTrade.apply(marketId, System.currentTimeMillis());
    }

    @Override
    public List<Trade> recent(String marketId, int n) {
      return recentTrades.apply(marketId, n);
    }

    @Override
    public void every(long ms, Supplier<String> frame) {
      if (ws.isClosed()) return;
      timers.add(vertx.setPeriodic(ms, id -> send(frame.get())));
    }
  }
}
