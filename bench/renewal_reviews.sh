#!/usr/bin/env bash
# The daily renewal-review pass over many tenancies (issue 16): seeds a fresh SQLite database with
# HOUSEHOLDS households, every one renting (`--tenant-percent 100`, so as many tenancies; those
# from 2022 on are five-year fixed terms), starts `husly serve` and times the scheduler's
# `renewal_reviews` run from its job record (claimed → finished): the first pass opens a review
# case for every contract ending within the lead time (six months); a second server started with
# the clock on the next day times the daily pass that finds almost everything reviewed already.
#
#   bench/renewal_reviews.sh [households=100000]
#
# Environment: HUSLY_BIN (use this binary instead of building the release one), BENCH_KEEP=1
# (keep the temporary directory), BENCH_RESULTS_DIR (default bench/results).
set -euo pipefail

HOUSEHOLDS=${1:-100000}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
RESULT_FILE="$RESULTS_DIR/renewal-reviews-sqlite-$(date +%Y-%m-%d).txt"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
command -v python3 >/dev/null || die "python3 is not installed"

if [[ -n ${HUSLY_BIN:-} ]]; then
    BIN=$HUSLY_BIN
else
    log "building release binary (cargo build --release -p husly)"
    (cd "$ROOT" && cargo build --release -p husly --quiet)
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/husly"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/husly-bench-rr.XXXXXX")
SERVER_PID=""
stop_server() {
    if [[ -n $SERVER_PID ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=""
}
cleanup() {
    local status=$?
    stop_server
    [[ ${BENCH_KEEP:-0} == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

export HUSLY_DATA_DIR="$WORK/data" HUSLY_LANG=en
mkdir -p "$HUSLY_DATA_DIR"
DB_FILE="$WORK/husly.db"
export HUSLY_DATABASE_URL="sqlite://$DB_FILE?mode=rwc"
sql() { python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1], timeout=30).execute(sys.argv[2]): print("|".join(str(v) for v in row))' "$DB_FILE" "$1"; }

log "seeding $HOUSEHOLDS households, every one a tenant"
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
    "$BIN" serve --addr 127.0.0.1:0 "$@" >"$WORK/serve.out" 2>"$WORK/serve.log" &
    SERVER_PID=$!
    for _ in $(seq 6000); do
        done_row=$(sql "SELECT claimed_at, finished_at, outcome FROM job_run WHERE job = 'renewal_reviews' AND run_on = '$day' AND finished_at IS NOT NULL" 2>/dev/null || true)
        [[ -n $done_row ]] && break
        sleep 0.2
    done
    [[ -n $done_row ]] || die "the renewal-review run of $day did not finish"
    IFS='|' read -r claimed finished outcome <<<"$done_row"
    [[ $outcome == done ]] || die "the run of $day: $outcome"
    stop_server
    python3 -c "print(f'{($finished - $claimed) / 1e6:.2f}')"
}

TODAY=$(TZ=Europe/Oslo date +%F)
TOMORROW=$(TZ=Europe/Oslo date -d tomorrow +%F)
FIRST_S=$(run_pass "$TODAY")
OPENED=$(sql "SELECT COUNT(*) FROM application_case WHERE case_type = 'tenancy_renewal'")
log "first pass: $FIRST_S s, $OPENED reviews opened"
SECOND_S=$(run_pass "$TOMORROW" --clock "${TOMORROW}T06:00:00+01:00")
OPENED_2=$(sql "SELECT COUNT(*) FROM application_case WHERE case_type = 'tenancy_renewal'")
log "next day's pass: $SECOND_S s, $((OPENED_2 - OPENED)) more opened"

mkdir -p "$RESULTS_DIR"
{
    echo "# $(date -u +%FT%TZ) $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD), sqlite"
    echo "# $HOUSEHOLDS households seeded in ${SEED_S} s: $TENANCIES tenancies, $FIXED open fixed-term contracts"
    echo "renewal_reviews first pass: ${FIRST_S} s, ${OPENED} review cases opened"
    echo "renewal_reviews next day:   ${SECOND_S} s, $((OPENED_2 - OPENED)) more opened"
} | tee "$RESULT_FILE"
