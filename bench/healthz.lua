-- wrk script: GET /healthz (no login, no database) — the baseline for the ratios.
local common = dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

wrk.method = "GET"
wrk.path = "/healthz"
setup = common.setup
done = common.done
