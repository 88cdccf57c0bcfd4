-- TimescaleDB path: ohlcv_1m hypertable (1-week chunks), compression after 7 days segmented by
-- symbol, retention 2 years, and continuous aggregates under the same names as the plain path's
-- rollup tables. Real-time aggregation (materialized_only = false) makes the views include minutes
-- not yet materialized; rows the refresh policies have not yet re-materialized after a late upsert
-- are refreshed by the policies (or by refresh_continuous_aggregate after a backfill).
-- Prices and volumes are numeric so that sums are exact and both paths return identical rows.
CREATE EXTENSION IF NOT EXISTS timescaledb;

CREATE TABLE ohlcv_1m (
  time         timestamptz NOT NULL,
  symbol       text        NOT NULL,
  open         numeric     NOT NULL,
  high         numeric     NOT NULL,
  low          numeric     NOT NULL,
  close        numeric     NOT NULL,
  volume       numeric     NOT NULL DEFAULT 0,
  quote_volume numeric,
  sources      text[]
);
SELECT create_hypertable('ohlcv_1m', by_range('time', INTERVAL '1 week'), create_default_indexes => false);
-- One unique index serves both the read pattern (symbol, time DESC) and ON CONFLICT (symbol, time).
CREATE UNIQUE INDEX idx_ohlcv_1m_symbol_time ON ohlcv_1m (symbol, time DESC);

ALTER TABLE ohlcv_1m SET (timescaledb.compress, timescaledb.compress_segmentby = 'symbol', timescaledb.compress_orderby = 'time DESC');
SELECT add_compression_policy('ohlcv_1m', INTERVAL '7 days');
SELECT add_retention_policy('ohlcv_1m', INTERVAL '2 years');

CREATE MATERIALIZED VIEW ohlcv_5m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '5 minutes', time) AS time, symbol,
       first(open, time) AS open, max(high) AS high, min(low) AS low, last(close, time) AS close, sum(volume) AS volume
FROM ohlcv_1m GROUP BY 1, symbol WITH NO DATA;
SELECT add_continuous_aggregate_policy('ohlcv_5m', start_offset => INTERVAL '1 day', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
SELECT add_retention_policy('ohlcv_5m', INTERVAL '2 years');

CREATE MATERIALIZED VIEW ohlcv_15m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '15 minutes', time) AS time, symbol,
       first(open, time) AS open, max(high) AS high, min(low) AS low, last(close, time) AS close, sum(volume) AS volume
FROM ohlcv_1m GROUP BY 1, symbol WITH NO DATA;
SELECT add_continuous_aggregate_policy('ohlcv_15m', start_offset => INTERVAL '2 days', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');
SELECT add_retention_policy('ohlcv_15m', INTERVAL '2 years');

CREATE MATERIALIZED VIEW ohlcv_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', time) AS time, symbol,
       first(open, time) AS open, max(high) AS high, min(low) AS low, last(close, time) AS close, sum(volume) AS volume
FROM ohlcv_1m GROUP BY 1, symbol WITH NO DATA;
SELECT add_continuous_aggregate_policy('ohlcv_1h', start_offset => INTERVAL '7 days', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '5 minutes');
SELECT add_retention_policy('ohlcv_1h', INTERVAL '2 years');

CREATE MATERIALIZED VIEW ohlcv_4h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '4 hours', time) AS time, symbol,
       first(open, time) AS open, max(high) AS high, min(low) AS low, last(close, time) AS close, sum(volume) AS volume
FROM ohlcv_1m GROUP BY 1, symbol WITH NO DATA;
SELECT add_continuous_aggregate_policy('ohlcv_4h', start_offset => INTERVAL '14 days', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '15 minutes');
SELECT add_retention_policy('ohlcv_4h', INTERVAL '2 years');

CREATE MATERIALIZED VIEW ohlcv_1d WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 day', time) AS time, symbol,
       first(open, time) AS open, max(high) AS high, min(low) AS low, last(close, time) AS close, sum(volume) AS volume
FROM ohlcv_1m GROUP BY 1, symbol WITH NO DATA;
SELECT add_continuous_aggregate_policy('ohlcv_1d', start_offset => INTERVAL '60 days', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 hour');
SELECT add_retention_policy('ohlcv_1d', INTERVAL '2 years');
