-- Dropping the views and the hypertable also removes their policies. The extension stays.
DROP MATERIALIZED VIEW IF EXISTS ohlcv_1d, ohlcv_4h, ohlcv_1h, ohlcv_15m, ohlcv_5m;
DROP TABLE IF EXISTS ohlcv_1m;
