package oracle.exchange.stream;

import java.util.List;

/**
 * What one received frame means. A protocol never throws on a frame: a message it does not know is
 * {@link Ignored}, one it cannot read is {@link Malformed} naming what was wrong. Every frame,
 * whatever its kind, proves the connection is alive.
 */
public sealed interface StreamEvent {

  /** {@link Trades} of {@code trades}, or {@link Ignored} when there are none. */
  static StreamEvent ofTrades(List<Trade> trades) {
    return trades.isEmpty() ? new Ignored("no trades") : new Trades(trades);
  }

  /** Trades, in the order the venue sent them (never empty). */
  record Trades(List<Trade> trades) implements StreamEvent {
    public Trades {
      if (trades.isEmpty()) throw new IllegalArgumentException("no trades");
      trades = List.copyOf(trades);
    }
  }

  /** A heartbeat the venue sends to prove liveness; {@code market} when it names one, else null. */
  record Heartbeat(String market) implements StreamEvent {}

  /** The venue accepted a subscription ({@code what}: the channel or markets it names). */
  record Subscribed(String what) implements StreamEvent {}

  /** The venue refused a request (an unknown market, a malformed subscribe), with its reason. */
  record SubscribeError(String reason) implements StreamEvent {}

  /** The answer to the client's keep-alive. */
  record Pong() implements StreamEvent {}

  /** A well-formed message the trade stream does not use (status, other channels). */
  record Ignored(String what) implements StreamEvent {}

  /** A frame that cannot be read: not JSON, or a trade with a missing or invalid field. */
  record Malformed(String reason) implements StreamEvent {}
}
