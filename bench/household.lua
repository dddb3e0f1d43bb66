-- wrk script: GET /households/{id} as a signed-in caseworker, with a household id picked at
-- random for every request from BENCH_IDS_FILE (one UUID per line, sampled by load.sh).
-- Every view reads the household, its members and timeline and appends an audit entry.
-- BENCH_PREFIX replaces "/households/" (bench/partner.sh: "/partner/households/").
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local ids = {}
local prefix = os.getenv("BENCH_PREFIX") or "/households/"

setup = common.setup

function init(args)
  common.session_headers()
  common.seed_random(thread_id)
  local path = os.getenv("BENCH_IDS_FILE") or error("BENCH_IDS_FILE is not set")
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    local id = line:match("^%s*([%x%-]+)%s*$")
    if id then ids[#ids + 1] = id end
  end
  file:close()
  if #ids == 0 then error("no household ids in " .. path) end
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)])
end

done = common.done
