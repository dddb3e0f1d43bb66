#!/usr/bin/env bash
# A/B of two husly binaries on one page, SQLite: each binary on its own copy of one seeded
# database (a newer binary migrates its copy first; the time is reported), in alternating rounds of 64
# clients (req/s, p99, the server's CPU per request, its peak resident memory) and one client (p50),
# so that the machine's drift falls on both alike.
#
#   bench/search_ab.sh BIN_A BIN_B SEEDED_DB [rounds=3] [duration=10s] [page=search]
#
# SEEDED_DB: a husly.db made by `husly seed --households N --seed 1` with HUSLY_DATABASE_URL
# pointing at it. page: a wrk script of bench/ that needs no path (search, address, healthz), or
# household or case (2 000 household or case ids sampled from the seed, as bench/load.sh does).
# Environment of bench/lib.sh: BENCH_KEEP=1 keeps the copies. BENCH_PERF=1: each loaded run is
# sampled with `perf record -g` and its top functions by self time are printed after the round's line;
# BENCH_PERF_CALL_GRAPH=dwarf records whole stacks instead of frame pointers (the allocator and
# SQLite keep none), and with BENCH_KEEP=1 the `perf-*.data` files stay for `perf report -g caller`.
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: $0 BIN_A BIN_B SEEDED_DB [rounds=3] [duration=10s] [page=search]" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

declare -A BINARY=([A]=$1 [B]=$2) PASSWORDS=()
SEEDED=$3
ROUNDS=${4:-3}
DURATION=${5:-10s}
PAGE=${6:-search}
EMAIL=ab-caseworker@bench.invalid
[[ -s $SEEDED ]] || die "no seeded database at $SEEDED"
[[ -f $BENCH_DIR/$PAGE.lua ]] || die "no wrk script bench/$PAGE.lua"

bench_workdir search-ab
bench_meters
declare -A PATHS=([$PAGE]="")
SCRIPTS[$PAGE]=$PAGE.lua
# sample TABLE FILE: 2 000 ids of the seed's table, one a line.
sample() {
    python3 - "$SEEDED" "$1" >"$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for (found,) in db.execute(f"SELECT id FROM {sys.argv[2]} ORDER BY random() LIMIT 2000"):
    print(found)
PY
    [[ -s $2 ]] || die "no ids in $1"
}
case $PAGE in
household) sample household "$WORK/household_ids.txt" && export BENCH_IDS_FILE="$WORK/household_ids.txt" ;;
case) sample application_case "$WORK/case_ids.txt" && export BENCH_CASE_IDS_FILE="$WORK/case_ids.txt" ;;
esac

# use_side A|B: that side's binary, data directory and copy of the database.
use_side() {
    BIN=${BINARY[$1]}
    export HUSLY_DATA_DIR="$WORK/$1/data" HUSLY_DATABASE_URL="sqlite://$WORK/$1/husly.db"
}

for side in A B; do
    mkdir -p "$WORK/$side/data"
    cp "$SEEDED" "$WORK/$side/husly.db"
    # The access log's file, where the seed has one (schema 43 on).
    if [[ -f "$SEEDED-access" ]]; then cp "$SEEDED-access" "$WORK/$side/husly.db-access"; fi
    # The day's jobs run (and are waited for) at each copy's first start, even on a database
    # that ran them today already.
    python3 -c 'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute("DELETE FROM job_run"); db.commit()' \
        "$WORK/$side/husly.db"
    use_side "$side"
    # A newer binary's migration first (at 1 000 000 households it outlasts the start-up wait).
    start=$(date +%s.%N)
    "$BIN" migrate >>"$WORK/cli.out" 2>>"$WORK/cli.log" || { cat "$WORK/cli.log" >&2; die "husly migrate failed"; }
    echo "$side migrated after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
    bench_user caseworker "$EMAIL" "A/B caseworker"
    PASSWORDS[$side]=$PASSWORD
done

for round in $(seq "$ROUNDS"); do
    for side in A B; do
        use_side "$side"
        bench_serve
        if ((round == 1)); then bench_wait_for_startup_jobs; fi
        wait_idle
        bench_login "$EMAIL" "${PASSWORDS[$side]}"
        # The peak memory under load is counted from here (writing 5 to clear_refs resets VmHWM
        # to the resident size now, which the start-up and its day's jobs left).
        echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || log "VmHWM could not be reset: peak since start"
        base=$(hwm_mib)
        run_wrk "$PAGE-warmup" 3s 8 1 >/dev/null || die "warm-up failed"
        wait_idle
        ticks=$(server_ticks)
        perf_pid=""
        if [[ ${BENCH_PERF:-0} == 1 ]]; then
            perf record -F 499 --call-graph "${BENCH_PERF_CALL_GRAPH:-fp}" -p "$SERVER_PID" -o "$WORK/perf-$side-$round.data" >/dev/null 2>&1 &
            perf_pid=$!
        fi
        loaded=$(run_wrk "$PAGE" "$DURATION" 64 2 | grep '^BENCH ') || die "wrk failed"
        if [[ -n $perf_pid ]]; then
            kill -INT "$perf_pid" 2>/dev/null || true
            wait "$perf_pid" 2>/dev/null || true
        fi
        wait_idle
        peak=$(hwm_mib)
        requests=$(field requests "$loaded")
        cpu=$(awk -v t=$(($(server_ticks) - ticks)) -v hz="$TICKS" -v n="$requests" \
            'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }')
        alone=$(run_wrk "$PAGE-1conn" 5s 1 1 | grep '^BENCH ') || die "wrk (one connection) failed"
        echo "round $round $side: rps=$(field rps "$loaded") p99=$(field p99_ms "$loaded")" \
            "cpu_ms/req=$cpu one-client-p50=$(field p50_ms "$alone") rss-MiB-before=$base peak-rss-MiB=$peak"
        if [[ -n $perf_pid ]]; then
            perf report -i "$WORK/perf-$side-$round.data" --stdio --no-children -g none --percent-limit 1.5 \
                2>/dev/null | grep '%' | grep -v '^#' | sed "s/^/  perf $side: /" | head -12
        fi
        bench_stop_server
    done
done
