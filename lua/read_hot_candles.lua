-- Reads the live 1-minute candles the API merges over stored history, in one round trip: one call
-- instead of a pipelined HMGET per minute (a one-year 1d request asks for the last hour's 60).
-- KEYS = oracle:candle:{symbol}:{minute} ...
-- Returns a flat array, 2 entries per candle that has its prices: the index into KEYS (1-based;
-- negative when the candle is flushed and unchanged since, so the database holds it, merged with
-- what it had: the API prefers the stored row then), then open, high, low, close, volume, trades and
-- origin ('' where the hash has none), joined with '|'. A hash without
-- all four prices (absent, or being written by hand) is skipped. Values are returned as stored; the
-- caller validates them.
local out = {}
for i, key in ipairs(KEYS) do
  local h = redis.call('HMGET', key, 'open', 'high', 'low', 'close', 'volume', 'updated_at', 'flushed_at',
    'trades', 'origin')
  if h[1] and h[2] and h[3] and h[4] then
    local s = h[1] .. '|' .. h[2] .. '|' .. h[3] .. '|' .. h[4] .. '|' .. (h[5] or '') .. '|' .. (h[8] or '') ..
      '|' .. (h[9] or '')
    -- the flushed rule of read_unflushed.lua
    local flushed = h[7] and (tonumber(h[6] or '') or 0) <= (tonumber(h[7]) or 0)
    out[#out + 1] = flushed and -i or i
    out[#out + 1] = s
  end
end
return out
