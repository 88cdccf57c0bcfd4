package oracle.exchange;

/**
 * A source answered with a non-2xx status or an error body; counts as a failure for its breaker.
 */
public final class ExchangeHttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ExchangeHttpException(String exchange, int status, String detail) {
    super(
        exchange
            + " answered "
            + (status > 0 ? "HTTP " + status : "an error")
            + (detail == null ? "" : ": " + detail),
        null,
        false,
        false);
    this.status = status;
  }

  /** HTTP status, or 0 for an error reported inside a 200 body. */
  public int status() {
    return status;
  }
}
