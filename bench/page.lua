-- wrk script: GET one fixed path (BENCH_PATH, e.g. "/follow-up?scope=all") as the signed-in
-- user whose session is BENCH_SESSION. Used by bench/follow_up.sh for each of its pages.
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH") or "/"

setup = common.setup

function init(args)
  common.session_headers()
end

done = common.done
