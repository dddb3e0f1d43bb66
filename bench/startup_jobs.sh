#!/usr/bin/env bash
# The server's start-up jobs on a seeded database, as on a municipality's first day with Husly
# (ten years of indicator snapshots to fill in): for each binary in turn, forgets the database's
# indicator snapshots and job runs, starts `husly serve`, waits for the last start-up job and
# reports the snapshot job's time (from its log line) and the server's peak memory (VmHWM).
# Alternating rounds, so that the machine's drift falls on both binaries alike.
#
#   bench/startup_jobs.sh DATABASE_URL BIN_A [BIN_B] [rounds=2]
#
# DATABASE_URL: a seeded database it may change: a SQLite file's sqlite:// URL, or the
# PostgreSQL database husly_bench on this machine (what bench/load.sh leaves after a run).
# Environment of bench/lib.sh: BENCH_KEEP=1 keeps the server logs.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 DATABASE_URL BIN_A [BIN_B] [rounds=2]" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

URL=$1
BINARIES=("$2")
if [[ -n ${3:-} ]]; then BINARIES+=("$3"); fi
ROUNDS=${4:-2}
case "$URL" in
sqlite://*)
    FILE=${URL#sqlite://}
    FILE=${FILE%%\?*}
    [[ -s $FILE ]] || die "no SQLite database at $FILE"
    sql() {
        python3 - "$FILE" "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=30)
con.executescript(sys.argv[2])
con.commit()
PY
    }
    ;;
postgres://* | postgresql://*)
    [[ $URL =~ ^postgres(ql)?://[^@/]*@?(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/husly_bench$ ]] ||
        die "only the loopback database husly_bench, e.g. postgres://postgres@127.0.0.1:5432/husly_bench"
    sql() { psql "$URL" -v ON_ERROR_STOP=1 -qAt -c "$1" >/dev/null; }
    ;;
*) die "DATABASE_URL must be sqlite://FILE or postgres://.../husly_bench" ;;
esac
for binary in "${BINARIES[@]}"; do [[ -x $binary ]] || die "no executable at $binary"; done

bench_workdir startup
export HUSLY_DATABASE_URL=$URL
bench_meters

for round in $(seq "$ROUNDS"); do
    for i in "${!BINARIES[@]}"; do
        BIN=${BINARIES[$i]}
        sql "DELETE FROM indicator_snapshot; DELETE FROM job_run;"
        started=$(date +%s.%N)
        bench_serve
        bench_wait_for_startup_jobs
        wait_idle
        took=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
        line=$(LC_ALL=C sed 's/\x1b\[[0-9;]*m//g' "$WORK/serve.log" | grep 'indicator snapshots taken' | tail -n1)
        echo "round $round binary $((i + 1)) ($BIN): snapshot job $(field elapsed_ms "$line") ms," \
            "values=$(field values "$line"), start-up jobs done and idle after ${took} s, peak RSS $(hwm_mib) MiB"
        bench_stop_server
    done
done
