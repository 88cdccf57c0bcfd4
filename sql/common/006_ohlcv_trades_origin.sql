-- Where a minute's numbers came from (issue 23): trades = the minute's trade count over its sources
-- (NULL = unknown); origin = 'live' (closed out from every source's complete trade stream), 'repaired'
-- (closed out with a source's minute taken from its REST kline) or 'backfill' (from klines, never seen
-- live); NULL = live ticks not (yet) closed out, which the API reports as 'live'. A flush decides from
-- them whether a candle replaces or merges into the stored row (FencedWriter). Nullable, no default:
-- adding them rewrites nothing, also on compressed TimescaleDB chunks. The rollups ignore them.
ALTER TABLE ohlcv_1m ADD COLUMN trades bigint;
ALTER TABLE ohlcv_1m ADD COLUMN origin text;
