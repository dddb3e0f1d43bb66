-- wrk script: the work queue GET /cases?filter=...&page=N as a signed-in caseworker (50 rows a
-- page, ordered by next deadline). Most requests (80 %) page through the open cases,
-- /cases?filter=open&page=<random 1..100>; the rest use the other filters: unassigned
-- (pages 1..100), due_soon, overdue and mine (pages 1..10; the bench caseworker has no cases
-- assigned, so "mine" is always empty). Every queue view is audited. A script that sets the global
-- QUEUE_SORT before loading this one (queue_newest.lua) asks for that order (&sort=...).
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

-- { filter, highest page, weight in per cent }
local MIX = {
  { "open", 100, 80 },
  { "unassigned", 100, 5 },
  { "due_soon", 10, 5 },
  { "overdue", 10, 5 },
  { "mine", 10, 5 },
}

setup = common.setup

function init(args)
  common.session_headers()
  common.seed_random(thread_id)
end

function request()
  local r = math.random(100)
  local filter, pages = MIX[1][1], MIX[1][2]
  for _, f in ipairs(MIX) do
    if r <= f[3] then
      filter, pages = f[1], f[2]
      break
    end
    r = r - f[3]
  end
  local sort = QUEUE_SORT and ("&sort=" .. QUEUE_SORT) or ""
  return wrk.format("GET", "/cases?filter=" .. filter .. sort .. "&page=" .. math.random(pages))
end

done = common.done
