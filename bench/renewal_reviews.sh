#!/usr/bin/env bash
# The daily renewal-review pass over many tenancies (issue 16): seeds a fresh database (SQLite, or
# PostgreSQL as in bench/lib.sh) with HOUSEHOLDS households, every one renting (`--tenant-percent 100`, so as many tenancies; those
# from 2022 on are five-year fixed terms), starts `husly serve` and times the scheduler's
# `renewal_reviews` run from its job record (claimed → finished): the first pass opens a review
# case for every contract ending within the lead time (six months); a second server started with
# the clock on the next day times the daily pass that finds almost everything reviewed already.
#
# The time of each of the day's other jobs (the whole daily pass) is recorded too.
#
#   bench/renewal_reviews.sh [sqlite|postgres] [households=100000]
#
# Environment: HUSLY_BIN (use this binary instead of building the release one), BENCH_KEEP=1
# (keep the temporary directory), BENCH_RESULTS_DIR (default bench/results), BENCH_PG_URL (the
# PostgreSQL server; its database husly_bench is DROPPED and recreated).
set -euo pipefail

BACKEND=sqlite
if [[ ${1:-} == sqlite || ${1:-} == postgres ]]; then BACKEND=$1; shift; fi
HOUSEHOLDS=${1:-100000}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
RESULT_FILE="$RESULTS_DIR/renewal-reviews-$BACKEND-$(date +%Y-%m-%d).txt"
command -v python3 >/dev/null || die "python3 is not installed"
UPTIME_START=$(bench_uptime)

bench_binary
bench_workdir rr
bench_database "$BACKEND"

log "seeding $HOUSEHOLDS households, every one a tenant ($BACKEND); load: $UPTIME_START"
start=$(date +%s)
"$BIN" seed --households "$HOUSEHOLDS" --tenant-percent 100 >"$WORK/seed.out" 2>"$WORK/seed.log" ||
    { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
SEED_S=$(($(date +%s) - start))
TENANCIES=$(sql "SELECT COUNT(*) FROM tenancy")
FIXED=$(sql "SELECT COUNT(*) FROM tenancy WHERE term = 'fixed' AND ended_on IS NULL")
log "seeded in ${SEED_S} s: $TENANCIES tenancies, $FIXED open fixed-term contracts"

# Starts a server (with `--clock` when given) and waits until the day's renewal-review run has
# finished; prints "seconds opened".
run_pass() {
    local day=$1; shift
    bench_serve "$@"
    for _ in $(seq 6000); do
        done_row=$(sql "SELECT claimed_at, finished_at, outcome FROM job_run WHERE job = 'renewal_reviews' AND run_on = '$day' AND finished_at IS NOT NULL" 2>/dev/null || true)
        [[ -n $done_row ]] && break
        sleep 0.2
    done
    [[ -n $done_row ]] || die "the renewal-review run of $day did not finish"
    IFS='|' read -r claimed finished outcome <<<"$done_row"
    [[ $outcome == done ]] || die "the run of $day: $outcome"
    bench_stop_server
    python3 -c "print(f'{($finished - $claimed) / 1e6:.2f}')"
}
# Every daily job of the day with its time (claimed → finished) and outcome.
jobs_of() {
    sql "SELECT job, claimed_at, finished_at, outcome FROM job_run WHERE run_on = '$1' ORDER BY claimed_at" |
        awk -F'|' '{ printf "%s%s %.2f s (%s)", sep, $1, ($3 - $2) / 1e6, $4; sep = ", " }'
}

TODAY=$(TZ=Europe/Oslo date +%F)
TOMORROW=$(TZ=Europe/Oslo date -d tomorrow +%F)
FIRST_S=$(run_pass "$TODAY")
OPENED=$(sql "SELECT COUNT(*) FROM application_case WHERE case_type = 'tenancy_renewal'")
FIRST_JOBS=$(jobs_of "$TODAY")
log "first pass: $FIRST_S s, $OPENED reviews opened; the day's jobs: $FIRST_JOBS"
SECOND_S=$(run_pass "$TOMORROW" --clock "${TOMORROW}T06:00:00+01:00")
OPENED_2=$(sql "SELECT COUNT(*) FROM application_case WHERE case_type = 'tenancy_renewal'")
SECOND_JOBS=$(jobs_of "$TOMORROW")
log "next day's pass: $SECOND_S s, $((OPENED_2 - OPENED)) more opened; the day's jobs: $SECOND_JOBS"

mkdir -p "$RESULTS_DIR"
{
    echo "# $(date -u +%FT%TZ) $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD), $BACKEND"
    echo "# uptime at start: $UPTIME_START"
    echo "# $HOUSEHOLDS households seeded in ${SEED_S} s: $TENANCIES tenancies, $FIXED open fixed-term contracts"
    echo "renewal_reviews first pass: ${FIRST_S} s, ${OPENED} review cases opened"
    echo "renewal_reviews next day:   ${SECOND_S} s, $((OPENED_2 - OPENED)) more opened"
    echo "the day's jobs, first day:  $FIRST_JOBS"
    echo "the day's jobs, next day:   $SECOND_JOBS"
} | tee "$RESULT_FILE"
