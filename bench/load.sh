#!/usr/bin/env bash
# Load test for Husly: seeds a fresh database (households and application cases), starts
# `husly serve` on loopback and runs wrk against /healthz, the household page, the search page
# (by name and by address), the case page and the work queue.
#
#   bench/load.sh sqlite|postgres [households=100000] [duration=20s]
#
# Environment:
#   HUSLY_BIN        use this binary instead of building `cargo build --release -p husly`
#   BENCH_PG_URL     PostgreSQL server to use (default postgres://postgres@127.0.0.1:5432);
#                    the database husly_bench on it is DROPPED and recreated. Loopback only.
#   BENCH_CONNS      wrk connections (default 64); BENCH_THREADS wrk threads (default 2)
#   BENCH_WARMUP     un-recorded warm-up per endpoint before the measured run (default 3s; 0 = none)
#   BENCH_IDS        household ids sampled for the household page (default 2000)
#   BENCH_CASE_PERCENT  per cent of households seeded with an application case (husly seed
#                    --case-percent); default: enough for 50 000 cases at the household count,
#                    i.e. ceil(5 000 000 / households), at most 100 (50 for 100 000 households).
#                    0 = no cases, and the case and queue endpoints are skipped
#   BENCH_CASE_IDS   case ids sampled for the case page (default 2000)
#   BENCH_SERIAL     after the 64-connection runs, one run per endpoint with a single connection
#                    (-t1 -c1) of this length, for the unloaded latency (default 5s; 0 = none)
#   BENCH_KEEP=1     keep the temporary directory (database, server log) for inspection
#   BENCH_ANALYZE=1  what-if: refresh the planner statistics after seeding (SQLite: ANALYZE;
#                    PostgreSQL: VACUUM ANALYZE) on top of whatever husly does itself; the results
#                    file is then named <backend>-analyzed-<date>.txt
#   BENCH_TAG        appended to the results file name (e.g. the commit), so runs do not overwrite
#   BENCH_RESULTS_DIR  where the results file goes (default bench/results)
#   BENCH_SOURCE     free text recorded with a HUSLY_BIN binary, e.g. the commit it was built from
#   RUST_LOG         passed to the server (default: the server's own default, info for husly)
#   BENCH_CONFIG     a husly.toml for the server (e.g. session_cache_ms = 0 to compare)
#   BENCH_ENDPOINTS  the endpoints to run, e.g. "household search" (default: all; healthz always)
#   BENCH_PERF=1     also sample the server with `perf record -g` during each measured run and
#                    append the top functions (self time) to the results file
#   BENCH_PG_WAITS=1 (PostgreSQL) during each measured run, sample what the database's processes
#                    wait on (pg_stat_activity every 20 ms) and count the buffers, WAL and
#                    checkpoints of the run (pg_stat_bgwriter, pg_stat_wal, pg_stat_database);
#                    appended to the results file
#
# Results: a summary on standard output, and the same plus wrk's raw output in
# bench/results/<backend>-<yyyy-mm-dd>.txt.
set -euo pipefail

usage() {
    echo "usage: $0 sqlite|postgres [households=100000] [duration=20s]" >&2
    exit 2
}

BACKEND=${1:-}
HOUSEHOLDS=${2:-100000}
DURATION=${3:-20s}
case "$BACKEND" in sqlite | postgres) ;; *) usage ;; esac
[[ "$HOUSEHOLDS" =~ ^[0-9]+$ && "$HOUSEHOLDS" -gt 0 ]] || usage
[[ "$DURATION" =~ ^[0-9]+[smh]?$ ]] || usage

CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-3s}
SAMPLE_IDS=${BENCH_IDS:-2000}
SAMPLE_CASE_IDS=${BENCH_CASE_IDS:-2000}
# The issue's target is 50 000 cases; the default share gives at least that many on average.
CASE_TARGET=50000
CASE_PERCENT=${BENCH_CASE_PERCENT:-$(((CASE_TARGET * 100 + HOUSEHOLDS - 1) / HOUSEHOLDS))}
if [[ ! "$CASE_PERCENT" =~ ^[0-9]+$ ]]; then
    echo "BENCH_CASE_PERCENT must be a whole number 0..100" >&2
    exit 2
