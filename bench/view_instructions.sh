#!/usr/bin/env bash
# The server's instructions for one view of each of some pages, counted by valgrind's callgrind:
# the same figure on every run of the same binary and database, however busy the machine is
# (the load benchmarks' figures move by ±15 % from round to round here). Each page is asked for
# three times to warm up, then COUNT times with the count on; the result is the count over
# COUNT. Only the server's own instructions count (not the kernel's, not the database server's on
# PostgreSQL); use it to compare two ways of doing one thing, not as a time.
#
#   bench/view_instructions.sh BIN SEEDED_DB COUNT PATH...
#
# SEEDED_DB is a SQLite database from `husly seed` (its access log file beside it); it is copied,
# the copy's start-up jobs run once without valgrind, then the server runs under callgrind,
# signed in as a caseworker. PATH is a page's path with its query, e.g. '/cases?filter=open'.
# `bench/view_instructions.sh --queue-places SEEDED_DB PAGE...` prints, for each PAGE number, the
# place (`after=`) that the work queue's open cases in the deadline order start that page from.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
source "$BENCH_DIR/lib.sh"

if [[ ${1:-} == --queue-places ]]; then
    shift
    db=$1
    shift
    python3 - "$db" "$@" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
(m,) = db.execute("SELECT id FROM municipality WHERE number = '9999'").fetchone()
closed = "('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body')"
rows = db.execute(
    f"SELECT due_order, id FROM application_case WHERE municipality_id = ? AND state NOT IN {closed} "
    "ORDER BY due_order, id", (m,)).fetchall()
for page in map(int, sys.argv[2:]):
    key, case = rows[(page - 1) * 50 - 1]
    print(f"{key}_{case}")
PY
    exit 0
fi

[[ $# -ge 4 ]] || { echo "usage: $0 BIN SEEDED_DB COUNT PATH..." >&2; exit 2; }
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || die "valgrind (callgrind) is needed"
BIN=$1
SEEDED=$2
COUNT=$3
shift 3
[[ -s $SEEDED && -s $SEEDED-access ]] || die "no seeded database (with its -access file) at $SEEDED"

bench_workdir view-instructions
cp "$SEEDED" "$WORK/husly.db"
cp "$SEEDED-access" "$WORK/husly.db-access"
export HUSLY_DATABASE_URL="sqlite://$WORK/husly.db"
bench_user caseworker instructions@bench.invalid "Instruction Counter"
# The day's start-up jobs first, at full speed: under valgrind they would take minutes.
bench_serve
bench_wait_for_startup_jobs
bench_stop_server

real_bin=$BIN
BIN="$WORK/under-callgrind.sh"
cat >"$BIN" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$WORK/callgrind.out.%p $real_bin "\$@"
EOF
chmod +x "$BIN"
bench_serve
BIN=$real_bin
bench_login instructions@bench.invalid "$PASSWORD"

view() { curl -sS -o /dev/null -w '%{http_code}' -b "husly_session=$SESSION" "$BASE$1"; }
for path in "$@"; do
    for _ in 1 2 3; do
        status=$(view "$path")
        [[ $status == 200 ]] || die "$path answered $status"
    done
    callgrind_control --zero "$SERVER_PID" >/dev/null 2>&1
    callgrind_control --instr=on "$SERVER_PID" >/dev/null 2>&1
    for _ in $(seq "$COUNT"); do view "$path" >/dev/null; done
    callgrind_control --instr=off "$SERVER_PID" >/dev/null 2>&1
    callgrind_control --dump "$SERVER_PID" >/dev/null 2>&1
    dump=$(ls -t "$WORK"/callgrind.out.*.* | head -n1)
    total=$(sed -n 's/^totals: //p' "$dump" | head -n1)
    mv "$dump" "$dump.counted"
    printf '%s\t%d instructions a view\n' "$path" "$((total / COUNT))"
done
