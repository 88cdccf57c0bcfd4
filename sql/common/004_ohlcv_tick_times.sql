-- When the first and the last tick of a minute were taken: lets a flush merge a candle into a stored
-- row (open of the earliest first tick, close of the latest last tick) instead of replacing it, so a
-- candle rebuilt after Redis lost data never makes a stored minute less complete.
ALTER TABLE ohlcv_1m ADD COLUMN first_tick_at timestamptz;
ALTER TABLE ohlcv_1m ADD COLUMN last_tick_at timestamptz;
