package oracle.exchange;

/**
 * A source answered with a non-2xx status, an error body, or a payload the adapter cannot read;
 * counts as a failure for its breaker. {@link #kind()} says which, so callers can tell a rate limit
 * from an outage from a broken answer without parsing messages.
 */
public final class ExchangeHttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as the answer tells. */
  public enum Kind {
    /** HTTP 429/418, or an error body saying too many requests. */
    RATE_LIMITED,
    /** HTTP 5xx, or an error body saying the service is down or busy. */
    UNAVAILABLE,
    /** Another 4xx, or an error body refusing the request (unknown market, bad parameter). */
    REJECTED,
    /** A 2xx answer without the expected shape (missing envelope, row of the wrong type). */
    BAD_PAYLOAD;

    /** The kind an HTTP status implies (a status of 0 or 2xx: the body was wrong). */
    public static Kind ofStatus(int status) {
      if (status == 429 || status == 418) return RATE_LIMITED;
      if (status >= 500) return UNAVAILABLE;
      if (status >= 400) return REJECTED;
      return BAD_PAYLOAD;
    }
  }

  private final int status;
  private final Kind kind;

  /** An answer whose kind follows from its HTTP status ({@link Kind#ofStatus}). */
  public ExchangeHttpException(String exchange, int status, String detail) {
    this(exchange, Kind.ofStatus(status), status, detail);
  }

  public ExchangeHttpException(String exchange, Kind kind, int status, String detail) {
    super(
        exchange
            + " answered "
            + (status > 0 ? "HTTP " + status : "an error")
            + (detail == null ? "" : ": " + detail),
        null,
        false,
        false);
    this.status = status;
    this.kind = kind;
  }

  /** An error reported inside a 200 body (status 0), of the given kind. */
  public static ExchangeHttpException inBody(String exchange, Kind kind, String detail) {
    return new ExchangeHttpException(exchange, kind, 0, detail);
  }

  /** A 2xx answer that does not have the documented shape. */
  public static ExchangeHttpException badPayload(String exchange, String detail) {
    return inBody(exchange, Kind.BAD_PAYLOAD, detail);
  }

  /** HTTP status, or 0 for an error reported inside a 200 body. */
  public int status() {
    return status;
  }

  public Kind kind() {
    return kind;
  }
}
