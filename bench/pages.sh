#!/usr/bin/env bash
# One request per page and role on a seeded PostgreSQL database: which pages grow with the
# municipality (docs/benchmarks.md). Not a load run: each page is opened once by a caseworker,
# a housing manager and a leader (each a fresh user), and the status, seconds and bytes printed.
#
#   bench/pages.sh HOUSEHOLDS [page …]
#
# BENCH_SEED=1 (default) drops and seeds the database husly_bench first (`husly seed
# --households HOUSEHOLDS --seed 1 --case-percent 20`, as bench/scaling.sh, then waits for the
# start-up jobs); BENCH_SEED=0 uses the one there (BENCH_JOBS=1: and waits for the start-up jobs,
# when today's runs were forgotten first). Without pages: the municipality-wide pages.
# Environment of bench/lib.sh: HUSLY_BIN, BENCH_PG_URL, BENCH_KEEP=1.
set -euo pipefail
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || { echo "usage: $0 HOUSEHOLDS [page …]" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

HOUSEHOLDS=$1
shift
PAGES=("$@")
((${#PAGES[@]} > 0)) || PAGES=(/allocation /waiting-list /outreach /tenancies/ledger /equity /kostra
    /referrals /stays /allocation/stock /dwellings)
ROLES=(caseworker housing_manager leader)

bench_binary
bench_workdir pages
if [[ ${BENCH_SEED:-1} == 1 ]]; then
    bench_database postgres
    log "seeding $HOUSEHOLDS households"
    start=$(date +%s)
    "$BIN" seed --households "$HOUSEHOLDS" --seed 1 --case-percent 20 >"$WORK/seed.out" 2>"$WORK/seed.log" ||
        { cat "$WORK/seed.log" >&2; die "husly seed failed"; }
    log "seeded in $(($(date +%s) - start)) s"
else
    export HUSLY_DATABASE_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}/husly_bench"
fi

declare -A EMAILS=() PASSWORDS=() SESSIONS=()
for role in "${ROLES[@]}"; do
    EMAILS[$role]="pages-$role-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')@bench.invalid"
    bench_user "$role" "${EMAILS[$role]}" "Pages $role"
    PASSWORDS[$role]=$PASSWORD
done
bench_serve
[[ ${BENCH_SEED:-1} == 1 || ${BENCH_JOBS:-0} == 1 ]] && bench_wait_for_startup_jobs
for role in "${ROLES[@]}"; do
    bench_login "${EMAILS[$role]}" "${PASSWORDS[$role]}"
    SESSIONS[$role]=$SESSION
done

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $HOUSEHOLDS households, PostgreSQL, $("$BIN" --version 2>/dev/null || echo husly)"
echo "# $(bench_uptime)"
echo "# page role status seconds bytes"
for page in "${PAGES[@]}"; do
    for role in "${ROLES[@]}"; do
        result=$(curl -s -o /dev/null -m 600 -w '%{http_code} %{time_total} %{size_download}' \
            -b "husly_session=${SESSIONS[$role]}" "$BASE$page")
        echo "$page $role $result"
    done
done
