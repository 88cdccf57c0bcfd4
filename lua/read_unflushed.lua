-- Reads a batch of candle hashes for the flush and returns only those the database may lack, so
-- the many already-flushed minutes kept for their TTL never cross the wire.
-- KEYS = oracle:candle:{symbol}:{minute} ...
-- ARGV[1] (optional) how the keys were found, which keeps the dirty set oracle:flush:dirty exact:
--   'scan'   a full SCAN (safety net): every unflushed candle is added to the set, so the passes that
--            follow find it there even if the set had been lost
--   'dirty'  the members of the set: a candle that is gone or flushed and unchanged is removed
-- Returns a flat array, 2 entries per unflushed candle: the index into KEYS (1-based), then
--   open, high, low, close, volume, quote_volume, sources, first_tick_at, last_tick_at, updated_at,
--   trades, origin, final
-- joined with '|' in one string (missing fields as ''; one string per candle instead of 13 keeps
-- the reply small). A candle is skipped when gone, or when flushed_at >= updated_at (flushed and
-- unchanged since). Values are returned as stored; the caller validates them.
local mode = ARGV[1]
local out, found, clean = {}, {}, {}
for i, key in ipairs(KEYS) do
  local h = redis.call('HMGET', key, 'updated_at', 'flushed_at', 'open', 'high', 'low', 'close', 'volume',
    'quote_volume', 'sources', 'first_tick_at', 'last_tick_at', 'trades', 'origin', 'final')
  local flushed = h[2] and (tonumber(h[1] or '') or 0) <= (tonumber(h[2]) or 0)
  local exists = false
  for j = 1, 14 do exists = exists or h[j] end
  if exists and not flushed then
    out[#out + 1] = i
    out[#out + 1] = (h[3] or '') .. '|' .. (h[4] or '') .. '|' .. (h[5] or '') .. '|' .. (h[6] or '') .. '|' ..
      (h[7] or '') .. '|' .. (h[8] or '') .. '|' .. (h[9] or '') .. '|' .. (h[10] or '') .. '|' ..
      (h[11] or '') .. '|' .. (h[1] or '') .. '|' .. (h[12] or '') .. '|' .. (h[13] or '') .. '|' .. (h[14] or '')
    found[#found + 1] = key
  else
    clean[#clean + 1] = key
  end
end
-- One SADD / SREM for the batch (callers send a few hundred keys, far below Lua's unpack limit).
if mode == 'scan' and #found > 0 then redis.call('SADD', 'oracle:flush:dirty', unpack(found)) end
if mode == 'dirty' and #clean > 0 then redis.call('SREM', 'oracle:flush:dirty', unpack(clean)) end
return out
