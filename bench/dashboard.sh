#!/usr/bin/env bash
# The action plan over ten years of history: seeds a fresh database (households with application
# cases and stays spread over `husly seed --years 10`), starts `husly serve` and lets its
# scheduler take the first snapshots (every year filled in from the data), creates a plan with
# every built-in indicator under three goals through the API, then times, one request at a time,
# the goal dashboard (JSON and HTML page), the plan page, the drill-down behind a value and the
# status report (PDF, XLSX). Finally DuckDB (from PyPI, in a virtualenv in the temporary
# directory) computes the same case indicators for the same ten years over `husly export`.
#
#   bench/dashboard.sh sqlite|postgres [households=100000] [requests=30]
#
# Environment:
#   HUSLY_BIN      use this binary instead of building `cargo build --release -p husly`
#   BENCH_PG_URL   PostgreSQL server (default postgres://postgres@127.0.0.1:5432); the database
#                  husly_bench_dashboard on it is DROPPED and recreated.
#   BENCH_CASE_PERCENT  per cent of households with a case (default 100)
#   BENCH_CONFIG   a configuration file for the server (e.g. `live_values_secs = 0`, to compute
#                  this year's values on every view as before the values were kept)
#   BENCH_TAG      added to the results file's name (dashboard-BACKEND-DATE-TAG.txt)
#   BENCH_KEEP=1   keep the temporary directory
#   BENCH_RESULTS_DIR  where the results file goes (default bench/results)
set -euo pipefail

BACKEND=${1:-}
HOUSEHOLDS=${2:-100000}
REQUESTS=${3:-30}
case "$BACKEND" in sqlite | postgres) ;; *) echo "usage: $0 sqlite|postgres [households] [requests]" >&2; exit 2 ;; esac
[[ "$HOUSEHOLDS" =~ ^[0-9]+$ && "$HOUSEHOLDS" -gt 0 ]] || { echo "households must be a positive number" >&2; exit 2; }
[[ "$REQUESTS" =~ ^[0-9]+$ && "$REQUESTS" -gt 0 ]] || { echo "requests must be a positive number" >&2; exit 2; }
CASE_PERCENT=${BENCH_CASE_PERCENT:-100}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "${HUSLY_BIN:-}" ]]; then
    cargo build --release -p husly --manifest-path "$ROOT/Cargo.toml" >&2
    HUSLY_BIN="$ROOT/target/release/husly"
