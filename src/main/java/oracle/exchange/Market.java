package oracle.exchange;

/**
 * One exchange market a canonical symbol is read from.
 *
 * @param id the exchange's own market id ({@code BTCUSDT}, {@code BTC-USD}, {@code KRW-BTC})
 * @param quoteCurrency the currency that market's price is quoted in (converted by the aggregator
 *     when it differs from the canonical symbol's quote)
 */
public record Market(String id, String quoteCurrency) {}
