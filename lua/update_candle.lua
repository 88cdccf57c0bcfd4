-- Atomically folds one price into a 1-minute candle hash.
-- KEYS[1] oracle:candle:{symbol}:{minute}   KEYS[2] oracle:leader:fencing   KEYS[3] (optional) oracle:price:{symbol}
-- ARGV[1] price   ARGV[2] the minute's traded volume as last reported ('' = unknown, keep the stored one)
-- ARGV[3] updated_at (Unix ms)   ARGV[4] the writer's fencing token ('' = no check)
-- ARGV[5] (with KEYS[3]) the latest-price JSON, written under the same fence ('' without KEYS[3])
-- ARGV[6] (optional) the exchanges whose quotes made this price, comma-separated; the candle's
--         'sources' field keeps every exchange that contributed during the minute
-- ARGV[7] (optional) grace in ms: a tick for a minute that closed longer ago than this (by Redis's clock)
--         is refused, so a late batch or a clock stepped back never rewrites a closed minute
-- The candle keeps when its first and last ticks were taken (first_tick_at, last_tick_at: ARGV[3] of
-- those ticks), so the flush can merge it into a stored row instead of replacing it.
-- New candle: open = high = low = close = price. Existing: high = max, low = min, close = price.
-- Volume is written as a value, never added, so the polling rate cannot inflate it.
-- A candle the flush already marked (a late tick landing just after its minute closed) is
-- un-marked: flushed_at removed and the backup TTL dropped, so the next flush writes it again and
-- it cannot expire before the database has the final version.
-- Returns {open, high, low, close, volume, updated_at}; false when a newer leader holds the fence; 0 when
-- the minute closed longer ago than the grace.
if ARGV[7] and ARGV[7] ~= '' then
  local minute = tonumber(string.match(KEYS[1], ':(%d+)$'))
  local t = redis.call('TIME')
  local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if minute and (minute + 60) * 1000 + tonumber(ARGV[7]) < nowMs then
    return 0
  end
end
if ARGV[4] ~= '' then
  local current = tonumber(redis.call('GET', KEYS[2]) or '0')
  if current > tonumber(ARGV[4]) then
    return false
  end
end

local price = ARGV[1]
local p = tonumber(price)
local old = redis.call('HMGET', KEYS[1], 'open', 'high', 'low', 'volume', 'flushed_at')
local open, high, low, volume = old[1], old[2], old[3], old[4]
if old[5] then
  redis.call('HDEL', KEYS[1], 'flushed_at')
  redis.call('PERSIST', KEYS[1])
end

if not open then
  open, high, low = price, price, price
  if ARGV[2] ~= '' then volume = ARGV[2] else volume = '0' end
  redis.call('HSET', KEYS[1], 'open', open, 'high', high, 'low', low, 'close', price,
    'volume', volume, 'updated_at', ARGV[3], 'first_tick_at', ARGV[3], 'last_tick_at', ARGV[3])
else
  -- Keep the stored strings; compare as numbers (no float re-formatting of stored prices).
  if not high or p > tonumber(high) then high = price end
  if not low or p < tonumber(low) then low = price end
  if ARGV[2] ~= '' then volume = ARGV[2] end
  if not volume then volume = '0' end
  redis.call('HSET', KEYS[1], 'high', high, 'low', low, 'close', price, 'volume', volume, 'updated_at', ARGV[3],
    'last_tick_at', ARGV[3])
end
if ARGV[6] and ARGV[6] ~= '' then
  local stored = redis.call('HGET', KEYS[1], 'sources')
  local merged = stored or ''
  for name in string.gmatch(ARGV[6], '[^,]+') do
    if not string.find(',' .. merged .. ',', ',' .. name .. ',', 1, true) then
      merged = (merged == '' and name) or (merged .. ',' .. name)
    end
  end
  if merged ~= stored then redis.call('HSET', KEYS[1], 'sources', merged) end
end
if KEYS[3] then
  redis.call('SET', KEYS[3], ARGV[5])
end
return {open, high, low, price, volume, ARGV[3]}
