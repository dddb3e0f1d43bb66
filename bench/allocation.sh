#!/usr/bin/env bash
# Allocation rounds (issue 15): Husly's sparse optimal assignment against scipy's
# linear_sum_assignment on the same synthetic rounds, in the same run. For each size the release
# build of `crates/domain/examples/allocation_round.rs` generates the round (see
# `crates/domain/benches/allocation_instance.rs`), writes its edges, solves it several times and
# prints its total and times; `bench/allocation_scipy.py` (scipy and numpy from PyPI, in a
# virtualenv under target/, not a dependency of Husly) solves the dense matrix, checks that both
# totals are equal and prints the ratio Husly/scipy. Peak memory of each process comes from
# `/usr/bin/time -v` (Husly's includes the generated round and its edge list).
#
#   bench/allocation.sh [HOUSEHOLDSxDWELLINGS ...]      (default: 5000x500 50000x5000)
#
# Environment: BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(5000x500 50000x5000)

cargo build --release -q -p husly-domain --example allocation_round --manifest-path "$ROOT/Cargo.toml" >&2
ROUND="$TARGET/release/examples/allocation_round"
VENV="$TARGET/bench-venv"
if ! "$VENV/bin/python" -c "import scipy, numpy" 2>/dev/null; then
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install -q scipy numpy >&2
fi

WORK=$(mktemp -d)
trap '[[ "${BENCH_KEEP:-}" == 1 ]] || rm -rf "$WORK"' EXIT

peak_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, $(git -C "$ROOT" rev-parse --short HEAD), scipy $("$VENV/bin/python" -c 'import scipy; print(scipy.__version__)')"
status=0
for size in "${SIZES[@]}"; do
    households=${size%x*}
    dwellings=${size#*x}
    dir="$WORK/$size"
    mkdir -p "$dir"
    /usr/bin/time -v -o "$dir/husly.time" "$ROUND" "$households" "$dwellings" "$dir" >"$dir/husly.json"
    runs=5
    [[ $households -gt 10000 ]] && runs=1
    /usr/bin/time -v -o "$dir/scipy.time" "$VENV/bin/python" "$ROOT/bench/allocation_scipy.py" \
        "$households" "$dwellings" "$dir/edges.bin" "$dir/husly.json" "$runs" >"$dir/result.json" || status=1
    "$VENV/bin/python" - "$dir/result.json" "$(peak_mib "$dir/husly.time")" "$(peak_mib "$dir/scipy.time")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{r['households']} × {r['dwellings']}: {r['edges']} compatible pairs, {r['husly_pairs']} assigned")
print(f"  Husly  median {r['husly_median_s'] * 1000:9.1f} ms (best {r['husly_best_s'] * 1000:.1f} ms), peak RSS {sys.argv[2]} MiB, total {r['husly_total']}")
print(f"  scipy  median {r['scipy_median_s'] * 1000:9.1f} ms (best {r['scipy_best_s'] * 1000:.1f} ms, {r['scipy_runs']} runs; dense matrix built in {r['scipy_matrix_build_s'] * 1000:.0f} ms, not counted), peak RSS {sys.argv[3]} MiB, total {r['scipy_total']}")
print(f"  ratio Husly/scipy {r['ratio_median']:.4f}; totals equal: {'yes' if r['totals_equal'] else 'NO'}")
PY
done
exit $status
