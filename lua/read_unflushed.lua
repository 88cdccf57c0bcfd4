-- Reads a batch of candle hashes for the flush and returns only those the database may lack, so
-- the many already-flushed minutes kept for their TTL never cross the wire.
-- KEYS = oracle:candle:{symbol}:{minute} ...
-- Returns a flat array, 11 entries per unflushed candle:
--   index into KEYS (1-based), open, high, low, close, volume, quote_volume, sources, first_tick_at,
--   last_tick_at, updated_at
-- (missing fields as ''). A candle is skipped when gone, or when flushed_at >= updated_at
-- (flushed and unchanged since). Values are returned as stored; the caller validates them.
local out = {}
for i, key in ipairs(KEYS) do
  -- Most keys are flushed and unchanged: two fields decide, the rest is read only when needed.
  local stamp = redis.call('HMGET', key, 'updated_at', 'flushed_at')
  local flushed = stamp[2] and (tonumber(stamp[1] or '') or 0) <= (tonumber(stamp[2]) or 0)
  if not flushed then
    local h = redis.call('HMGET', key, 'open', 'high', 'low', 'close', 'volume', 'quote_volume', 'sources',
      'first_tick_at', 'last_tick_at')
    local exists = stamp[1] or stamp[2]
    for j = 1, 9 do exists = exists or h[j] end
    if exists then
      out[#out + 1] = i
      for j = 1, 9 do out[#out + 1] = h[j] or '' end
      out[#out + 1] = stamp[1] or ''
    end
  end
end
return out
