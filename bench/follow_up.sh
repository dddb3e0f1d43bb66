#!/usr/bin/env bash
# The follow-up caseload and the expiring contracts under load (issue 16): seeds a fresh
# database until about TENANCIES open contracts exist (every seeded tenancy has three months of
# rent ledger, a few in arrears, and about one in six a follow-up plan), gives a follow-up worker
# a caseload of 40 active plans, starts `husly serve` on loopback and runs wrk as that worker
# against
#
#   healthz   GET /healthz                            (no login, no database: the baseline)
#   mine      GET /follow-up                          (the worker's own plans, ~40 lines)
#   all       GET /follow-up?scope=all                (every active plan, and every household with
#                                                      an open contract and a risk signal)
#   expiring  GET /tenancies?list=expiring&months=6   (contracts whose term ends within 6 months;
#                                                      a page of 50 and the count)
#   open      GET /tenancies?months=6                 (without list=expiring the months are
#                                                      ignored: the open contracts, page 1)
#
# each with BENCH_CONNS connections, then each with one connection for the unloaded latency.
#
#   bench/follow_up.sh sqlite|postgres [tenancies=20000] [duration=20s]
#
# Seeding: `husly seed --households N --tenant-percent P --seed 1` rents a dwelling to about P %
# of the households (P = BENCH_TENANT_PERCENT, default 45, the seeder's own default), so
# N = TENANCIES × 100 / P; the counts actually reached are reported.
#
# The caseload: there is no command-line way to hand plans to a worker (`husly user` only adds,
# lists, disables and resets passwords; the demo's handover, Store::hand_over_follow_up_plans,
# runs only for the demo's users), so this script creates the worker with `husly user add --role
# follow_up_worker` and then hands it BENCH_MINE (default 40) active plans, the oldest first as
# the handover does, with a direct SQL UPDATE of follow_up_plan.responsible_user_id (and version,
# updated_at). Unlike the handover it writes no timeline events or audit entries for them.
#
# Environment (besides those of bench/lib.sh: HUSLY_BIN, BENCH_PG_URL, BENCH_KEEP):
#   BENCH_CONNS (64), BENCH_THREADS (2), BENCH_WARMUP (un-recorded warm-up per endpoint with 8
#   connections, default 3s; 0 = none), BENCH_SERIAL (one-connection run per endpoint, default
#   10s; 0 = none), BENCH_MINE (40), BENCH_TENANT_PERCENT (45), BENCH_RESULTS_DIR (bench/results),
#   BENCH_TAG (appended to the results file name).
#
# Results: bench/results/follow-up-<backend>-<yyyy-mm-dd>.txt (with -<tenancies> before the date
# part when not 20000): the counts, the machine's load average before each run (the machine is
# shared; with a high load the absolute figures are pessimistic and the ratios to /healthz say
# more), a table of req/s, p50, p99, status counts, server CPU per request and peak RSS, and
# wrk's raw output.
set -euo pipefail

usage() {
    echo "usage: $0 sqlite|postgres [tenancies=20000] [duration=20s]" >&2
    exit 2
}
BACKEND=${1:-}
TENANCIES=${2:-20000}
DURATION=${3:-20s}
case "$BACKEND" in sqlite | postgres) ;; *) usage ;; esac
[[ $TENANCIES =~ ^[0-9]+$ && $TENANCIES -gt 0 ]] || usage
[[ $DURATION =~ ^[0-9]+[smh]?$ ]] || usage

CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-3s}
SERIAL=${BENCH_SERIAL:-10s}
MINE=${BENCH_MINE:-40}
TENANT_PERCENT=${BENCH_TENANT_PERCENT:-45}
HOUSEHOLDS=$(((TENANCIES * 100 + TENANT_PERCENT - 1) / TENANT_PERCENT))

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
SIZE_PART=""
[[ $TENANCIES == 20000 ]] || SIZE_PART="-$TENANCIES"
RESULT_FILE="$RESULTS_DIR/follow-up-$BACKEND$SIZE_PART-$(date +%Y-%m-%d)${BENCH_TAG:+-$BENCH_TAG}.txt"

for tool in wrk curl; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
UPTIME_START=$(bench_uptime)
bench_binary
bench_workdir follow-up
RAW="$WORK/raw.txt"
: >"$RAW"
bench_database "$BACKEND"

