-- Atomically folds one price into a 1-minute candle hash.
-- KEYS[1] oracle:candle:{symbol}:{minute}   KEYS[2] oracle:leader:fencing   KEYS[3] (optional) oracle:price:{symbol}
-- ARGV[1] price ('' with mode withhold)
-- ARGV[2] the minute's traded volume as last reported ('' = unknown, keep the stored one); ignored
--         when per-source volumes (vol:<source> options) are given
-- ARGV[3] updated_at (Unix ms)   ARGV[4] the writer's fencing token ('' = no check)
-- ARGV[5] (with KEYS[3]) the latest-price JSON, written under the same fence ('' without KEYS[3]);
--         with mode withhold: the members that replace everything from ',"status":' on in the stored JSON
-- ARGV[6] (optional) the exchanges whose quotes made this price, comma-separated; the candle's
--         'sources' field keeps every exchange that contributed during the minute
-- ARGV[7..] (optional) name, value pairs, in any order (new options add pairs, never positions):
--   'vol:<source>', volume  that source's volume of this minute so far; kept in the candle field of
--                           the same name, never lowered; the candle's volume is the sum of every
--                           vol:* field, so it never decreases within the minute and counts every
--                           source that traded in it, also one that dropped out later
--   'grace', ms             a tick for a minute that closed longer ago than this (by Redis's clock) is
--                           refused, so a late batch or a clock stepped back never rewrites a closed minute
--   'mode', 'withhold'      the tick had no quorum: the candle is not touched; the stored price JSON
--                           (the last agreed price) gets ARGV[5]'s status members; returns the candle
--                           as it is plus that JSON
--   'trades:<source>', n    that source's trade count of this minute so far; kept in the candle field of
--                           the same name, never lowered; the candle's 'trades' is the sum of every
--                           trades:* field (like volume and vol:*)
--   'mode', 'final'         the minute's close-out (CandleUpdates.finalMinute): overwrites open (option
--                           'open'), high ('high'), low ('low'), close (ARGV[1]), volume (ARGV[2]), trades
--                           (option 'trades'; absent = unknown, the field is removed), origin (option
--                           'origin') and sources (ARGV[6]); sets 'final' = 1 so the flush replaces the
--                           stored row instead of merging into it. Fenced like every write, NOT refused by
--                           the grace option (the close-out comes after the grace by design). updated_at
--                           is Redis's clock, and always moves forward, so a flush that read the candle
--                           before cannot mark this version flushed. Returns 1.
-- A final candle is not changed by ordinary ticks any more (a late tick of a closed minute must not
-- undo its close-out): such a tick only stores its price JSON and returns the candle as it is.
-- The candle keeps when its first and last ticks were taken (first_tick_at, last_tick_at: ARGV[3] of
-- those ticks), so the flush can merge it into a stored row instead of replacing it.
-- New candle: open = high = low = close = price. Existing: high = max, low = min, close = price.
-- Volume is written as a value, never added, so the polling rate cannot inflate it.
-- A candle the flush already marked (a late tick landing just after its minute closed) is
-- un-marked: flushed_at removed and the backup TTL dropped, so the next flush writes it again and
-- it cannot expire before the database has the final version.
-- Every candle it changes is added to the dirty set oracle:flush:dirty (a set of candle keys), in the
-- same atomic step: the flush reads only those instead of scanning every key, and removes one only
-- when it marks it flushed (mark_flushed.lua). The set is fixed by name, not a KEYS entry, so every
-- caller keeps it without passing it.
-- Returns {open, high, low, close, volume, updated_at, '', trades, origin} (mode final: 1; trades and
-- origin '' where the candle has none), or false when a newer leader holds the fence;
-- with mode withhold {open, high, low, close, volume, updated_at, price JSON, trades, origin}, '' where
-- absent; 0 when
-- the minute closed longer ago than the grace option allows.
if ARGV[4] ~= '' then
  local current = tonumber(redis.call('GET', KEYS[2]) or '0')
  if current > tonumber(ARGV[4]) then
    return false
  end
end

