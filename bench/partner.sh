#!/usr/bin/env bash
# The partner's door under load (issue 17): seeds a fresh database, gives a partner user's
# organisation CONSENTS consents in force, starts `husly serve` on loopback and runs wrk as that
# partner against
#
#   healthz    GET /healthz                        (no login, no database: the baseline)
#   list       GET /partner                        (the first page of 50 of the consenting
#                                                   households, and their count)
#   deep       GET /partner?offset=<middle>        (a page from the middle of the list)
#   household  GET /partner/households/{id}        (a household as its consents show it, an id
#                                                   picked at random per request from
#                                                   BENCH_IDS of the consenting households)
#
# each with the consent check in the path (the partner's organisation and its consents to the
# household are read for every household view, and every view is audited with them), with
# BENCH_CONNS connections, then each with one connection for the unloaded latency.
#
#   bench/partner.sh sqlite|postgres [consents=10000] [duration=20s]
#
# Seeding: `husly seed --households N --seed 1` (N = BENCH_HOUSEHOLDS, default 100 000) gives
# about one household in twelve a consent to one of three seeded organisations. The bench partner
# works for the seeded Bo-team ("Bo-teamet i bymisjonen"); there is no command that records a
# consent outside a household's page or the API, so the script tops the Bo-team's consents in
# force up to CONSENTS with a direct SQL INSERT (main applicants of households without one; every
# category, from 30 days ago for a year; random, not time-ordered, ids), and links the partner
# to the organisation with an INSERT into partner_membership. Unlike the use case these write
# no timeline events or audit entries.
#
# Environment (besides those of bench/lib.sh: HUSLY_BIN, BENCH_PG_URL, BENCH_KEEP):
#   BENCH_CONNS (64), BENCH_THREADS (2), BENCH_WARMUP (3s; 0 = none), BENCH_SERIAL (10s; 0 =
#   none), BENCH_HOUSEHOLDS (100000), BENCH_IDS (2000 household ids sampled for the household
#   view), BENCH_RESULTS_DIR (bench/results), BENCH_TAG (appended to the results file name).
#
# Results: bench/results/partner-<backend>-<yyyy-mm-dd>.txt (with -<consents> before the date
# part when not 10000).
set -euo pipefail

usage() {
    echo "usage: $0 sqlite|postgres [consents=10000] [duration=20s]" >&2
    exit 2
}
BACKEND=${1:-}
CONSENTS=${2:-10000}
DURATION=${3:-20s}
case "$BACKEND" in sqlite | postgres) ;; *) usage ;; esac
[[ $CONSENTS =~ ^[0-9]+$ && $CONSENTS -gt 0 ]] || usage
[[ $DURATION =~ ^[0-9]+[smh]?$ ]] || usage

CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-3s}
SERIAL=${BENCH_SERIAL:-10s}
HOUSEHOLDS=${BENCH_HOUSEHOLDS:-100000}
SAMPLE_IDS=${BENCH_IDS:-2000}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
SIZE_PART=""
[[ $CONSENTS == 10000 ]] || SIZE_PART="-$CONSENTS"
RESULT_FILE="$RESULTS_DIR/partner-$BACKEND$SIZE_PART-$(date +%Y-%m-%d)${BENCH_TAG:+-$BENCH_TAG}.txt"

for tool in wrk curl; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
UPTIME_START=$(bench_uptime)
bench_binary
bench_workdir partner
RAW="$WORK/raw.txt"
: >"$RAW"
bench_database "$BACKEND"

# --- seed -------------------------------------------------------------------------------------
log "seeding $HOUSEHOLDS households ($BACKEND); load: $UPTIME_START"
start=$(date +%s.%N)
"$BIN" seed --households "$HOUSEHOLDS" --seed 1 >"$WORK/seed.out" 2>"$WORK/seed.log" ||
    { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
SEED_S=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
ALL_CONSENTS=$(sql "SELECT COUNT(*) FROM consent")
log "seeded in ${SEED_S} s: $ALL_CONSENTS consents to the seeded organisations"

# --- the partner, its organisation and its consents -------------------------------------------
EMAIL="bench-partner@bench.invalid"
bench_user partner "$EMAIL" "Bench partner"
PARTNER=$(sql "SELECT id FROM app_user WHERE email = '$EMAIL'")
MUNICIPALITY=$(sql "SELECT id FROM municipality WHERE number = '9999'")
ORG=$(sql "SELECT id FROM partner_organisation WHERE municipality_id = '$MUNICIPALITY' AND name = 'Bo-teamet i bymisjonen'")
[[ -n $PARTNER && -n $ORG ]] || die "no partner user or no seeded Bo-team"
NOW=$(date +%s%6N)
sql "INSERT INTO partner_membership (user_id, municipality_id, organisation_id, added_by, added_at) \
     VALUES ('$PARTNER', '$MUNICIPALITY', '$ORG', '$PARTNER', $NOW)" >/dev/null
TODAY=$(TZ=Europe/Oslo date +%F)
FROM=$(TZ=Europe/Oslo date -d '-30 days' +%F)
TO=$(TZ=Europe/Oslo date -d '+335 days' +%F)
IN_FORCE="organisation_id = '$ORG' AND valid_from <= '$TODAY' AND valid_to >= '$TODAY' AND withdrawn_at IS NULL"
HAD=$(sql "SELECT COUNT(DISTINCT household_id) FROM consent WHERE $IN_FORCE")
MISSING=$((CONSENTS > HAD ? CONSENTS - HAD : 0))
case "$BACKEND" in
sqlite) NEW_ID="lower(hex(randomblob(16)))" ;;
postgres) NEW_ID="gen_random_uuid()::text" ;;
esac
sql "INSERT INTO consent (id, municipality_id, household_id, person_id, organisation_id, purpose, categories, \
     valid_from, valid_to, evidence, given_by, guardian, recorded_by, recorded_at, sort_name) \
     SELECT $NEW_ID, m.municipality_id, m.household_id, m.person_id, '$ORG', 'Oppfølging i hjemmet (benk)', \
     'contact case follow_up', '$FROM', '$TO', 'meeting', 'person', NULL, '$PARTNER', $NOW, \
     (SELECT p.family_name || ' ' || p.given_name FROM person p WHERE p.id = m.person_id) \
     FROM household_member m WHERE m.municipality_id = '$MUNICIPALITY' AND m.relation = 'main_applicant' \
     AND m.household_id NOT IN (SELECT household_id FROM consent WHERE organisation_id = '$ORG') \
     ORDER BY m.household_id LIMIT $MISSING" >/dev/null
