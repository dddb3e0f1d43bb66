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
audited() { sql "SELECT details FROM audit_entry WHERE action = '$1' ORDER BY occurred_at DESC LIMIT 1" | sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p"; }
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
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
TICKS=$(getconf CLK_TCK)
hwm_mib() { awk '$1 == "VmHWM:" { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
log_size() { stat -c %s "$WORK/serve.log"; }
statuses_since() {
    tail -c +$(($1 + 1)) "$WORK/serve.log" | LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' | LC_ALL=C grep -ao ' request status=[0-9]*' |
        sed 's/.*=//' | sort | uniq -c | awk '{ printf "%s%s:%s", sep, $2, $1; sep = "," }'
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
duration_s() {
    case "$1" in *h) echo $((${1%h} * 3600)) ;; *m) echo $((${1%m} * 60)) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac
}
run_wrk() {
    local name=$1 duration=$2 conns=$3 threads=$4
    BENCH_DIR="$BENCH_DIR" BENCH_NAME="$name" BENCH_SESSION="$SESSION" BENCH_PATH="${PATHS[${name%%-*}]}" \
        timeout --kill-after=10s $(($(duration_s "$duration") + 90)) \
        wrk -t"$threads" -c"$conns" -d"$duration" --timeout 30s --latency -s "$BENCH_DIR/page.lua" "$BASE"
}
# wrk abandons requests in flight when its time is up, but the server finishes them: wait until
# the server is idle (under 5 % of a core for half a second, at most 120 s).
wait_idle() {
    local before after
    for _ in $(seq 240); do
        before=$(server_ticks)
        sleep 0.5
        after=$(server_ticks)
        awk -v d=$((after - before)) -v hz="$TICKS" 'BEGIN { exit !(d / hz < 0.025) }' && return 0
    done
    log "server still busy after 120 s"
}

declare -A RPS P50 P99 REQS STATUSES CPU_MS HWM LOADAVG S_RPS S_P50 S_P99 S_STATUSES
for name in "${ENDPOINTS[@]}"; do
    if [[ $WARMUP != 0 ]]; then run_wrk "$name-warmup" "$WARMUP" 8 1 >/dev/null || die "warm-up of $name failed"; fi
    wait_idle
    LOADAVG[$name]=$(cut -d' ' -f1-3 /proc/loadavg)
    before=$(log_size)
    ticks=$(server_ticks)
    log "$name: wrk -t$THREADS -c$CONNS -d$DURATION ${PATHS[$name]} (load average ${LOADAVG[$name]})"
    out=$(run_wrk "$name" "$DURATION" "$CONNS" "$THREADS") || die "wrk for $name failed: $out"
    wait_idle
    line=$(grep '^BENCH ' <<<"$out" | tail -n1)
    [[ -n $line ]] || die "no BENCH line from wrk for $name"
    RPS[$name]=$(field rps "$line")
    P50[$name]=$(field p50_ms "$line")
    P99[$name]=$(field p99_ms "$line")
    REQS[$name]=$(field requests "$line")
    STATUSES[$name]=$(statuses_since "$before")
    CPU_MS[$name]=$(awk -v t=$(($(server_ticks) - ticks)) -v hz="$TICKS" -v n="${REQS[$name]}" \
        'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')
    HWM[$name]=$(hwm_mib)
    {
        echo "### $name, $CONNS connections: wrk -t$THREADS -c$CONNS -d$DURATION --timeout 30s --latency -s bench/page.lua $BASE${PATHS[$name]}"
        echo "load average before: ${LOADAVG[$name]}"
        echo "$out"
        echo "server-logged statuses (status:count, requests finished after wrk stopped included): ${STATUSES[$name]:-none logged}"
        echo
    } >>"$RAW"
    log "$name: ${RPS[$name]} req/s, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms, statuses ${STATUSES[$name]:-?}"
done
if [[ $SERIAL != 0 ]]; then
    for name in "${ENDPOINTS[@]}"; do
        wait_idle
        before=$(log_size)
        load=$(cut -d' ' -f1-3 /proc/loadavg)
        out=$(run_wrk "$name-1conn" "$SERIAL" 1 1) || die "wrk for $name (one connection) failed"
        line=$(grep '^BENCH ' <<<"$out" | tail -n1)
        S_RPS[$name]=$(field rps "$line")
        S_P50[$name]=$(field p50_ms "$line")
        S_P99[$name]=$(field p99_ms "$line")
        S_STATUSES[$name]=$(statuses_since "$before")
        {
            echo "### $name, one connection: wrk -t1 -c1 -d$SERIAL --timeout 30s --latency -s bench/page.lua $BASE${PATHS[$name]}"
            echo "load average before: $load"
            echo "$out"
            echo
        } >>"$RAW"
        log "$name, one connection: ${S_RPS[$name]} req/s, p50 ${S_P50[$name]} ms, p99 ${S_P99[$name]} ms"
    done
fi
PEAK=$(hwm_mib)

# --- results ----------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }
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
    printf '%-9s %-36s %9s %9s %9s %7s %9s %8s %-16s %-26s %s\n' endpoint path 'req/s' 'p50 ms' 'p99 ms' ratio 'cpu ms/r' 'HWM MiB' 'load before' statuses 'shown'
    for name in "${ENDPOINTS[@]}"; do
        printf '%-9s %-36s %9s %9s %9s %7s %9s %8s %-16s %-26s %s\n' "$name" "${PATHS[$name]}" "${RPS[$name]}" "${P50[$name]}" \
            "${P99[$name]}" "$(ratio "${RPS[$name]}" "${RPS[healthz]}")" "${CPU_MS[$name]}" "${HWM[$name]}" \
            "${LOADAVG[$name]// /,}" "${STATUSES[$name]:-none}" "${SHOWN[$name]:-}"
    done
    echo "(ratio = req/s ÷ healthz req/s in this run; cpu ms/r = the server's CPU time per request;"
    echo " HWM = the server's peak RSS (VmHWM) after that run; statuses = status:count as the server logged them)"
    echo "server peak RSS over the whole run: $PEAK MiB"
    if [[ $SERIAL != 0 ]]; then
        echo
        echo "one connection (-t1 -c1 -d$SERIAL):"
        printf '%-9s %9s %9s %9s %s\n' endpoint 'req/s' 'p50 ms' 'p99 ms' statuses
        for name in "${ENDPOINTS[@]}"; do
            printf '%-9s %9s %9s %9s %s\n' "$name" "${S_RPS[$name]}" "${S_P50[$name]}" "${S_P99[$name]}" "${S_STATUSES[$name]:-none}"
        done
    fi
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
