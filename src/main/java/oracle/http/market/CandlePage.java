package oracle.http.market;

import java.util.List;

/**
 * Candles ascending, and where the next page starts ({@code null} when the range is complete).
 * {@code partialReason} is set when a source of the answer failed and what was served is only what
 * the other held (e.g. {@code redis_unavailable}: the database's candles without the live minutes).
 */
public record CandlePage(List<Bar> bars, Long nextFrom, String partialReason) {
  public static final String REDIS_UNAVAILABLE = "redis_unavailable";

  public CandlePage(List<Bar> bars, Long nextFrom) {
    this(bars, nextFrom, null);
  }

  public CandlePage partial(String reason) {
    return new CandlePage(bars, nextFrom, reason);
  }
}
