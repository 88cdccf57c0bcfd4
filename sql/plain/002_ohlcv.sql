-- Plain PostgreSQL path (no TimescaleDB): ohlcv_1m range-partitioned by week, rollup tables that
-- the flush keeps up to date in its own transaction for exactly the buckets it touched.
-- Prices and volumes are numeric so that sums are exact and both paths return identical rows.
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
) PARTITION BY RANGE (time);

-- One unique index serves both the read pattern (symbol, time DESC) and ON CONFLICT (symbol, time).
CREATE UNIQUE INDEX idx_ohlcv_1m_symbol_time ON ohlcv_1m (symbol, time DESC);

-- Weekly partitions (Monday 00:00 UTC), named ohlcv_1m_pYYYYMMDD; created ahead by the app and on
-- demand by every write for the weeks it touches.
CREATE FUNCTION oracle_ensure_ohlcv_partitions(from_ts timestamptz, to_ts timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  w       timestamptz := date_trunc('week', from_ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  part    text;
  created integer := 0;
BEGIN
  WHILE w <= to_ts LOOP
    part := 'ohlcv_1m_p' || to_char(w AT TIME ZONE 'UTC', 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF ohlcv_1m FOR VALUES FROM (%L) TO (%L)',
                     part, w, w + interval '1 week');
      created := created + 1;
    END IF;
    w := w + interval '1 week';
  END LOOP;
  RETURN created;
END $$;

-- Retention: drops whole weekly partitions that end before the cutoff, and rollup rows before it.
CREATE FUNCTION oracle_drop_ohlcv_before(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  part    record;
  dropped integer := 0;
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'ohlcv_1m'::regclass AND c.relname ~ '^ohlcv_1m_p[0-9]{8}$'
  LOOP
    IF (to_date(substr(part.relname, 11), 'YYYYMMDD')::timestamp AT TIME ZONE 'UTC') + interval '1 week' <= cutoff THEN
      EXECUTE format('DROP TABLE %I', part.relname);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  DELETE FROM ohlcv_5m WHERE time < cutoff;
  DELETE FROM ohlcv_15m WHERE time < cutoff;
  DELETE FROM ohlcv_1h WHERE time < cutoff;
  DELETE FROM ohlcv_4h WHERE time < cutoff;
  DELETE FROM ohlcv_1d WHERE time < cutoff;
  RETURN dropped;
END $$;

CREATE TABLE ohlcv_5m (
  time timestamptz NOT NULL, symbol text NOT NULL,
  open numeric NOT NULL, high numeric NOT NULL, low numeric NOT NULL, close numeric NOT NULL, volume numeric NOT NULL,
  PRIMARY KEY (symbol, time)
);
CREATE TABLE ohlcv_15m (LIKE ohlcv_5m INCLUDING ALL);
CREATE TABLE ohlcv_1h  (LIKE ohlcv_5m INCLUDING ALL);
CREATE TABLE ohlcv_4h  (LIKE ohlcv_5m INCLUDING ALL);
CREATE TABLE ohlcv_1d  (LIKE ohlcv_5m INCLUDING ALL);
