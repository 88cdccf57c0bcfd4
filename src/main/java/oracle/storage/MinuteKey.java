package oracle.storage;

/**
 * A row's identity in {@code ohlcv_1m} (or a bucket's in a rollup table): symbol and start in Unix
 * seconds.
 */
record MinuteKey(String symbol, long time) {}
