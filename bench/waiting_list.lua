-- wrk script: the waiting list GET /waiting-list?page=N as a signed-in caseworker (100 households
-- a page, each ranked, explained and with its estimated wait). Half the requests ask for the first
-- page (what a caseworker opens), the rest for a random page 1..BENCH_PAGES. Every view is audited.
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")
local PAGES = tonumber(os.getenv("BENCH_PAGES") or "1")

setup = common.setup

function init(args)
  common.session_headers()
  common.seed_random(thread_id)
end

function request()
  local page = 1
  if math.random(2) == 2 then page = math.random(PAGES) end
  return wrk.format("GET", "/waiting-list?page=" .. page)
end

done = common.done