local opts, vols, trades = {}, {}, {}
for i = 7, #ARGV - 1, 2 do
  if string.sub(ARGV[i], 1, 4) == 'vol:' then
    vols[#vols + 1] = ARGV[i]
    vols[#vols + 1] = ARGV[i + 1]
  elseif string.sub(ARGV[i], 1, 7) == 'trades:' then
    trades[#trades + 1] = ARGV[i]
    trades[#trades + 1] = ARGV[i + 1]
  else
    opts[ARGV[i]] = ARGV[i + 1]
  end
end

if opts['mode'] == 'withhold' then
  local json = ''
  if KEYS[3] then
    local stored = redis.call('GET', KEYS[3])
    if stored then
      local at = string.find(stored, ',"status":', 1, true)
      if at then
        json = string.sub(stored, 1, at) .. ARGV[5] .. '}'
      else
        json = string.sub(stored, 1, -2) .. ',' .. ARGV[5] .. '}'
      end
      redis.call('SET', KEYS[3], json)
    end
  end
  local c = redis.call('HMGET', KEYS[1], 'open', 'high', 'low', 'close', 'volume', 'updated_at', 'trades', 'origin')
  if not c[1] then return {'', '', '', '', '', '', json, '', ''} end
  return {c[1], c[2], c[3], c[4], c[5] or '0', c[6] or '0', json, c[7] or '', c[8] or ''}
end

if opts['mode'] == 'final' then
  local t = redis.call('TIME')
  local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local before = tonumber(redis.call('HGET', KEYS[1], 'updated_at') or '')
  if before and nowMs <= before then nowMs = before + 1 end
  local at = string.format('%d', nowMs)
  redis.call('HSET', KEYS[1], 'open', opts['open'], 'high', opts['high'], 'low', opts['low'], 'close', ARGV[1],
    'volume', ARGV[2], 'origin', opts['origin'] or 'live', 'final', '1', 'updated_at', at)
  if opts['trades'] then
    redis.call('HSET', KEYS[1], 'trades', opts['trades'])
  else
    redis.call('HDEL', KEYS[1], 'trades')
  end
  if ARGV[6] and ARGV[6] ~= '' then
    redis.call('HSET', KEYS[1], 'sources', ARGV[6])
  else
    redis.call('HDEL', KEYS[1], 'sources')
  end
  -- The quote volume belonged to the volume being replaced.
  redis.call('HDEL', KEYS[1], 'quote_volume', 'flushed_at')
  redis.call('PERSIST', KEYS[1])
  redis.call('SADD', 'oracle:flush:dirty', KEYS[1])
  return 1
end

if opts['grace'] then
  local minute = tonumber(string.match(KEYS[1], ':(%d+)$'))
  local t = redis.call('TIME')
  local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if minute and (minute + 60) * 1000 + tonumber(opts['grace']) < nowMs then
    return 0
  end
end

local price = ARGV[1]
local p = tonumber(price)
local old = redis.call('HMGET', KEYS[1], 'open', 'high', 'low', 'volume', 'flushed_at', 'sources', 'final')
if old[7] == '1' then
  -- Closed out: the candle stays as the close-out wrote it; the latest price still moves.
  if KEYS[3] then redis.call('SET', KEYS[3], ARGV[5]) end
  local c = redis.call('HMGET', KEYS[1], 'open', 'high', 'low', 'close', 'volume', 'updated_at', 'trades', 'origin')
  return {c[1], c[2], c[3], c[4], c[5] or '0', c[6] or '0', '', c[7] or '', c[8] or ''}
end
local open, high, low, volume = old[1], old[2], old[3], old[4]
if old[5] then
  redis.call('HDEL', KEYS[1], 'flushed_at')
  redis.call('PERSIST', KEYS[1])
end

if not open then
  open, high, low = price, price, price
else
  -- Keep the stored strings; compare as numbers (no float re-formatting of stored prices).
  if not high or p > tonumber(high) then high = price end
  if not low or p < tonumber(low) then low = price end
end
local stored = old[6]
local merged = stored or ''
if ARGV[6] and ARGV[6] ~= '' then
  for name in string.gmatch(ARGV[6], '[^,]+') do
    if not string.find(',' .. merged .. ',', ',' .. name .. ',', 1, true) then
      merged = (merged == '' and name) or (merged .. ',' .. name)
    end
  end
end
if #vols > 0 then
  local fields = {}
  for i = 1, #vols, 2 do
    local v = tonumber(vols[i + 1])
    local before = tonumber(redis.call('HGET', KEYS[1], vols[i]) or '')
    if v and v >= 0 and (not before or v > before) then redis.call('HSET', KEYS[1], vols[i], vols[i + 1]) end
  end
  local total, any = 0, false
  local names = {}
  for name in string.gmatch(merged, '[^,]+') do names[#names + 1] = 'vol:' .. name end
  for i = 1, #vols, 2 do
    if not string.find(',' .. merged .. ',', ',' .. string.sub(vols[i], 5) .. ',', 1, true) then names[#names + 1] = vols[i] end
  end
  local values = redis.call('HMGET', KEYS[1], unpack(names))
  for i = 1, #values do
    if values[i] then
      total = total + tonumber(values[i])
      any = true
    end
  end
  if any then volume = string.format('%.15g', total) end
elseif ARGV[2] ~= '' then
  volume = ARGV[2]
end
if #trades > 0 then
  for i = 1, #trades, 2 do
    local n = tonumber(trades[i + 1])
    local before = tonumber(redis.call('HGET', KEYS[1], trades[i]) or '')
    if n and n >= 0 and (not before or n > before) then redis.call('HSET', KEYS[1], trades[i], trades[i + 1]) end
  end
  local names = {}
  for name in string.gmatch(merged, '[^,]+') do names[#names + 1] = 'trades:' .. name end
  for i = 1, #trades, 2 do
    if not string.find(',' .. merged .. ',', ',' .. string.sub(trades[i], 8) .. ',', 1, true) then
      names[#names + 1] = trades[i]
    end
  end
  local total, any = 0, false
  local values = redis.call('HMGET', KEYS[1], unpack(names))
  for i = 1, #values do
    if values[i] then
      total = total + tonumber(values[i])
      any = true
    end
  end
  if any then redis.call('HSET', KEYS[1], 'trades', string.format('%d', total)) end
end
local tradesNow = redis.call('HGET', KEYS[1], 'trades') or ''
if not volume then volume = '0' end
if not old[1] then
  redis.call('HSET', KEYS[1], 'open', open, 'high', high, 'low', low, 'close', price,
    'volume', volume, 'updated_at', ARGV[3], 'first_tick_at', ARGV[3], 'last_tick_at', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'high', high, 'low', low, 'close', price, 'volume', volume, 'updated_at', ARGV[3],
    'last_tick_at', ARGV[3])
end
if merged ~= (stored or '') then redis.call('HSET', KEYS[1], 'sources', merged) end
redis.call('SADD', 'oracle:flush:dirty', KEYS[1])
if KEYS[3] then
  redis.call('SET', KEYS[3], ARGV[5])
end
return {open, high, low, price, volume, ARGV[3], '', tradesNow, ''}
