-- Shared by the wrk scripts in bench/ (loaded with dofile; wrk runs LuaJIT).
--
-- Environment (set by bench/load.sh):
--   BENCH_NAME     label printed in the result line
--   BENCH_SESSION  value of the husly_session cookie (pages that need a login)
--
-- done() prints one machine-readable line that load.sh parses:
--   BENCH name=... requests=... duration_s=... rps=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
--         errors_connect=... errors_read=... errors_write=... errors_status=... errors_timeout=...
-- (errors_status counts responses with status >= 400; wrk does not count 3xx as errors, so
-- load.sh separately checks that every page request was served and audited.)

local M = {}

function M.session_headers()
  local session = os.getenv("BENCH_SESSION")
  if session and session ~= "" then
    wrk.headers["Cookie"] = "husly_session=" .. session
  end
  wrk.headers["Accept-Language"] = "nb"
end

-- Percent-encodes a query-string value (UTF-8 bytes; space as %20).
function M.urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- Gives each wrk thread its own random sequence (threads otherwise share one seed).
local thread_counter = 0
function M.setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

function M.seed_random(thread_id)
  math.randomseed(os.time() + 7919 * (thread_id or 0))
  -- LuaJIT's first values after seeding are poorly mixed.
  for _ = 1, 10 do math.random() end
end

-- Defines wrk's init() and request() for a script that cycles through fixed request paths,
-- each thread starting at a random one, as a signed-in user.
function M.cycle(paths)
  local next_path
  _G.init = function(args)
    M.session_headers()
    M.seed_random(thread_id)
    next_path = math.random(#paths)
  end
  _G.request = function()
    next_path = (next_path % #paths) + 1
    return wrk.format("GET", paths[next_path])
  end
end

function M.done(summary, latency, requests)
  local ms = function(us) return us / 1000.0 end
  local duration_s = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH name=%s requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
      .. "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    os.getenv("BENCH_NAME") or "unnamed", summary.requests, duration_s, summary.requests / duration_s,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    e.connect, e.read, e.write, e.status, e.timeout))
end

return M
