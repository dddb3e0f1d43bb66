#!/usr/bin/env bash
# Load on the waiting list (issue 15): seeds a fresh SQLite database until about WAITING
# households are on the waiting list, starts `husly serve` on loopback and runs wrk against
# GET /waiting-list (bench/waiting_list.lua: half first page, half a random page) as a signed-in
# caseworker. The server keeps the ranked list in memory (rebuilt when the database's change
# counter moves); each request places the page's 100 households among their competitors,
# estimates their wait from the last three years' lettings, renders the page and writes an
# access-log entry. The first request after start reads and ranks the list.
#
#   bench/waiting_list.sh [waiting=20000] [duration=20s]
#
# Environment: HUSLY_BIN (use this binary instead of building the release one), BENCH_CONNS
# (default 64), BENCH_THREADS (default 2), BENCH_KEEP=1 (keep the temporary directory),
# BENCH_RESULTS_DIR (default bench/results).
#
# The results file gives the status counts (a 503 is a request that waited longer than the pool's
# 5 s acquire timeout) and a one-connection run for the served latency.
#
# Seeding: `husly seed --case-percent 100 --years 1` puts about 18 % of households on the waiting
# list, so WAITING × 5.5 households are seeded; the count actually reached is reported.
set -euo pipefail

WAITING=${1:-20000}
DURATION=${2:-20s}
CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
RESULT_FILE="$RESULTS_DIR/waiting-list-sqlite-$(date +%Y-%m-%d).txt"
HOUSEHOLDS=$((WAITING * 55 / 10))

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in wrk curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

if [[ -n ${HUSLY_BIN:-} ]]; then
    BIN=$HUSLY_BIN
else
    log "building release binary (cargo build --release -p husly)"
    (cd "$ROOT" && cargo build --release -p husly --quiet)
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/husly"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/husly-bench-wl.XXXXXX")
SERVER_PID=""
cleanup() {
    local status=$?
    if [[ -n $SERVER_PID ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
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

log "seeding $HOUSEHOLDS households (every one with a case, one year of history)"
start=$(date +%s)
"$BIN" seed --households "$HOUSEHOLDS" --case-percent 100 --years 1 >"$WORK/seed.out" 2>"$WORK/seed.log" ||
    { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
SEED_S=$(($(date +%s) - start))
ON_LIST=$(sql "SELECT COUNT(*) FROM application_case WHERE state = 'on_waiting_list'")
LETTINGS=$(sql "SELECT COUNT(*) FROM tenancy WHERE from_date >= '$(( $(date +%Y) - 3 ))-01-01' AND from_date < '$(date +%Y)-01-01'")
PAGES=$(((ON_LIST + 99) / 100))
log "seeded in ${SEED_S} s: $ON_LIST households on the waiting list ($PAGES pages), $LETTINGS lettings in the last three full years"

EMAIL="bench-caseworker@bench.invalid"
PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | "$BIN" user add --municipality 9999 --email "$EMAIL" --role caseworker \
    --name "Bench caseworker" --password-stdin >/dev/null 2>"$WORK/cli.log" || { cat "$WORK/cli.log" >&2; die "user add failed"; }

"$BIN" serve --addr 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
BASE=""
for _ in $(seq 300); do
    BASE=$(sed -n '1s|^husly listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$WORK/serve.out" 2>/dev/null || true)
    [[ -n $BASE ]] && break
    sleep 0.1
done
[[ -n $BASE ]] || die "server did not start"

curl -sS -D "$WORK/login.headers" "$BASE/login" >"$WORK/login.html"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/login.html" | head -n1 | sed 's/.*value="//; s/"$//')
CSRF_COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_csrf=\([^;]*\).*/\1/p' "$WORK/login.headers" | head -n1 | tr -d '\r')
curl -sS -o /dev/null -D "$WORK/session.headers" -b "husly_csrf=$CSRF_COOKIE" \
    --data-urlencode "csrf=$CSRF" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$BASE/login"
SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_session=\([^;]*\).*/\1/p' "$WORK/session.headers" | head -n1 | tr -d '\r')
[[ -n $SESSION ]] || die "login failed"

# One request alone first: it must answer 200 with estimates, and its time is the unloaded figure.
single=$(curl -sS -o "$WORK/page.html" -w '%{http_code} %{time_total}' -b "husly_session=$SESSION" "$BASE/waiting-list")
[[ ${single%% *} == 200 ]] || die "GET /waiting-list answered ${single%% *}"
ESTIMATED=$(grep -cE '\((estimate|anslag)\)</td>' "$WORK/page.html" || true)
log "one request alone: ${single#* } s, $(wc -c <"$WORK/page.html") bytes, $ESTIMATED of 100 rows with an estimate range"

export BENCH_DIR BENCH_SESSION="$SESSION" BENCH_PAGES="$PAGES"
BENCH_NAME=warmup wrk -t"$THREADS" -c"$CONNS" -d3s --timeout 60s -s "$BENCH_DIR/waiting_list.lua" "$BASE" >/dev/null
OUT=$(BENCH_NAME=waiting_list wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 60s --latency \
    -s "$BENCH_DIR/waiting_list.lua" "$BASE")
LINE=$(grep '^BENCH ' <<<"$OUT")
# One connection: the latency of requests that are served, without queueing for the pool.
SERIAL=$(BENCH_NAME=waiting_list_1conn wrk -t1 -c1 -d10s --timeout 60s --latency \
    -s "$BENCH_DIR/waiting_list.lua" "$BASE" | grep '^BENCH ')
STOCK=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -b "husly_session=$SESSION" "$BASE/allocation/stock")
NOT_OK=$(LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$WORK/serve.log" | LC_ALL=C grep -ao ' request status=[0-9]*' | sed 's/.*=//' | sort | uniq -c | tr '\n' ' ')
RSS=$(awk '$1 == "VmHWM:" { print $2 / 1024 " MiB" }' "/proc/$SERVER_PID/status")
mkdir -p "$RESULTS_DIR"
{
    echo "# $(date -u +%FT%TZ) $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD), sqlite"
    echo "# $ON_LIST households on the waiting list, $LETTINGS lettings in three years; seeded in ${SEED_S} s"
    echo "# one request alone: ${single#* } s; $CONNS connections, $THREADS threads, $DURATION; server peak RSS $RSS"
    echo "# GET /allocation/stock alone (the whole list, the counts and the lettings): ${STOCK#* } s"
    echo "# response statuses over the whole run (count status): $NOT_OK"
    echo "$LINE"
    echo "$SERIAL"
    echo
    echo "$OUT"
} | tee "$RESULT_FILE"
