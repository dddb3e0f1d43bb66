-- wrk script: the work queue as queue.lua asks for it, sorted by the day received, newest first
-- (an index walk over application_case_open_received, schema 45).
QUEUE_SORT = "newest"
return dofile((os.getenv("BENCH_DIR") or "bench") .. "/queue.lua")
