-- wrk script: GET /search?q=... as a signed-in caseworker, rotating through realistic
-- caseworker queries of the form "given family-prefix" ("kari blom", "ahmed fjell", ...).
-- Every search runs the name-token query, looks up each hit's households and is audited.
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local GIVEN = { "ola", "kari", "per", "anne", "jon", "ingrid", "lars", "sofie", "ahmed", "fatima", "nora", "emil" }
-- Prefixes of seeded family names, as a caseworker types them (3 to 6 letters).
local FAMILY = {
  "blom", "fjell", "sols", "havø", "bjørk", "lyng", "sølv", "tytte", "nord", "elve",
  "furu", "multe", "snøu", "lauv", "skjær", "vinter", "bekk", "kveld", "rype", "sand",
}

local queries = {}
for i = 0, 59 do
  local q = GIVEN[(i % #GIVEN) + 1] .. " " .. FAMILY[((i * 7) % #FAMILY) + 1]
  queries[#queries + 1] = "/search?q=" .. common.urlencode(q)
end

setup = common.setup
common.cycle(queries)
done = common.done
