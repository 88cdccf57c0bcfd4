-- Reads a batch of candle hashes for the flush and returns only those the database may lack, so
-- the many already-flushed minutes kept for their TTL never cross the wire.
-- KEYS = oracle:candle:{symbol}:{minute} ...
-- Returns a flat array, 9 entries per unflushed candle:
--   index into KEYS (1-based), open, high, low, close, volume, quote_volume, sources, updated_at
-- (missing fields as ''). A candle is skipped when gone, or when flushed_at >= updated_at
-- (flushed and unchanged since). Values are returned as stored; the caller validates them.
local out = {}
for i, key in ipairs(KEYS) do
  local h = redis.call('HMGET', key, 'open', 'high', 'low', 'close', 'volume', 'quote_volume', 'sources',
    'updated_at', 'flushed_at')
  local exists = false
  for j = 1, 9 do
    if h[j] then exists = true break end
  end
  local flushed = h[9] and (tonumber(h[8] or '') or 0) <= (tonumber(h[9]) or 0)
  if exists and not flushed then
    out[#out + 1] = i
    for j = 1, 8 do out[#out + 1] = h[j] or '' end
  end
end
return out
