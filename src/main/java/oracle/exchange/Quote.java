package oracle.exchange;

/**
 * One source's view of one symbol at one moment, as an adapter parsed it.
 *
 * @param symbol          canonical symbol the quote is for (BASE/QUOTE as configured)
 * @param quoteCurrency   currency the price is quoted in at the source (e.g. KRW on Upbit, USD on Coinbase)
 * @param bid             best bid, or NaN when the source does not give it
 * @param ask             best ask, or NaN when the source does not give it
 * @param timestampMs     the exchange's own timestamp of the price
 * @param liquidity       24 h quote volume, used only as a VWAP weight (never added to a candle)
 * @param minuteVolume    base volume traded in the current minute (from the 1-minute kline / trades), or NaN
 */
public record Quote(String exchange, String symbol, String quoteCurrency, double price, double bid, double ask,
                    long timestampMs, double liquidity, double minuteVolume) {}
