-- Sliding-window rate limit (two fixed windows, the previous one weighted by how much of it still
-- overlaps the last `window` ms), shared by every instance. Atomic: one script per request.
-- Rejected requests are not counted, so a client that backs off regains its quota smoothly.
-- The clock is Redis's own (TIME), so instances with skewed clocks agree.
--
-- KEYS[1]  the client's key prefix, oracle:ratelimit:{<client>} (window numbers are appended)
-- ARGV[1]  requests allowed per window
-- ARGV[2]  window length in ms
-- Returns  {allowed 1|0, remaining, ms until the current window ends, ms to wait when rejected}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local index = math.floor(now / window)
local elapsed = now - index * window
local currentKey = KEYS[1] .. ':' .. index
local current = tonumber(redis.call('GET', currentKey) or '0')
local previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. (index - 1)) or '0')
local used = previous * (window - elapsed) / window + current
local resetMs = window - elapsed

if used + 1 > limit then
  local wait
  if current + 1 > limit then
    -- Past the next window start, this window's count weighs in until it decays enough.
    wait = resetMs + math.ceil(window * (1 - (limit - 1) / current))
  else
    -- Later in this window, once enough of the previous window has slid out.
    wait = math.ceil(window - (limit - current - 1) * window / previous) - elapsed
  end
  if wait < 1 then wait = 1 end
  return {0, 0, resetMs, wait}
end

current = redis.call('INCR', currentKey)
if current == 1 then redis.call('PEXPIRE', currentKey, window * 2) end
local remaining = math.floor(limit - used - 1)
if remaining < 0 then remaining = 0 end
return {1, remaining, resetMs, 0}