fi
CASE_PERCENT=$((10#$CASE_PERCENT))
if ((CASE_PERCENT > 100)); then CASE_PERCENT=100; fi
SERIAL=${BENCH_SERIAL:-5s}
PG_SERVER=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
PG_SERVER=${PG_SERVER%/}
PG_DB=husly_bench

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
DATE=$(date +%Y-%m-%d)
ANALYZE=${BENCH_ANALYZE:-0}
SUFFIX=""
if [[ $ANALYZE == 1 ]]; then SUFFIX=-analyzed; fi
RESULT_FILE="$RESULTS_DIR/$BACKEND$SUFFIX-$DATE${BENCH_TAG:+-$BENCH_TAG}.txt"

# log, die and the wait for the start-up jobs; the rest of this script predates bench/lib.sh.
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

for tool in wrk curl; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y $tool)"
done
if [[ $BACKEND == sqlite ]]; then
    command -v python3 >/dev/null || die "python3 is needed to read household and case ids from SQLite"
else
    command -v psql >/dev/null || die "psql is needed for the PostgreSQL backend"
    # Never point a load test (or DROP DATABASE) at anything but this machine.
    [[ $PG_SERVER =~ ^postgres(ql)?://[^@/]*@?(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?$ ]] ||
        die "BENCH_PG_URL must be a loopback server URL without a database, e.g. postgres://postgres@127.0.0.1:5432"
fi

# --- binary -----------------------------------------------------------------------------------
if [[ -n ${HUSLY_BIN:-} ]]; then
    BIN=$HUSLY_BIN
else
    log "building release binary (cargo build --release -p husly)"
    (cd "$ROOT" && cargo build --release -p husly --quiet)
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/husly"
fi
[[ -x $BIN ]] || die "no executable at $BIN"

# --- scratch space and cleanup ----------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/husly-bench.XXXXXX")
SERVER_PID=""
RAW="$WORK/raw.txt" # everything that goes into the results file besides the summary
: >"$RAW"

cleanup() {
    local status=$?
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ $status -ne 0 && -s $WORK/serve.log ]]; then
        log "last lines of the server log:"
        tail -n 8 "$WORK/serve.log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true
    fi
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export HUSLY_DATA_DIR="$WORK/data"
mkdir -p "$HUSLY_DATA_DIR"
export HUSLY_LANG=en

# --- fresh database ---------------------------------------------------------------------------
if [[ $BACKEND == sqlite ]]; then
    DB_FILE="$WORK/husly.db"
    export HUSLY_DATABASE_URL="sqlite://$DB_FILE?mode=rwc"
    sql() { python3 - "$DB_FILE" "$1" <<'PY'
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30)
if os.path.exists(sys.argv[1] + "-access"):  # the access log's file (schema 43 on)
    con.execute("ATTACH DATABASE ? AS access", (sys.argv[1] + "-access",))
for row in con.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
PY
    }
else
    export HUSLY_DATABASE_URL="$PG_SERVER/$PG_DB"
    log "recreating database $PG_DB on $PG_SERVER"
    psql "$PG_SERVER/postgres" -v ON_ERROR_STOP=1 -qAt \
        -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" >/dev/null
    sql() { psql "$HUSLY_DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -c "$1"; }
fi

# --- seed -------------------------------------------------------------------------------------
log "seeding $HOUSEHOLDS households, $CASE_PERCENT % of them with a case ($BACKEND)"
seed_start=$(date +%s.%N)
# With BENCH_CASE_PERCENT=0 the option is left out, so binaries from before cases still work.
SEED_ARGS=(--households "$HOUSEHOLDS" --seed 1)
if ((CASE_PERCENT > 0)); then SEED_ARGS+=(--case-percent "$CASE_PERCENT"); fi
"$BIN" seed "${SEED_ARGS[@]}" >"$WORK/seed.out" 2>"$WORK/seed.log" ||
    { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
seed_end=$(date +%s.%N)
SEED_S=$(awk -v a="$seed_start" -v b="$seed_end" 'BEGIN { printf "%.1f", b - a }')
PEOPLE=$(sql "SELECT COUNT(*) FROM person")
HH_COUNT=$(sql "SELECT COUNT(*) FROM household")
CASES=0
OPEN_CASES=0
if ((CASE_PERCENT > 0)); then
    CASES=$(sql "SELECT COUNT(*) FROM application_case")
    # "open" as the work queue's filter=open counts it (crates/store/src/cases.rs, queue).
    OPEN_CASES=$(sql "SELECT COUNT(*) FROM application_case WHERE state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body')")
fi
log "seeded in ${SEED_S} s: $HH_COUNT households, $PEOPLE people, $CASES cases ($OPEN_CASES open)"
if ((CASE_PERCENT > 0 && CASES < CASE_TARGET)); then
    log "WARNING: only $CASES cases, fewer than $CASE_TARGET (raise BENCH_CASE_PERCENT)"
fi
if ((CASE_PERCENT > 0)); then
    ENDPOINTS=(healthz household search address case queue queue_newest)
else
    ENDPOINTS=(healthz household search address)
fi
if [[ -n ${BENCH_ENDPOINTS:-} ]]; then
    # healthz always runs first: the ratios are to it.
    read -r -a chosen <<<"$BENCH_ENDPOINTS"
    ENDPOINTS=(healthz)
    for name in "${chosen[@]}"; do
        [[ -f $BENCH_DIR/$name.lua ]] || die "BENCH_ENDPOINTS: no bench/$name.lua"
        [[ $name == healthz ]] || ENDPOINTS+=("$name")
    done
fi
# The endpoints that are pages (login, audit, the targets).
PAGES=("${ENDPOINTS[@]:1}")

file_size() { if [[ -e $1 ]]; then stat -c %s "$1"; else echo 0; fi; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
db_size_bytes() {
    if [[ $BACKEND == sqlite ]]; then
        echo $(($(file_size "$DB_FILE") + $(file_size "$DB_FILE-wal")))
    else
        sql "SELECT pg_database_size('$PG_DB')"
    fi
}
if [[ $BACKEND == sqlite ]]; then
    DB_DETAIL="main $(mib "$(file_size "$DB_FILE")") MiB + wal $(mib "$(file_size "$DB_FILE-wal")") MiB"
else
    DB_DETAIL="pg_database_size('$PG_DB')"
fi
DB_BYTES=$(db_size_bytes)
DB_MIB=$(mib "$DB_BYTES")
log "database size after seeding: $DB_MIB MiB ($DB_DETAIL)"

# --- a caseworker, and household ids to visit -------------------------------------------------
EMAIL="bench-caseworker@bench.invalid"
PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | "$BIN" user add --municipality 9999 --email "$EMAIL" --role caseworker \
    --name "Bench caseworker" --password-stdin >"$WORK/user.out" 2>>"$WORK/cli.log" ||
    { cat "$WORK/cli.log" >&2; die "husly user add failed"; }

IDS_FILE="$WORK/household_ids.txt"
sql "SELECT id FROM household WHERE municipality_id = (SELECT id FROM municipality WHERE number = '9999') \
     ORDER BY random() LIMIT $SAMPLE_IDS" >"$IDS_FILE"
[[ -s $IDS_FILE ]] || die "no household ids found"
log "sampled $(wc -l <"$IDS_FILE") household ids"
CASE_IDS_FILE="$WORK/case_ids.txt"
: >"$CASE_IDS_FILE"
if ((CASE_PERCENT > 0)); then
    sql "SELECT id FROM application_case WHERE municipality_id = (SELECT id FROM municipality WHERE number = '9999') \
         ORDER BY random() LIMIT $SAMPLE_CASE_IDS" >"$CASE_IDS_FILE"
    [[ -s $CASE_IDS_FILE ]] || die "no case ids found"
    log "sampled $(wc -l <"$CASE_IDS_FILE") case ids"
fi

# --- server -----------------------------------------------------------------------------------
log "starting husly serve"
"$BIN" ${BENCH_CONFIG:+--config "$BENCH_CONFIG"} serve --addr 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
BASE=""
for _ in $(seq 300); do
    if [[ -s $WORK/serve.out ]]; then
        BASE=$(sed -n '1s|^husly listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$WORK/serve.out")
        [[ -n $BASE ]] && break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited during start-up"
    sleep 0.1
done
[[ -n $BASE ]] || die "server did not report its address within 30 s"
log "server $SERVER_PID at $BASE"

# --- log in the way a browser does ------------------------------------------------------------
login_page=$(curl -sS -D "$WORK/login.headers" "$BASE/login")
CSRF=$(printf '%s' "$login_page" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
CSRF_COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_csrf=\([^;]*\).*/\1/p' "$WORK/login.headers" | head -n1 | tr -d '\r')
[[ -n $CSRF && -n $CSRF_COOKIE ]] || die "no CSRF token on GET /login"
status=$(curl -sS -o /dev/null -D "$WORK/session.headers" -w '%{http_code}' \
    -b "husly_csrf=$CSRF_COOKIE" \
    --data-urlencode "csrf=$CSRF" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    "$BASE/login")
[[ $status == 303 ]] || die "login answered $status, expected 303"
SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_session=\([^;]*\).*/\1/p' "$WORK/session.headers" | head -n1 | tr -d '\r')
[[ -n $SESSION ]] || die "login did not set husly_session"
log "logged in as $EMAIL"

# Sanity: every page answers 200 for this session before any load is put on them.
first_id=$(head -n1 "$IDS_FILE")
SANITY_PATHS=("/households/$first_id" "/search?q=kari%20blom")
if ((CASE_PERCENT > 0)); then SANITY_PATHS+=("/cases/$(head -n1 "$CASE_IDS_FILE")" "/cases?filter=open&page=1"); fi
for path in "${SANITY_PATHS[@]}"; do
    code=$(curl -sS -o "$WORK/page.html" -w '%{http_code}' -b "husly_session=$SESSION" "$BASE$path")
    [[ $code == 200 ]] || die "GET $path answered $code, expected 200"
    log "GET $path: 200, $(wc -c <"$WORK/page.html") bytes"
done

if [[ $ANALYZE == 1 ]]; then
    log "BENCH_ANALYZE=1: refreshing planner statistics"
    if [[ $BACKEND == sqlite ]]; then sql "ANALYZE" >/dev/null; else sql "VACUUM ANALYZE" >/dev/null; fi
fi

# Whether the query planner has statistics (from husly's own ANALYZE after seeding, if it runs
# one, or from PostgreSQL's autovacuum on its own schedule) — plans, and so these results,
# depend on it.
if [[ $BACKEND == sqlite ]]; then
    PLANNER_STATS="sqlite_stat1 $( [[ $(sql "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'") == 1 ]] && echo present || echo absent)"
else
    PLANNER_STATS="autovacuum=$(sql "SHOW autovacuum"); analyzed at start of runs: $(sql "SELECT string_agg(relname || '=' || CASE WHEN COALESCE(last_analyze, last_autoanalyze) IS NULL THEN 'never' ELSE 'yes' END, ' ' ORDER BY relname) FROM pg_stat_user_tables WHERE relname IN ('person', 'person_name_token', 'household', 'household_member', 'case_event', 'application_case')")"
fi
PLANNER_STATS="$PLANNER_STATS; $([[ $ANALYZE == 1 ]] && echo "statistics refreshed by the benchmark (BENCH_ANALYZE=1), NOT by husly" || echo "as left by husly (the benchmark ran no ANALYZE)")"
log "planner statistics: $PLANNER_STATS"

# --- helpers for the runs ---------------------------------------------------------------------
proc_field() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER_PID/status"; }
# utime + stime of the server in clock ticks.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
# Busy (non-idle, non-iowait) clock ticks of the whole machine, all CPUs.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
TICKS=$(getconf CLK_TCK)
# Entries of both logs (changes and accesses; a binary before schema 43 has the first only).
audit_count() {
    sql "SELECT (SELECT COUNT(*) FROM audit_entry) + (SELECT COUNT(*) FROM access_entry)" 2>/dev/null ||
        sql "SELECT COUNT(*) FROM audit_entry"
}

# BENCH_PG_WAITS: the server-wide counters whose change over a run says where PostgreSQL's time
# went, as name=value pairs.
pg_counters() {
    sql "SELECT 'checkpoints=' || (checkpoints_timed + checkpoints_req) || ' buffers_checkpoint=' || buffers_checkpoint
            || ' buffers_clean=' || buffers_clean || ' buffers_backend=' || buffers_backend
            || ' buffers_backend_fsync=' || buffers_backend_fsync FROM pg_stat_bgwriter" |
        tr '\n' ' '
    sql "SELECT 'wal_records=' || wal_records || ' wal_fpi=' || wal_fpi || ' wal_bytes=' || wal_bytes
            || ' wal_write=' || wal_write || ' wal_sync=' || wal_sync FROM pg_stat_wal" | tr '\n' ' '
    sql "SELECT 'blks_hit=' || blks_hit || ' blks_read=' || blks_read || ' xact_commit=' || xact_commit
            || ' temp_bytes=' || temp_bytes FROM pg_stat_database WHERE datname = current_database()"
}
# pg_counter_deltas BEFORE AFTER: each counter's change.
pg_counter_deltas() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, "="); before[kv[1]] = kv[2] }
        n = split(b, y, " "); for (i = 1; i <= n; i++) { split(y[i], kv, "="); printf "%s%s=%d", sep, kv[1], kv[2] - before[kv[1]]; sep = " " }
        print "" }'
}
# pg_wait_sampler SECONDS: what each of the database's active processes waits on, sampled every
# 20 ms for SECONDS, as "share of samples  process  wait" lines (CPU = not waiting).
pg_wait_sampler() {
    psql "$HUSLY_DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -F ' ' <<SQL
CREATE TEMP TABLE wait_sample (process text, wait text);
DO \$\$
DECLARE stop timestamptz := clock_timestamp() + interval '$1 seconds';
BEGIN
    WHILE clock_timestamp() < stop LOOP
        PERFORM pg_stat_clear_snapshot();
        INSERT INTO wait_sample
            SELECT backend_type, COALESCE(wait_event_type || ':' || wait_event, 'CPU')
            FROM pg_stat_activity
            WHERE pid <> pg_backend_pid()
              AND (backend_type <> 'client backend' OR (datname = current_database() AND state = 'active'));
        PERFORM pg_sleep(0.02);
    END LOOP;
END \$\$;
SELECT to_char(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), '990.0') || ' %', process, wait
FROM wait_sample WHERE process = 'client backend' OR wait NOT IN ('Activity:CheckpointerMain',
    'Activity:BgWriterHibernate', 'Activity:BgWriterMain', 'Activity:WalWriterMain',
    'Activity:AutoVacuumMain', 'Activity:LogicalLauncherMain', 'Activity:ArchiverMain')
GROUP BY process, wait ORDER BY COUNT(*) DESC LIMIT 25;
SQL
}

declare -A RPS P50 P99 P90 MAXL REQS ERRS CPU_MS AUDITED CPU_SPLIT HWM STATUSES
# Response statuses the server logged (one "request" line per request at the default log level).
log_size() { stat -c %s "$WORK/serve.log"; }
statuses_since() {
    tail -c +$(($1 + 1)) "$WORK/serve.log" | LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' | LC_ALL=C grep -ao ' request status=[0-9]*' |
        sed 's/.*=//' | sort | uniq -c | awk '{ printf "%s%s:%s", sep, $2, $1; sep = "," }'
}

run_wrk() {
    local name=$1 script=$2 url=$3 duration=$4 conns=$5 threads=$6
    BENCH_DIR="$BENCH_DIR" BENCH_NAME="$name" BENCH_SESSION="$SESSION" BENCH_IDS_FILE="$IDS_FILE" \
        BENCH_CASE_IDS_FILE="$CASE_IDS_FILE" \
        timeout --kill-after=10s $(($(duration_s "$duration") + 60)) \
        wrk -t"$threads" -c"$conns" -d"$duration" --timeout 30s --latency -s "$BENCH_DIR/$script" "$url"
}
duration_s() {
    local d=$1
    case "$d" in
    *h) echo $((${d%h} * 3600)) ;; *m) echo $((${d%m} * 60)) ;; *s) echo "${d%s}" ;; *) echo "$d" ;;
    esac
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
# wrk abandons requests still in flight when its time is up, but the server finishes them; wait
# until the server is idle (under 5% of a core for half a second, at most 120 s) before going on.
wait_idle() {
    local before after
    for _ in $(seq 240); do
        before=$(server_ticks)
        sleep 0.5
        after=$(server_ticks)
        if awk -v d=$((after - before)) -v hz="$TICKS" 'BEGIN { exit !(d / hz < 0.025) }'; then return 0; fi
    done
    log "server still busy after 120 s"
}

