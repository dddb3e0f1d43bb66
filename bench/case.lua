-- wrk script: GET /cases/{id} as a signed-in caseworker, with a case id picked at random for
-- every request from BENCH_CASE_IDS_FILE (one UUID per line, sampled by load.sh).
-- Every view reads the case, its household, decisions, letters, flags, documents and timeline,
-- computes the eligibility assessment and appends an audit entry.
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local ids = {}

setup = common.setup

function init(args)
  common.session_headers()
  common.seed_random(thread_id)
  local path = os.getenv("BENCH_CASE_IDS_FILE") or error("BENCH_CASE_IDS_FILE is not set")
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    local id = line:match("^%s*([%x%-]+)%s*$")
    if id then ids[#ids + 1] = id end
  end
  file:close()
  if #ids == 0 then error("no case ids in " .. path) end
end

function request()
  return wrk.format("GET", "/cases/" .. ids[math.random(#ids)])
end

done = common.done
