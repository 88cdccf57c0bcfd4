package oracle.exchange.stream;

/**
 * A received frame that cannot be read; its message names what was wrong. Thrown inside a
 * protocol's reading only, and turned into {@link StreamEvent.Malformed} by {@link
 * JsonTradeStream#parse}. No stack trace: a venue sending bad frames must not cost one per frame.
 */
public final class FrameException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FrameException(String message) {
    super(message, null, false, false);
  }
}
