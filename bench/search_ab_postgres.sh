#!/usr/bin/env bash
# The name and address search at 1 000 000 households on PostgreSQL, before and after an
# upgrade: BIN_A seeds a fresh database (bench/lib.sh's husly_bench, DROPPED and recreated) and
# is measured, then BIN_B migrates the same database (the time is reported), starts on it and is
# measured: 64 clients, then one.
#
#   bench/search_ab_postgres.sh BIN_A BIN_B [households=1000000] [duration=10s]
#
# BENCH_SEED=0 keeps the husly_bench there (seeded by an earlier run, at BIN_A's schema).
# Environment of bench/lib.sh: BENCH_PG_URL, BENCH_KEEP.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 BIN_A BIN_B [households=1000000] [duration=10s]" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

declare -A BINARY=([A]=$1 [B]=$2)
HOUSEHOLDS=${3:-1000000}
DURATION=${4:-10s}
EMAIL=ab-caseworker-$$@bench.invalid

bench_workdir search-ab-postgres
if [[ ${BENCH_SEED:-1} == 1 ]]; then
    bench_database postgres
else
    export HUSLY_DATABASE_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}/husly_bench"
    sql() { psql "$HUSLY_DATABASE_URL" -v ON_ERROR_STOP=1 -qAt -c "$1"; }
    # A's start waits for the day's jobs: they run again (as on a fresh seed) only if forgotten.
    sql "DELETE FROM job_run" >/dev/null
fi
bench_meters
declare -A PATHS=([search]="" [address]="")
SCRIPTS[search]=search.lua
SCRIPTS[address]=address.lua

BIN=${BINARY[A]}
if [[ ${BENCH_SEED:-1} == 1 ]]; then
    start=$(date +%s)
    "$BIN" seed --households "$HOUSEHOLDS" --seed 1 --case-percent 20 >"$WORK/seed.out" 2>"$WORK/seed.log" ||
        { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
    echo "seed: $HOUSEHOLDS households in $(($(date +%s) - start)) s"
fi
bench_user caseworker "$EMAIL" "A/B caseworker"
sql "CHECKPOINT" >/dev/null

for side in A B; do
    BIN=${BINARY[$side]}
    start=$(date +%s.%N)
    "$BIN" migrate >>"$WORK/cli.out" 2>>"$WORK/migrate.log" || { cat "$WORK/migrate.log" >&2; die "husly migrate failed"; }
    echo "$side migrated after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
    start=$(date +%s.%N)
    bench_serve
    echo "$side listening after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
    # The day's jobs run once per database: on A's start, not again on B's.
    if [[ $side == A ]]; then bench_wait_for_startup_jobs; fi
    wait_idle
    bench_login "$EMAIL" "$PASSWORD"
    for page in search address; do
        run_wrk "$page-warmup" 3s 8 1 >/dev/null || die "warm-up of $page failed"
        wait_idle
        loaded=$(run_wrk "$page" "$DURATION" 64 2 | grep '^BENCH ') || die "wrk for $page failed"
        wait_idle
        alone=$(run_wrk "$page-1conn" 5s 1 1 | grep '^BENCH ') || die "wrk for $page (one connection) failed"
        echo "$side $page 64: rps=$(field rps "$loaded") p50_ms=$(field p50_ms "$loaded")" \
            "p99_ms=$(field p99_ms "$loaded") errors_status=$(field errors_status "$loaded")"
        echo "$side $page 1:  rps=$(field rps "$alone") p50_ms=$(field p50_ms "$alone") p99_ms=$(field p99_ms "$alone")"
    done
    bench_stop_server
done
