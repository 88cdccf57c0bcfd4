package oracle.streaming;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import oracle.exchange.stream.StreamConnection;
import oracle.exchange.stream.StreamEvent;
import oracle.exchange.stream.Trade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of a feed's connections: parses what it receives with the venue's protocol and tracks whether
 * it is subscribed (the venue acknowledged, or sent a trade or heartbeat since the last connect),
 * silent (nothing received for {@code streamSilenceMs}) or lagging.
 */
final class StreamLink implements StreamConnection.Listener {
  private static final Logger log = LoggerFactory.getLogger(StreamLink.class);

  private final TradeFeed feed;
  private final List<String> ids;
  private StreamConnection connection;
  private boolean subscribed;
  private boolean lagging;
  private long lastMessageMs;

  StreamLink(TradeFeed feed, List<String> ids) {
    this.feed = feed;
    this.ids = List.copyOf(ids);
  }

  void open(StreamConnection c) {
    connection = c;
    c.start();
  }

  void close() {
    if (connection != null) connection.stop();
  }

  List<String> ids() {
    return ids;
  }

  StreamConnection.State state() {
    return connection == null ? StreamConnection.State.STOPPED : connection.state();
  }

  boolean healthy(long nowMs) {
    return state() == StreamConnection.State.CONNECTED
        && subscribed
        && !lagging
        && nowMs - lastMessageMs < feed.silenceMs();
  }

  void lagging(boolean lagging) {
    this.lagging = lagging;
  }

  @Override
  public void onText(String message) {
    handle(feed.protocol().parse(message));
  }

  @Override
  public void onBinary(Buffer message) {
    handle(feed.protocol().parse(message));
  }

  /** A pong proves the connection on a quiet market: not silent (not a message: not counted). */
  @Override
  public void onPong() {
    lastMessageMs = feed.clock().getAsLong();
  }

  @Override
  public void onState(StreamConnection.State state) {
    subscribed = false;
    lagging = false;
    lastMessageMs = feed.clock().getAsLong();
    feed.connectionChanged(this, state);
  }

  private void handle(StreamEvent event) {
    lastMessageMs = feed.clock().getAsLong();
    feed.received();
    if (event instanceof StreamEvent.Trades t) {
      subscribed = true;
      for (Trade trade : t.trades()) feed.trade(this, trade);
    } else if (event instanceof StreamEvent.SubscribeError e) {
      log.warn("{} stream refused a subscription: {}", feed.name(), e.reason());
    } else if (event instanceof StreamEvent.Malformed m) {
      log.debug("{} stream: unreadable frame: {}", feed.name(), m.reason());
    } else {
      subscribed = true; // an ack, a heartbeat, a pong or a status: the link works
    }
  }
}
