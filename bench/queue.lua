-- wrk script: the work queue GET /cases?filter=... as a signed-in caseworker pages through it (50
-- rows a page, ordered by next deadline). Every queue view is audited.
--
-- Each walk starts on a filter's first page and goes on by the page's own "next page" link, as a
-- caseworker does: most walks (80 %) through the open cases, the rest through the unassigned,
-- due soon, overdue and mine (the bench caseworker has no cases assigned, so "mine" is always
-- empty). After page k a walk goes on with chance (H - k) / (H - k + 1), H the filter's highest
-- page, so a walk ends on a page drawn evenly from 1..H (100 for open and unassigned, 10 for the
-- others); a view lands on page k in proportion to H - k + 1. Following the links measures what
-- the server's links cost: places since the queue paged from one (an offset before, `page=N`).
--
-- The links are taken from the responses of the thread's connections in turn, so walks
-- interleave; what matters is the mix of pages, not which connection asks for them.
-- A script that sets the global QUEUE_SORT before loading this one (queue_newest.lua) asks for
-- that order (&sort=...).
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

-- { filter, highest page, weight in per cent }
local MIX = {
  { "open", 100, 80 },
  { "unassigned", 100, 5 },
  { "due_soon", 10, 5 },
  { "overdue", 10, 5 },
  { "mine", 10, 5 },
}

local HIGHEST = {}
for _, f in ipairs(MIX) do
  HIGHEST[f[1]] = f[2]
end

-- The next pages of walks that go on, to be asked for before a new walk starts.
local pending = {}

setup = common.setup

function init(args)
  common.session_headers()
  common.seed_random(thread_id)
end

local function first_page()
  local r = math.random(100)
  local filter = MIX[1][1]
  for _, f in ipairs(MIX) do
    if r <= f[3] then
      filter = f[1]
      break
    end
    r = r - f[3]
  end
  local sort = QUEUE_SORT and ("&sort=" .. QUEUE_SORT) or ""
  return "/cases?filter=" .. filter .. sort
end

function request()
  local path = table.remove(pending) or first_page()
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 or not body then
    return
  end
  local href = body:match('<a[^>]-href="([^"]+)"[^>]*>Neste side</a>')
  if not href then
    return
  end
  href = href:gsub("&#38;", "&"):gsub("&amp;", "&")
  local next_page = tonumber(href:match("[?&]page=(%d+)"))
  local highest = HIGHEST[href:match("[?&]filter=([%w_]+)")] or 1
  local served = (next_page or 2) - 1
  if served < highest and math.random() < (highest - served) / (highest - served + 1) then
    pending[#pending + 1] = href
  end
end

done = common.done