# The server's start-up runs the day's jobs (on a fresh seed, ten years of indicator snapshots
# among them). The runs wait for the last of them (outreach_lists, crates/husly/src/commands/
# scheduler.rs) to log its end: on PostgreSQL the jobs' work is in the database, so an idle
# server does not mean they are done. Their peak memory is reported on its own; the peak under
# load is counted from here (writing 5 to clear_refs resets VmHWM).
bench_wait_for_startup_jobs
wait_idle
STARTUP_RSS_KB=$(proc_field VmHWM)
if echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null; then
    HWM_FROM="under load (VmHWM reset after start-up)"
else
    HWM_FROM="since start (VmHWM could not be reset)"
fi

for name in "${ENDPOINTS[@]}"; do
    script="$name.lua"
    if [[ $WARMUP != 0 ]]; then
        log "$name: warm-up $WARMUP"
        run_wrk "$name-warmup" "$script" "$BASE" "$WARMUP" 8 1 >/dev/null ||
            die "wrk warm-up for $name failed"
    fi
    wait_idle
    audit_before=$(audit_count)
    log_before=$(log_size)
    ticks_before=$(server_ticks)
    machine_before=$(machine_ticks)
    wall_before=$(date +%s.%N)
    log "$name: wrk -t$THREADS -c$CONNS -d$DURATION"
    perf_pid=""
    waits_pid=""
    if [[ $BACKEND == postgres && ${BENCH_PG_WAITS:-0} == 1 ]]; then
        counters_before=$(pg_counters)
        pg_wait_sampler "$(duration_s "$DURATION")" >"$WORK/pgwaits-$name.txt" 2>&1 &
        waits_pid=$!
    fi
    if [[ ${BENCH_PERF:-0} == 1 ]]; then
        perf record -F 499 -g -p "$SERVER_PID" -o "$WORK/perf-$name.data" >/dev/null 2>&1 &
        perf_pid=$!
    fi
    # wrk's own CPU time comes from bash's `time` (user and system seconds of the child).
    out=$( { TIMEFORMAT='WRKCPU %U %S'; time run_wrk "$name" "$script" "$BASE" "$DURATION" "$CONNS" "$THREADS"; } 2>&1) ||
        die "wrk for $name failed: $out"
    if [[ -n $perf_pid ]]; then
        kill -INT "$perf_pid" 2>/dev/null || true
        wait "$perf_pid" 2>/dev/null || true
        {
            echo "### perf $name: husly's functions by self time (perf record -F 499 -g -p PID, perf report --no-children)"
            perf report -i "$WORK/perf-$name.data" --stdio --no-children -g none --percent-limit 0.7 \
                --sort dso,symbol 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 40 | cut -c1-160
            echo
        } >>"$WORK/perf.txt"
    fi
    if [[ -n $waits_pid ]]; then
        wait "$waits_pid" || true
        {
            echo "### PostgreSQL during $name: what its processes waited on (share of 20 ms samples; CPU = not waiting)"
            cat "$WORK/pgwaits-$name.txt"
            echo "counters over the run: $(pg_counter_deltas "$counters_before" "$(pg_counters)")"
            echo
        } >>"$WORK/perf.txt"
    fi
    ticks_after=$(server_ticks)
    machine_after=$(machine_ticks)
    wall_after=$(date +%s.%N)
    wrk_cpu_s=$(awk '$1 == "WRKCPU" { print $2 + $3 }' <<<"$out")
    out=$(grep -v '^WRKCPU ' <<<"$out")
    audit_after=$(audit_count)
    STATUSES[$name]=$(statuses_since "$log_before")
    {
        echo "### wrk $name: wrk -t$THREADS -c$CONNS -d$DURATION --timeout 30s --latency -s bench/$script $BASE"
        echo "$out"
        echo "server-logged statuses during the run (status:count): ${STATUSES[$name]:-none logged}"
        echo
    } >>"$RAW"
    line=$(grep '^BENCH ' <<<"$out" | tail -n1)
    [[ -n $line ]] || die "no BENCH line from wrk for $name"
    RPS[$name]=$(field rps "$line")
    P50[$name]=$(field p50_ms "$line")
    P90[$name]=$(field p90_ms "$line")
    P99[$name]=$(field p99_ms "$line")
    MAXL[$name]=$(field max_ms "$line")
    REQS[$name]=$(field requests "$line")
    ERRS[$name]=$(($(field errors_connect "$line") + $(field errors_read "$line") + $(field errors_write "$line") +
        $(field errors_status "$line") + $(field errors_timeout "$line")))
    CPU_MS[$name]=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$TICKS" -v n="${REQS[$name]}" \
        'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }')
    AUDITED[$name]=$((audit_after - audit_before))
    HWM[$name]=$(awk -v k="$(proc_field VmHWM)" 'BEGIN { printf "%.0f", k * 1024 / 1e6 }')
    # Where the machine's CPU went during the run, in cores: husly / wrk / everything else
    # (other processes on the machine, PostgreSQL's backends, the kernel's network work for them).
    CPU_SPLIT[$name]=$(awk -v s=$((ticks_after - ticks_before)) -v m=$((machine_after - machine_before)) \
        -v w="$wrk_cpu_s" -v hz="$TICKS" -v d="$(awk -v a="$wall_before" -v b="$wall_after" 'BEGIN { print b - a }')" \
        'BEGIN { o = (m - s) / hz / d - w / d; printf "%.2f/%.2f/%.2f", s / hz / d, w / d, (o < 0 ? 0 : o) }')
    log "$name: ${RPS[$name]} req/s, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms, errors ${ERRS[$name]}, audited ${AUDITED[$name]}, statuses ${STATUSES[$name]:-?}"
