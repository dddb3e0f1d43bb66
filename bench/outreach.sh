#!/usr/bin/env bash
# The bostøtte outreach batch over a large municipality: seeds a fresh database where every
# household rents a municipal dwelling without bostøtte, then runs `husly outreach bostotte`
# under /usr/bin/time and reports tenancies per second and the process's peak memory.
#
#   bench/outreach.sh sqlite|postgres [households=1050000]
#
# About 95 % of generated tenancies have started by the month used (2026-07), so the default
# gives a little over one million streamed tenancies.
#
# Environment:
#   HUSLY_BIN      use this binary instead of building `cargo build --release -p husly`
#   BENCH_PG_URL   PostgreSQL server (default postgres://postgres@127.0.0.1:5432); the database
#                  husly_bench_outreach on it is DROPPED and recreated.
#   BENCH_KEEP=1   keep the temporary directory
#   BENCH_RESULTS_DIR  where the results file goes (default bench/results)
set -euo pipefail

BACKEND=${1:-}
HOUSEHOLDS=${2:-1050000}
case "$BACKEND" in sqlite | postgres) ;; *) echo "usage: $0 sqlite|postgres [households]" >&2; exit 2 ;; esac
[[ "$HOUSEHOLDS" =~ ^[0-9]+$ && "$HOUSEHOLDS" -gt 0 ]] || { echo "households must be a positive number" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "${HUSLY_BIN:-}" ]]; then
    cargo build --release -p husly --manifest-path "$ROOT/Cargo.toml" >&2
    HUSLY_BIN="$ROOT/target/release/husly"
fi
WORK=$(mktemp -d)
[[ "${BENCH_KEEP:-}" == 1 ]] || trap 'rm -rf "$WORK"' EXIT

if [[ "$BACKEND" == postgres ]]; then
    PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS husly_bench_outreach" -c "CREATE DATABASE husly_bench_outreach" >/dev/null
    DB="$PG/husly_bench_outreach"
else
    DB="sqlite://$WORK/husly.db?mode=rwc"
fi
export HUSLY_DATABASE_URL=$DB HUSLY_DATA_DIR=$WORK

echo "seeding $HOUSEHOLDS households (all tenants, none with bostøtte) on $BACKEND ..." >&2
SEED_START=$(date +%s.%N)
"$HUSLY_BIN" seed --households "$HOUSEHOLDS" --tenant-percent 100 --bostotte-percent 0 >&2
SEED_S=$(echo "$(date +%s.%N) - $SEED_START" | bc)

run() {
    /usr/bin/time -f '%M %e' -o "$WORK/time.txt" "$HUSLY_BIN" outreach bostotte --municipality 9999 --month 2026-07 \
        --format "$1" >"$WORK/out.$1" 2>"$WORK/summary.txt"
    read -r KB SECONDS_TOTAL <"$WORK/time.txt"
    echo "$1: $(tail -1 "$WORK/summary.txt"); whole command ${SECONDS_TOTAL} s, peak RSS $((KB / 1024)) MiB"
}

RESULTS_DIR=${BENCH_RESULTS_DIR:-$ROOT/bench/results}
mkdir -p "$RESULTS_DIR"
RESULT="$RESULTS_DIR/outreach-$BACKEND-$(date +%F).txt"
{
    echo "bench/outreach.sh $BACKEND $HOUSEHOLDS on $(date -u +%FT%TZ), $(nproc) cores, $("$HUSLY_BIN" --version)"
    echo "seed: ${SEED_S} s"
    run csv
    run json
    echo "csv lines (header + households): $(wc -l <"$WORK/out.csv")"
} | tee "$RESULT"