case "$BACKEND" in
sqlite) sql "ANALYZE" >/dev/null ;;
postgres) sql "ANALYZE consent" >/dev/null ;;
esac
REACHED=$(sql "SELECT COUNT(DISTINCT household_id) FROM consent WHERE $IN_FORCE")
log "the Bo-team has consents in force from $REACHED households ($HAD seeded, the rest inserted)"
IDS_FILE="$WORK/household-ids.txt"
sql "SELECT DISTINCT household_id FROM consent WHERE $IN_FORCE ORDER BY household_id LIMIT $SAMPLE_IDS" >"$IDS_FILE"

# --- server, login, each page once alone ------------------------------------------------------
bench_serve
log "server $SERVER_PID at $BASE"
bench_login "$EMAIL" "$PASSWORD"

MIDDLE=$(((REACHED / 2 / 50) * 50))
FIRST_ID=$(head -n1 "$IDS_FILE")
ENDPOINTS=(healthz list deep household)
declare -A PATHS=(
    [healthz]="/healthz"
    [list]="/partner"
    [deep]="/partner?offset=$MIDDLE"
    [household]="/partner/households/$FIRST_ID"
)
declare -A SCRIPTS=([household]="household.lua")
export BENCH_IDS_FILE="$IDS_FILE" BENCH_PREFIX="/partner/households/"
declare -A ALONE BYTES SHOWN
for name in "${ENDPOINTS[@]}"; do
    path=${PATHS[$name]}
    first=$(curl -sS -o "$WORK/page.html" -w '%{http_code} %{time_total}' -b "husly_session=$SESSION" "$BASE$path")
    [[ ${first%% *} == 200 ]] || die "GET $path answered ${first%% *}"
    again=$(curl -sS -o "$WORK/page.html" -w '%{time_total}' -b "husly_session=$SESSION" "$BASE$path")
    ALONE[$name]="first ${first#* } s, again $again s"
    BYTES[$name]=$(wc -c <"$WORK/page.html")
    log "GET $path alone: ${ALONE[$name]}, ${BYTES[$name]} bytes"
done
SHOWN[list]="50 of $REACHED households"
SHOWN[deep]="50 from $MIDDLE"
SHOWN[household]="one of $(wc -l <"$IDS_FILE") sampled"
PATHS[household]="/partner/households/{id}"

# --- the runs ---------------------------------------------------------------------------------
bench_meters
bench_runs
PEAK=$(hwm_mib)
AUDITED=$(sql "SELECT COUNT(*) FROM access_entry WHERE action = 'partner.household_view'")

# --- results ----------------------------------------------------------------------------------
summary() {
    echo "husly partner's door (consents in force) — backend $BACKEND, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "binary $BIN${HUSLY_BIN:+ (HUSLY_BIN)}; working tree at $(git -C "$ROOT" rev-parse --short HEAD)$([[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no) ]] && echo ' +local changes')"
    echo "machine: $(nproc) CPUs shared by the server, wrk$([[ $BACKEND == postgres ]] && echo ', PostgreSQL') and whatever else runs"
    [[ $BACKEND == postgres ]] && echo "postgres: $(sql 'SHOW server_version') on the same machine"
    echo "uptime at start: $UPTIME_START"
    echo
    echo "seed:      husly seed --households $HOUSEHOLDS --seed 1, ${SEED_S} s ($ALL_CONSENTS seeded consents)"
    echo "consents:  the bench partner's organisation has consents in force from $REACHED households"
    echo "           ($HAD seeded, the rest inserted by SQL, see the script)"
    echo "audited:   $AUDITED partner.household_view entries, each naming the consents relied on"
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
