package oracle.exchange.stream;

/**
 * What the client must send to keep a connection open, and how often.
 *
 * @param kind what to send
 * @param text the text message for {@link Kind#TEXT}, else null
 * @param intervalMs how often to send it (0 for {@link Kind#NONE})
 */
public record KeepAlive(Kind kind, String text, long intervalMs) {

  /** How the client keeps the connection alive. */
  public enum Kind {
    /**
     * Nothing to send: the server pings (Vert.x answers with pong frames) or a subscribed channel
     * keeps the connection busy.
     */
    NONE,
    /** A text message, answered by a {@link StreamEvent.Pong}. */
    TEXT
  }

  public static final KeepAlive NONE = new KeepAlive(Kind.NONE, null, 0);

  public static KeepAlive text(String text, long intervalMs) {
    return new KeepAlive(Kind.TEXT, text, intervalMs);
  }
}