fi
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [[ "${BENCH_KEEP:-}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "[dashboard] $*" >&2; }
die() { log "$*"; exit 1; }

if [[ "$BACKEND" == postgres ]]; then
    PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS husly_bench_dashboard" -c "CREATE DATABASE husly_bench_dashboard" >/dev/null
    DB="$PG/husly_bench_dashboard"
else
    DB="sqlite://$WORK/husly.db?mode=rwc"
fi
export HUSLY_DATABASE_URL=$DB HUSLY_DATA_DIR=$WORK

log "seeding $HOUSEHOLDS households, $CASE_PERCENT % with a case, over ten years, on $BACKEND"
SEED_START=$(date +%s.%N)
"$HUSLY_BIN" seed --households "$HOUSEHOLDS" --case-percent "$CASE_PERCENT" --years 10 >"$WORK/seed.log" 2>&1 ||
    { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
SEED_S=$(echo "$(date +%s.%N) - $SEED_START" | bc)
EMAIL=leader@bench.example
PASSWORD=benchmark-password-long-enough
printf '%s\n' "$PASSWORD" | "$HUSLY_BIN" user add --municipality 9999 --email "$EMAIL" --role leader \
    --password-stdin >"$WORK/cli.log" 2>&1 || { cat "$WORK/cli.log" >&2; die "husly user add failed"; }
TOKEN=$("$HUSLY_BIN" token create --user "$EMAIL" 2>>"$WORK/cli.log" | head -n1)
[[ $TOKEN == husly_* ]] || die "no API token"

log "starting husly serve; its scheduler takes the first snapshots"
SERVE_START=$(date +%s.%N)
"$HUSLY_BIN" serve --addr 127.0.0.1:0 ${BENCH_CONFIG:+--config "$BENCH_CONFIG"} >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
BASE=
for _ in $(seq 300); do
    BASE=$(sed -n '1s|^husly listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$WORK/serve.out" 2>/dev/null || true)
    [[ -n $BASE ]] && break
    sleep 0.1
done
[[ -n $BASE ]] || die "server did not start"
for _ in $(seq 1200); do
    grep -q "indicator snapshots taken" "$WORK/serve.log" && break
    grep -q "indicator snapshots not taken" "$WORK/serve.log" && die "the snapshot job failed"
    sleep 0.25
done
SNAPSHOT_LINE=$(sed 's/\x1b\[[0-9;]*m//g' "$WORK/serve.log" | grep "indicator snapshots taken" | head -n1)
[[ -n $SNAPSHOT_LINE ]] || die "no snapshots within five minutes"
SNAPSHOT_MS=$(printf '%s' "$SNAPSHOT_LINE" | grep -o 'elapsed_ms=[0-9]*' | cut -d= -f2)
SNAPSHOT_VALUES=$(printf '%s' "$SNAPSHOT_LINE" | grep -o 'values=[0-9]*' | cut -d= -f2)

api() { # method path [json]
    curl -sS -X "$1" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
        ${3:+--data "$3"} "$BASE/api/v1$2"
}
YEAR=$(date +%Y)
PLAN=$(api POST "/action-plans?municipality=9999" \
    "{\"title\":\"Boligsosial handlingsplan\",\"period_from\":\"$((YEAR - 3))\",\"period_to\":\"$((YEAR + 1))\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["plan"]["id"])')
GOALS=()
for title in "Alle skal ha et godt sted å bo" "Alle som trenger det, skal få hjelp til å mestre boforholdet" \
    "Den offentlige innsatsen skal være helhetlig og effektiv"; do
    GOALS+=("$(api POST "/action-plans/$PLAN/goals" "{\"title\":\"$title\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["goals"][-1]["id"])')")
done
i=0
for key in $(sed -n 's/^key = "\(.*\)"$/\1/p' "$ROOT/rules/indicators.toml"); do
    goal=${GOALS[$((i % 3))]}
    api POST "/action-plans/$PLAN/goals/$goal/indicators" \
        "{\"name\":\"$key\",\"definition\":\"$key\",\"baseline\":\"10\",\"baseline_year\":\"$((YEAR - 4))\",\"target\":\"10\",\"target_year\":\"$((YEAR + 1))\"}" >/dev/null
    i=$((i + 1))
done
INDICATOR=$(api GET "/action-plans/$PLAN/goals/${GOALS[0]}" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(next(i["indicator"]["id"] for i in d["indicators"] if i["counts_cases"]))')
INDICATORS_ON_GOAL=$(api GET "/action-plans/$PLAN/goals/${GOALS[0]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["indicators"]))')

# A browser's session for the pages.
login_page=$(curl -sS -D "$WORK/login.headers" "$BASE/login")
CSRF=$(printf '%s' "$login_page" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
CSRF_COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_csrf=\([^;]*\).*/\1/p' "$WORK/login.headers" | head -n1 | tr -d '\r')
curl -sS -o /dev/null -D "$WORK/session.headers" -b "husly_csrf=$CSRF_COOKIE" \
    --data-urlencode "csrf=$CSRF" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$BASE/login"
SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_session=\([^;]*\).*/\1/p' "$WORK/session.headers" | head -n1 | tr -d '\r')
[[ -n $SESSION ]] || die "login failed"

# time_of NAME URL [auth]: REQUESTS requests one after another; the first, the median and the
# max in ms (the first computes this year's values that a later one may find kept).
time_of() {
    local name=$1 url=$2 auth=$3 times=()
    for _ in $(seq "$REQUESTS"); do
        if [[ $auth == token ]]; then
            out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -H "authorization: Bearer $TOKEN" "$url")
        else
            out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -b "husly_session=$SESSION" "$url")
        fi
        [[ ${out%% *} == 200 ]] || die "GET $url answered ${out%% *}"
        times+=("${out#* }")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" -v first="${times[0]}" '{ t[NR] = $1 * 1000 } END {
        printf "%-34s first %7.1f ms   median %7.1f ms   max %7.1f ms   (%d requests)\n", name, first * 1000, t[int((NR + 1) / 2)], t[NR], NR }'
}

RESULTS_DIR=${BENCH_RESULTS_DIR:-$ROOT/bench/results}
mkdir -p "$RESULTS_DIR"
RESULT="$RESULTS_DIR/dashboard-$BACKEND-$(date +%F)${BENCH_TAG:+-$BENCH_TAG}.txt"
{
    echo "bench/dashboard.sh $BACKEND $HOUSEHOLDS $REQUESTS on $(date -u +%FT%TZ), $(nproc) cores, $("$HUSLY_BIN" --version)"
    [[ -n ${BENCH_CONFIG:-} ]] && echo "server configuration: $(tr '\n' ' ' <"$BENCH_CONFIG")"
    echo "seed (--years 10, --case-percent $CASE_PERCENT): ${SEED_S} s; $(tail -n2 "$WORK/seed.log" | head -n1)"
    echo "first snapshot run (all definitions, every year filled in): ${SNAPSHOT_MS} ms for ${SNAPSHOT_VALUES} values"
    echo "plan: ${#GOALS[@]} goals, $i indicators ($INDICATORS_ON_GOAL on the goal timed)"
    time_of "GET goal dashboard (API JSON)" "$BASE/api/v1/action-plans/$PLAN/goals/${GOALS[0]}" token
    time_of "GET goal dashboard (HTML page)" "$BASE/plans/$PLAN/goals/${GOALS[0]}" session
    time_of "GET plan page (values this year)" "$BASE/plans/$PLAN" session
    time_of "GET drill-down, $((YEAR - 5)) (API)" "$BASE/api/v1/action-plans/$PLAN/indicators/$INDICATOR/cases?year=$((YEAR - 5))" token
    time_of "GET status report (PDF)" "$BASE/plans/$PLAN/report.pdf" session
    time_of "GET status report (XLSX)" "$BASE/plans/$PLAN/report.xlsx" session
} | tee "$RESULT"

log "exporting for DuckDB"
"$HUSLY_BIN" export "$WORK/export.jsonl" >/dev/null 2>&1 || die "export failed"
python3 -m venv "$WORK/venv" >/dev/null
"$WORK/venv/bin/pip" install -q duckdb >&2
for goal in "${GOALS[@]}"; do api GET "/action-plans/$PLAN/goals/$goal"; echo; done >"$WORK/trends.jsonl"
"$WORK/venv/bin/python" "$ROOT/bench/dashboard_duckdb.py" "$WORK/export.jsonl" "$(date +%F)" $((YEAR - 10)) "$YEAR" \
    "$WORK/trends.jsonl" | tee -a "$RESULT"
