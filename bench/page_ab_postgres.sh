#!/usr/bin/env bash
# A/B of two husly binaries on one page, PostgreSQL: BIN_A seeds husly_bench (DROPPED and
# recreated), husly_bench_b is made as a copy of it (CREATE DATABASE … TEMPLATE) for BIN_B, which
# migrates its copy first (the time is reported); then alternating rounds of 64 clients (req/s,
# p99, the whole machine's CPU per request: the database's processes do much of a page's work)
# and one client (p50), so that the machine's drift falls on both alike.
#
#   bench/page_ab_postgres.sh BIN_A BIN_B [households=100000] [rounds=3] [duration=10s] [page=household]
#
# page: household or case (2 000 ids sampled from the seed, as bench/load.sh does), or a wrk
# script of bench/ that needs no path (search, address, queue, healthz).
# BENCH_SEED=0 keeps the husly_bench there (seeded by an earlier run, at BIN_A's schema).
# Environment of bench/lib.sh: BENCH_PG_URL, BENCH_KEEP.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 BIN_A BIN_B [households=100000] [rounds=3] [duration=10s] [page=household]" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

declare -A BINARY=([A]=$1 [B]=$2) URL=()
HOUSEHOLDS=${3:-100000}
ROUNDS=${4:-3}
DURATION=${5:-10s}
PAGE=${6:-household}
EMAIL=ab-caseworker-$$@bench.invalid
[[ -f $BENCH_DIR/$PAGE.lua ]] || die "no wrk script bench/$PAGE.lua"

bench_workdir page-ab-postgres
if [[ ${BENCH_SEED:-1} == 1 ]]; then
    bench_database postgres
    BIN=${BINARY[A]}
    start=$(date +%s)
    "$BIN" migrate >>"$WORK/cli.out" 2>>"$WORK/cli.log" || { cat "$WORK/cli.log" >&2; die "husly migrate failed"; }
    "$BIN" seed --households "$HOUSEHOLDS" --seed 1 --case-percent 50 >"$WORK/seed.out" 2>"$WORK/seed.log" ||
        { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
    echo "seed: $HOUSEHOLDS households in $(($(date +%s) - start)) s"
else
    export HUSLY_DATABASE_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}/husly_bench"
    sql() { psql "$HUSLY_DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -c "$1"; }
    # A's start waits for the day's jobs: they run again (as on a fresh seed) only if forgotten.
    sql "DELETE FROM job_run" >/dev/null
fi
SERVER=${HUSLY_DATABASE_URL%/husly_bench}
URL[A]=$HUSLY_DATABASE_URL
URL[B]=$SERVER/husly_bench_b
BIN=${BINARY[A]}
bench_user caseworker "$EMAIL" "A/B caseworker"
# The day's jobs once, on A's database, before the copy: B's copy finds them done.
bench_serve
bench_wait_for_startup_jobs
bench_stop_server
sql "CHECKPOINT" >/dev/null
psql "$SERVER/postgres" -v ON_ERROR_STOP=1 -qAt -c "DROP DATABASE IF EXISTS husly_bench_b WITH (FORCE)" \
    -c "CREATE DATABASE husly_bench_b TEMPLATE husly_bench" >/dev/null
start=$(date +%s.%N)
HUSLY_DATABASE_URL=${URL[B]} "${BINARY[B]}" migrate >>"$WORK/cli.out" 2>>"$WORK/cli.log" ||
    { cat "$WORK/cli.log" >&2; die "husly migrate (B) failed"; }
echo "B migrated its copy after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

bench_meters
declare -A PATHS=([$PAGE]="")
SCRIPTS[$PAGE]=$PAGE.lua
case $PAGE in
household) sql "SELECT id FROM household ORDER BY random() LIMIT 2000" >"$WORK/ids.txt" && export BENCH_IDS_FILE="$WORK/ids.txt" ;;
case) sql "SELECT id FROM application_case ORDER BY random() LIMIT 2000" >"$WORK/ids.txt" && export BENCH_CASE_IDS_FILE="$WORK/ids.txt" ;;
esac
# The whole machine's busy ticks (user, nice, system, irq, softirq): husly, PostgreSQL and wrk.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

for round in $(seq "$ROUNDS"); do
    for side in A B; do
        BIN=${BINARY[$side]}
        export HUSLY_DATABASE_URL=${URL[$side]}
        bench_serve
        wait_idle
        bench_login "$EMAIL" "$PASSWORD"
        run_wrk "$PAGE-warmup" 3s 8 1 >/dev/null || die "warm-up failed"
        wait_idle
        ticks=$(machine_ticks)
        loaded=$(run_wrk "$PAGE" "$DURATION" 64 2 | grep '^BENCH ') || die "wrk failed"
        cpu=$(awk -v t=$(($(machine_ticks) - ticks)) -v hz="$TICKS" -v n="$(field requests "$loaded")" \
            'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }')
        wait_idle
        alone=$(run_wrk "$PAGE-1conn" 5s 1 1 | grep '^BENCH ') || die "wrk (one connection) failed"
        echo "round $round $side: rps=$(field rps "$loaded") p99=$(field p99_ms "$loaded")" \
            "machine-cpu_ms/req=$cpu one-client-p50=$(field p50_ms "$alone") errors_status=$(field errors_status "$loaded")"
        bench_stop_server
    done
done
