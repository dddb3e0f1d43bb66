-- wrk script: the work queue as queue.lua asks for it, sorted by the day received, oldest first
-- (an index walk over application_case_open_received, schema 45; with years of history the
-- closed cases lie among the open ones in this order).
QUEUE_SORT = "oldest"
return dofile((os.getenv("BENCH_DIR") or "bench") .. "/queue.lua")
