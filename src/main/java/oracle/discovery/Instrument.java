package oracle.discovery;

/**
 * One spot market as an exchange's instrument endpoint lists it, with its assets already in
 * canonical names ({@link oracle.exchange.MarketIds#canonicalAsset}).
 *
 * @param marketId the exchange's own id, as the polling adapters request it ({@code BTCUSDT},
 *     {@code XBTUSDT}, {@code KRW-BTC})
 * @param trading whether the exchange says it trades now (Binance {@code TRADING}, Coinbase {@code
 *     online}, Kraken {@code online}, OKX {@code live}, Bybit {@code Trading}; Upbit lists only
 *     open markets)
 */
public record Instrument(String marketId, String base, String quote, boolean trading) {}