# --- seed -------------------------------------------------------------------------------------
log "seeding $HOUSEHOLDS households, $TENANT_PERCENT % renting ($BACKEND); load: $UPTIME_START"
start=$(date +%s.%N)
"$BIN" seed --households "$HOUSEHOLDS" --tenant-percent "$TENANT_PERCENT" --seed 1 >"$WORK/seed.out" 2>"$WORK/seed.log" ||
    { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
SEED_S=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
OPEN=$(sql "SELECT COUNT(*) FROM tenancy WHERE ended_on IS NULL")
PLANS=$(sql "SELECT COUNT(*) FROM follow_up_plan WHERE state = 'active'")
ENTRIES=$(sql "SELECT COUNT(*) FROM follow_up_entry")
LEDGER=$(sql "SELECT COUNT(*) FROM rent_ledger_entry")
IN_ARREARS=$(sql "SELECT COUNT(*) FROM (SELECT tenancy_id FROM rent_ledger_entry GROUP BY tenancy_id HAVING SUM(due_ore - paid_ore) > 0) a")
log "seeded in ${SEED_S} s: $OPEN open contracts, $PLANS active plans, $ENTRIES log entries, $LEDGER ledger months"

# --- the follow-up worker and its caseload ----------------------------------------------------
EMAIL="bench-follow-up@bench.invalid"
bench_user follow_up_worker "$EMAIL" "Bench follow-up worker"
WORKER=$(sql "SELECT id FROM app_user WHERE email = '$EMAIL'")
[[ -n $WORKER ]] || die "the follow-up worker was not created"
# A direct UPDATE: no command hands plans over (see the header).
sql "UPDATE follow_up_plan SET responsible_user_id = '$WORKER', version = version + 1, updated_at = $(date +%s%6N) \
     WHERE id IN (SELECT id FROM follow_up_plan WHERE state = 'active' ORDER BY started_on, id LIMIT $MINE)" >/dev/null
HANDED=$(sql "SELECT COUNT(*) FROM follow_up_plan WHERE state = 'active' AND responsible_user_id = '$WORKER'")
log "handed $HANDED active plans to $EMAIL"
((HANDED > 0)) || die "no plans were handed to the follow-up worker"

# --- server, login, each page once alone ------------------------------------------------------
bench_serve
log "server $SERVER_PID at $BASE"
bench_login "$EMAIL" "$PASSWORD"

ENDPOINTS=(healthz mine all expiring open)
declare -A PATHS=(
    [healthz]="/healthz"
    [mine]="/follow-up"
    [all]="/follow-up?scope=all"
    [expiring]="/tenancies?list=expiring&months=6"
    [open]="/tenancies?months=6"
)
# What the page's audit entry says it showed (the caseload's households, the list's contracts).
audited() { sql "SELECT details FROM access_entry WHERE action = '$1' ORDER BY occurred_at DESC LIMIT 1" | sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p"; }
declare -A ALONE BYTES SHOWN
for name in "${ENDPOINTS[@]}"; do
    path=${PATHS[$name]}
    first=$(curl -sS -o "$WORK/page.html" -w '%{http_code} %{time_total}' -b "husly_session=$SESSION" "$BASE$path")
    [[ ${first%% *} == 200 ]] || die "GET $path answered ${first%% *}"
    again=$(curl -sS -o "$WORK/page.html" -w '%{time_total}' -b "husly_session=$SESSION" "$BASE$path")
    ALONE[$name]="first ${first#* } s, again $again s"
    BYTES[$name]=$(wc -c <"$WORK/page.html")
    case "$name" in
    mine | all) SHOWN[$name]="$(audited follow_up.caseload households) households" ;;
    expiring | open) SHOWN[$name]="$(audited tenancy.list contracts) contracts on the page" ;;
    *) SHOWN[$name]="-" ;;
    esac
    log "GET $path alone: ${ALONE[$name]}, ${BYTES[$name]} bytes"
done
# Expiring contracts as the list counts them (term end within six months, open).
EXPIRING=$(sql "SELECT COUNT(*) FROM tenancy WHERE ended_on IS NULL AND term_end IS NOT NULL \
    AND term_end <= '$(TZ=Europe/Oslo date -d '+6 months' +%F)'")
SHOWN[expiring]="${SHOWN[expiring]} of $EXPIRING"
SHOWN[open]="${SHOWN[open]} of $OPEN"
# The tenancies over the arrears threshold, as the arrears list (GET /tenancies/ledger) counts them.
code=$(curl -sS -o /dev/null -w '%{http_code}' -b "husly_session=$SESSION" "$BASE/tenancies/ledger")
[[ $code == 200 ]] || die "GET /tenancies/ledger answered $code"
OVER=$(audited tenancy.arrears tenancies)
log "$OVER tenancies over the arrears threshold ($IN_ARREARS with any arrears)"

# --- the runs ---------------------------------------------------------------------------------
bench_meters

bench_runs
PEAK=$(hwm_mib)

# --- results ----------------------------------------------------------------------------------
summary() {
    echo "husly follow-up caseload and expiring contracts — backend $BACKEND, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "binary $BIN${HUSLY_BIN:+ (HUSLY_BIN)}; working tree at $(git -C "$ROOT" rev-parse --short HEAD)$([[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no) ]] && echo ' +local changes')"
    echo "machine: $(nproc) CPUs shared by the server, wrk$([[ $BACKEND == postgres ]] && echo ', PostgreSQL') and whatever else runs (the lead's builds)"
    [[ $BACKEND == postgres ]] && echo "postgres: $(sql 'SHOW server_version') on the same machine"
    echo "uptime at start: $UPTIME_START"
    echo
    echo "seed:      husly seed --households $HOUSEHOLDS --tenant-percent $TENANT_PERCENT --seed 1, ${SEED_S} s"
    echo "reached:   $OPEN open contracts (tenancies), $EXPIRING ending within 6 months; $PLANS active follow-up plans;"
    echo "           $ENTRIES follow-up log entries; $LEDGER ledger months, $IN_ARREARS tenancies with arrears,"
    echo "           $OVER over the arrears threshold (as GET /tenancies/ledger lists them)"
    echo "caseload:  $HANDED active plans handed to the bench follow-up worker (SQL UPDATE, see the script)"
    echo "wrk:       -t$THREADS -c$CONNS -d$DURATION --latency after a $WARMUP warm-up with 8 connections; one connection -d$SERIAL"
    echo
    bench_table
    echo
    echo "each page alone after start (curl): "
    for name in "${ENDPOINTS[@]}"; do echo "  $name: ${ALONE[$name]}, ${BYTES[$name]} bytes"; done
}
mkdir -p "$RESULTS_DIR"
{
    summary
    echo
    echo "=== husly seed output"
    cat "$WORK/seed.out"
    echo
    cat "$RAW"
} >"$RESULT_FILE"
echo
summary
log "results written to ${RESULT_FILE#"$ROOT"/}"
