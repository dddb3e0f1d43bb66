-- wrk script: GET /search?q=... as a signed-in caseworker, searching by address the way a
-- caseworker types one: the start of a seeded street and a house number ("demov 12").
-- The seeder spreads 100 000 households over 8 streets × 120 numbers, so one address holds
-- about 100 households (a real municipality has far fewer per address): a hard case for ranking.
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local STREETS = { "demov", "eksempelg", "prøves", "testl", "oppdik", "fiktivb", "modellv", "øvingsg" }

local queries = {}
for i = 0, 59 do
  local q = STREETS[(i % #STREETS) + 1] .. " " .. tostring(1 + (i * 37) % 120)
  queries[#queries + 1] = "/search?q=" .. common.urlencode(q)
end

setup = common.setup
common.cycle(queries)
done = common.done
