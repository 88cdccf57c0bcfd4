package oracle.http.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * A point in time given by a client: Unix seconds ({@code 1796637600}) or an ISO-8601 instant
 * ({@code 2026-12-07T10:00:00Z}, an offset such as {@code +01:00} allowed), as Unix seconds. The
 * one parser of the market, UDF and admin routes, so they accept the same spellings.
 */
public final class TimeParam {
  /** 9999-12-31T23:59:59Z: larger values are typos (milliseconds for seconds), not dates. */
  public static final long MAX_UNIX_SECONDS = 253_402_300_799L;

  public static final String RULE =
      "must be Unix seconds (0 to "
          + MAX_UNIX_SECONDS
          + ") or an ISO-8601 instant such as 2026-12-07T10:00:00Z";

  private TimeParam() {}

  /**
   * Unix seconds; 400 naming {@code field} when {@code raw} is neither spelling or out of range.
   */
  public static long parse(String field, String raw) {
    String s = raw.trim();
    long seconds;
    if (s.matches("-?\\d{1,19}")) {
      try {
        seconds = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw ApiError.badRequest(field, RULE);
      }
    } else {
      try {
        seconds = Instant.parse(s).getEpochSecond();
      } catch (DateTimeParseException e) {
        try {
          seconds = OffsetDateTime.parse(s).toEpochSecond();
        } catch (DateTimeParseException e2) {
          throw ApiError.badRequest(field, RULE);
        }
      }
    }
    if (seconds < 0 || seconds > MAX_UNIX_SECONDS) throw ApiError.badRequest(field, RULE);
    return seconds;
  }
}
