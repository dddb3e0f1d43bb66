#!/usr/bin/env bash
# A/B of two husly binaries on the search page (or another bench/*.lua page), SQLite: each on its
# own copy of one seeded database, alternating rounds of 64 clients (req/s, p99, the server's CPU
# per request) and one client (p50). Seed first with `husly seed --households N --seed 1`.
#
#   bench/search_ab.sh BIN_A BIN_B SEEDED_DIR [rounds=3] [duration=10s] [script=search]
#
# The copies go to /tmp/ab-A and /tmp/ab-B; the user ab@bench.invalid is added to each.
set -euo pipefail
A=$1; B=$2; SEEDED=$3; ROUNDS=${4:-3}; DUR=${5:-10s}; SCRIPT=${6:-search}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start() { # bin dir -> sets BASE PID SESSION
  local bin=$1 dir=$2
  HUSLY_DATA_DIR=$dir HUSLY_DATABASE_URL="sqlite://$dir/husly.db" HUSLY_LANG=en "$bin" serve --addr 127.0.0.1:0 >$dir/serve.out 2>$dir/serve.log &
  PID=$!
  for _ in $(seq 600); do BASE=$(sed -n '1s|^husly listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' $dir/serve.out 2>/dev/null); [[ -n $BASE ]] && break; sleep 0.1; done
  for _ in $(seq 100); do sed 's/\x1b\[[0-9;]*m//g' $dir/serve.log | grep -q 'job="approval_expiry"' && break; sleep 0.2; done
  sleep 2
  local page; page=$(curl -sS -D $dir/l.h "$BASE/login")
  local csrf; csrf=$(printf '%s' "$page" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
  local cc; cc=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_csrf=\([^;]*\).*/\1/p' $dir/l.h | head -n1 | tr -d '\r')
  curl -sS -o /dev/null -D $dir/s.h -b "husly_csrf=$cc" --data-urlencode "csrf=$csrf" --data-urlencode "email=ab@bench.invalid" --data-urlencode "password=ab-password-123456" "$BASE/login"
  SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_session=\([^;]*\).*/\1/p' $dir/s.h | head -n1 | tr -d '\r')
}
for side in A B; do
  dir=/tmp/ab-$side; rm -rf $dir; mkdir -p $dir; cp $SEEDED/husly.db $dir/
  bin=${!side}
  printf 'ab-password-123456\n' | HUSLY_DATA_DIR=$dir HUSLY_DATABASE_URL="sqlite://$dir/husly.db" "$bin" user add --municipality 9999 --email ab@bench.invalid --role caseworker --name "AB" --password-stdin >/dev/null 2>&1 || true
done
for r in $(seq $ROUNDS); do
  for side in A B; do
    dir=/tmp/ab-$side; bin=${!side}
    start $bin $dir
    export BENCH_SESSION=$SESSION BENCH_DIR=$PWD/bench BENCH_NAME=$SCRIPT
    wrk -t2 -c8 -d3s -s bench/$SCRIPT.lua $BASE >/dev/null 2>&1 || true
    t0=$(awk '{print $14+$15}' /proc/$PID/stat)
    out=$(wrk -t2 -c64 -d$DUR --latency -s bench/$SCRIPT.lua $BASE 2>&1 | grep '^BENCH')
    t1=$(awk '{print $14+$15}' /proc/$PID/stat)
    rps=$(sed 's/.* rps=\([0-9.]*\).*/\1/' <<<"$out"); p99=$(sed 's/.* p99_ms=\([0-9.]*\).*/\1/' <<<"$out"); reqs=$(sed 's/.* requests=\([0-9]*\).*/\1/' <<<"$out")
    cpu=$(awk -v a=$t0 -v b=$t1 -v n=$reqs 'BEGIN{printf "%.3f", (b-a)*10/n}')
    one=$(wrk -t1 -c1 -d3s --latency -s bench/$SCRIPT.lua $BASE 2>&1 | grep '^BENCH' | sed 's/.* p50_ms=\([0-9.]*\).*/\1/')
    echo "round $r $side: rps=$rps p99=$p99 cpu_ms/req=$cpu one-client-p50=$one"
    kill $PID; wait $PID 2>/dev/null || true
  done
done
