#!/usr/bin/env bash
# How the cost of the hot pages grows with the size of the municipality: runs bench/load.sh for
# the household page, the name search and the work queue at several household counts on both
# backends (64 clients, then one client), then tabulates the results and draws them as an SVG.
#
#   bench/scaling.sh [sizes="10000 100000 1000000"] [duration=10s]
#
# Environment:
#   HUSLY_BIN            the binary to measure (default: cargo build --release -p husly)
#   SCALING_BACKENDS     default "sqlite postgres"
#   SCALING_CASE_PERCENT share of households seeded with a case, the same at every size so that
#                        the work queue grows with the rest (default 20)
#   SCALING_TAG          names the run's files (default: today's date)
# Everything else (BENCH_PG_URL, BENCH_CONFIG, ...) is passed on to bench/load.sh.
#
# Results: bench/results/scaling-<tag>/<backend>-<households>.txt (load.sh's files),
# bench/results/scaling-<tag>.md (the table) and bench/results/scaling-<tag>.svg (the chart).
set -euo pipefail

SIZES=${1:-"10000 100000 1000000"}
DURATION=${2:-10s}
BACKENDS=${SCALING_BACKENDS:-"sqlite postgres"}
TAG=${SCALING_TAG:-$(date +%Y-%m-%d)}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT="$BENCH_DIR/results/scaling-$TAG"
mkdir -p "$OUT"

if [[ -z ${HUSLY_BIN:-} ]]; then
    (cd "$ROOT" && cargo build --release -p husly --quiet)
    HUSLY_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/husly"
fi
export HUSLY_BIN

for backend in $BACKENDS; do
    for households in $SIZES; do
        echo "[scaling $(date +%H:%M:%S)] $backend, $households households" >&2
        BENCH_RESULTS_DIR="$OUT" BENCH_TAG="$households" \
            BENCH_ENDPOINTS="household search queue" \
            BENCH_CASE_PERCENT="${SCALING_CASE_PERCENT:-20}" \
            "$BENCH_DIR/load.sh" "$backend" "$households" "$DURATION" >/dev/null
        # load.sh names its file after the day; give it a name that does not depend on it.
        mv "$(ls -t "$OUT/$backend"-*-"$households".txt | head -n1)" "$OUT/$backend-$households.txt"
    done
done

python3 "$BENCH_DIR/scaling_chart.py" "$OUT" "$BENCH_DIR/results/scaling-$TAG"
echo "[scaling] table: bench/results/scaling-$TAG.md, chart: bench/results/scaling-$TAG.svg" >&2
