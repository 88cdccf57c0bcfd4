DROP FUNCTION IF EXISTS oracle_drop_ohlcv_before(timestamptz);
DROP FUNCTION IF EXISTS oracle_ensure_ohlcv_partitions(timestamptz, timestamptz);
DROP TABLE IF EXISTS ohlcv_1d, ohlcv_4h, ohlcv_1h, ohlcv_15m, ohlcv_5m;
DROP TABLE IF EXISTS ohlcv_1m;
