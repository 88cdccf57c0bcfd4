package oracle.exchange;

import java.util.function.Supplier;

/**
 * A venue's public WebSocket trade stream as its fake serves it (tests, dev mode): the path, what
 * the client's messages mean (subscribe, keep-alive) and how a trade is framed. The fake exchange
 * server ({@code oracle.simulator}) owns the connections, the trades and the stream faults; the
 * venue only speaks its format through a {@link Session}.
 */
public interface FakeStream {
  /** The path the stream is served on ({@code /stream}, {@code /}, ...). */
  String path();

  /** Whether the venue sends its frames as binary frames of UTF-8 JSON (Upbit). */
  default boolean binary() {
    return false;
  }

  /** Greets a new connection (Kraken's {@code status} message); nothing by default. */
  default void onOpen(Session session) {}

  /** Handles one text (or binary, decoded) message from the client. */
  void onMessage(Session session, String message);

  /** The frame pushing {@code trade} to a client that subscribed to its market as {@code as}. */
  String trade(FakeMarkets.Trade trade, String as);

  /** One client connection as the venue sees it. */
  interface Session {
    /** Sends a frame (binary for a {@link #binary()} venue, else text). */
    void send(String frame);

    /**
     * Pushes every new trade of {@code marketId} (the REST id) from now on, framed with the name
     * the client used ({@code as}); false when the venue does not list the market.
     */
    boolean subscribe(String marketId, String as);

    /** The market's latest trade pushed to the streams, or null when it has none yet. */
    FakeMarkets.Trade last(String marketId);

    /**
     * The market's latest trades pushed (at most {@code n}, of the last two minutes), oldest first.
     */
    java.util.List<FakeMarkets.Trade> recent(String marketId, int n);

    /** Sends {@code frame} every {@code ms} while the connection lives (heartbeats). */
    void every(long ms, Supplier<String> frame);
  }
}