done

declare -A S_RPS S_P50 S_P99
if [[ $SERIAL != 0 ]]; then
    for name in "${ENDPOINTS[@]}"; do
        wait_idle
        log "$name: single connection, wrk -t1 -c1 -d$SERIAL"
        out=$(run_wrk "$name-1conn" "$name.lua" "$BASE" "$SERIAL" 1 1) || die "wrk for $name (1 connection) failed"
        {
            echo "### wrk $name, one connection: wrk -t1 -c1 -d$SERIAL --timeout 30s --latency -s bench/$name.lua $BASE"
            echo "$out"
            echo
        } >>"$RAW"
        line=$(grep '^BENCH ' <<<"$out" | tail -n1)
        S_RPS[$name]=$(field rps "$line")
        S_P50[$name]=$(field p50_ms "$line")
        S_P99[$name]=$(field p99_ms "$line")
    done
fi

PEAK_RSS_KB=$(proc_field VmHWM)
RSS_KB=$(proc_field VmRSS)
# Of the resident memory at the end: the server's own (anonymous) and file pages mapped into it.
RSS_ANON_KB=$(proc_field RssAnon)
RSS_FILE_KB=$(proc_field RssFile)
DB_AFTER_MIB=$(mib "$(db_size_bytes)")

# --- summary ----------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
verdict() { if awk -v v="$1" -v l="$2" -v op="$3" 'BEGIN { exit !(op == "lt" ? v < l : v >= l) }'; then echo met; else echo MISSED; fi; }
PEAK_MB=$(awk -v k="$PEAK_RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
PEAK_MB_SI=$(awk -v k="$PEAK_RSS_KB" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
GIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(cd "$ROOT" && [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]] && echo "+local changes" || true)

summary() {
    echo "husly load test — backend $BACKEND, $(date -u '+%Y-%m-%d %H:%M UTC')"
    if [[ -n ${HUSLY_BIN:-} ]]; then
        echo "binary $BIN (given as HUSLY_BIN${BENCH_SOURCE:+; source: $BENCH_SOURCE}); working tree at $GIT$DIRTY"
    else
        echo "binary built by this script from the working tree at commit $GIT$DIRTY"
    fi
    echo "machine: $(nproc) CPUs ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); wrk and husly share these CPUs"
    if [[ $BACKEND == postgres ]]; then echo "postgres: $(sql 'SHOW server_version') on $PG_SERVER (same machine)"; fi
    echo "wrk: -t$THREADS -c$CONNS -d$DURATION --latency (after a $WARMUP warm-up with 8 connections); ids sampled: $(wc -l <"$IDS_FILE") households, $(wc -l <"$CASE_IDS_FILE") cases"
    echo
    echo "seed:       $HOUSEHOLDS households, $PEOPLE people in ${SEED_S} s ($(awk -v n="$HOUSEHOLDS" -v s="$SEED_S" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') households/s)"
    echo "cases:      $CASES application cases ($OPEN_CASES open), husly seed --case-percent $CASE_PERCENT"
    echo "db size:    $DB_MIB MiB after seeding ($DB_DETAIL); $DB_AFTER_MIB MiB after the runs"
    echo "planner:    $PLANNER_STATS"
    echo "server RSS: peak $HWM_FROM $PEAK_MB MiB = $PEAK_MB_SI MB; at end (VmRSS) $(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }') MiB (anonymous $(awk -v k="$RSS_ANON_KB" 'BEGIN { printf "%.1f", k / 1024 }') MiB, file pages $(awk -v k="$RSS_FILE_KB" 'BEGIN { printf "%.1f", k / 1024 }') MiB); start-up with its daily jobs $(awk -v k="$STARTUP_RSS_KB" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }') MB"
    echo
    printf '%-10s %10s %9s %9s %9s %9s %6s %7s %8s %10s %15s %8s\n' endpoint 'req/s' 'p50 ms' 'p90 ms' 'p99 ms' 'max ms' ratio errors audited 'cpu ms/req' 'cores h/w/other' 'peak MB'
    for name in "${ENDPOINTS[@]}"; do
        printf '%-10s %10s %9s %9s %9s %9s %6s %7s %8s %10s %15s %8s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P90[$name]}" \
            "${P99[$name]}" "${MAXL[$name]}" "$(ratio "${RPS[$name]}" "${RPS[healthz]}")" "${ERRS[$name]}" \
            "$([[ $name == healthz ]] && echo - || echo "${AUDITED[$name]}")" "${CPU_MS[$name]}" "${CPU_SPLIT[$name]}" "${HWM[$name]}"
    done
    echo "(ratio = req/s ÷ healthz req/s; errors = socket errors + responses >= 400; audited = audit"
    echo " entries written during the run, should be >= the page requests; cpu ms/req = husly's user+system"
    echo " CPU time per request; cores h/w/other = CPU cores busy on average with husly / wrk / anything"
    echo " else, e.g. PostgreSQL or other jobs on the machine — 'other' well above 0 on SQLite means the"
    echo " run was disturbed; peak MB = the server's VmHWM after that run, counted from after start-up)"
    if [[ $SERIAL != 0 ]]; then
        echo
        echo "one connection (-t1 -c1 -d$SERIAL), the latency without queueing:"
        printf '%-10s %10s %9s %9s\n' endpoint 'req/s' 'p50 ms' 'p99 ms'
        for name in "${ENDPOINTS[@]}"; do
            printf '%-10s %10s %9s %9s\n' "$name" "${S_RPS[$name]}" "${S_P50[$name]}" "${S_P99[$name]}"
        done
    fi
    echo
    echo "targets:"
    for name in "${PAGES[@]}"; do
        echo "  $name p99 < 20 ms: ${P99[$name]} ms — $(verdict "${P99[$name]}" 20 lt)"
        echo "  $name req/s ÷ healthz req/s ≥ 0.1: $(ratio "${RPS[$name]}" "${RPS[healthz]}") — $(verdict "$(ratio "${RPS[$name]}" "${RPS[healthz]}")" 0.1 ge)"
    done
    if [[ $BACKEND == sqlite ]]; then
        echo "  peak RSS under load < 150 MB (SQLite): $PEAK_MB_SI MB — $(verdict "$PEAK_MB_SI" 150 lt)"
    else
        echo "  peak RSS (no target on PostgreSQL): $PEAK_MB_SI MB"
    fi
    if ((CASE_PERCENT > 0)); then
        echo "  cases ≥ $CASE_TARGET: $CASES — $(verdict "$CASES" "$CASE_TARGET" ge)"
    fi
    for name in "${PAGES[@]}"; do
        if [[ ${AUDITED[$name]} -lt ${REQS[$name]} ]]; then
            echo "  WARNING: $name: ${REQS[$name]} requests but only ${AUDITED[$name]} audit entries (some requests were not served as pages); server statuses: ${STATUSES[$name]:-none logged}"
        fi
    done
}

mkdir -p "$RESULTS_DIR"
{
    summary
    echo
    echo "=== husly seed output"
    cat "$WORK/seed.out"
    echo
    cat "$RAW"
    if [[ -s $WORK/perf.txt ]]; then cat "$WORK/perf.txt"; fi
} >"$RESULT_FILE"
echo
summary
echo
log "results written to ${RESULT_FILE#"$ROOT"/}"
