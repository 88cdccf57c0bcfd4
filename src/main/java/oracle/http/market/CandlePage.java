package oracle.http.market;

import java.util.List;

/**
 * Candles ascending, and where the next page starts ({@code null} when the range is complete).
 */
public record CandlePage(List<Bar> bars, Long nextFrom) {}
