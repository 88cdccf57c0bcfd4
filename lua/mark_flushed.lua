-- Marks a batch of candle hashes as persisted, each only if it has not changed since the flush read it.
-- KEYS = oracle:candle:{symbol}:{minute} ...
-- ARGV[1] = flushed_at (Unix ms)   ARGV[2] = TTL seconds
-- ARGV[2 + i] = updated_at of KEYS[i] as read by the flush ('' when the hash had none)
-- A marked candle leaves the dirty set oracle:flush:dirty in the same step, so the set always holds
-- every candle the database may lack.
-- Returns how many were marked; a candle that changed meanwhile (it stays dirty: the next flush
-- writes it again) or no longer exists (no 'open': HSET must not create a stub hash) is left alone.
local marked = {}
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  local h = redis.call('HMGET', key, 'updated_at', 'open')
  if h[2] and (h[1] or '') == ARGV[2 + i] then
    redis.call('HSET', key, 'flushed_at', ARGV[1])
    redis.call('EXPIRE', key, ttl)
    marked[#marked + 1] = key
  end
end
-- One SREM for the batch (callers send a few hundred keys, far below Lua's unpack limit).
if #marked > 0 then redis.call('SREM', 'oracle:flush:dirty', unpack(marked)) end
return #marked
