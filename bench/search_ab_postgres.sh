#!/usr/bin/env bash
# The search and address pages at 1 000 000 households on PostgreSQL, before and after an upgrade:
# BIN_A seeds the database husly_s1m (DROPPED and recreated on 127.0.0.1) and is measured, then
# BIN_B starts on the same database (migrating it) and is measured.
#
#   bench/search_ab_postgres.sh BIN_A BIN_B [households=1000000] [duration=10s]
set -euo pipefail
A=$1; B=$2; N=${3:-1000000}; DUR=${4:-10s}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DB=husly_s1m; URL=postgres://postgres@127.0.0.1:5432/$DB
psql postgres://postgres@127.0.0.1:5432/postgres -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
dir=/tmp/pg1m; rm -rf $dir; mkdir -p $dir
t0=$(date +%s); HUSLY_DATA_DIR=$dir HUSLY_DATABASE_URL=$URL $A seed --households $N --seed 1 --case-percent 20 >$dir/seed.log 2>&1; echo "seed: $(( $(date +%s)-t0 )) s"
printf 'ab-password-123456\n' | HUSLY_DATA_DIR=$dir HUSLY_DATABASE_URL=$URL $A user add --municipality 9999 --email ab@bench.invalid --role caseworker --name "AB" --password-stdin >/dev/null 2>&1
psql $URL -qAt -c "CHECKPOINT"
for side in A B; do
  bin=${!side}
  t0=$(date +%s.%N)
  HUSLY_DATA_DIR=$dir HUSLY_DATABASE_URL=$URL HUSLY_LANG=en $bin serve --addr 127.0.0.1:0 >$dir/serve-$side.out 2>$dir/serve-$side.log &
  PID=$!
  for _ in $(seq 6000); do BASE=$(sed -n '1s|^husly listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' $dir/serve-$side.out 2>/dev/null); [[ -n $BASE ]] && break; sleep 0.1; done
  echo "$side listening after $(awk -v a=$t0 -v b=$(date +%s.%N) 'BEGIN{printf "%.1f", b-a}') s"
  for _ in $(seq 900); do sed 's/\x1b\[[0-9;]*m//g' $dir/serve-$side.log | grep -q 'job="approval_expiry"' && break; sleep 0.2; done
  sleep 2
  page=$(curl -sS -D $dir/l.h "$BASE/login")
  csrf=$(printf '%s' "$page" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
  cc=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_csrf=\([^;]*\).*/\1/p' $dir/l.h | head -n1 | tr -d '\r')
  curl -sS -o /dev/null -D $dir/s.h -b "husly_csrf=$cc" --data-urlencode "csrf=$csrf" --data-urlencode "email=ab@bench.invalid" --data-urlencode "password=ab-password-123456" "$BASE/login"
  export BENCH_SESSION=$(sed -n 's/^[Ss]et-[Cc]ookie: husly_session=\([^;]*\).*/\1/p' $dir/s.h | head -n1 | tr -d '\r') BENCH_DIR=$PWD/bench BENCH_NAME=search
  curl -sS -b "husly_session=$BENCH_SESSION" "$BASE/search?q=kari%20blom" | grep -o 'role="status">[^<]*' | head -2
  curl -sS -b "husly_session=$BENCH_SESSION" "$BASE/search?q=ola" | grep -o 'role="status">[^<]*' | head -2
  for script in search address; do
    wrk -t2 -c8 -d3s -s bench/$script.lua $BASE >/dev/null 2>&1 || true
    out=$(wrk -t2 -c64 -d$DUR --latency -s bench/$script.lua $BASE 2>&1 | grep '^BENCH')
    one=$(wrk -t1 -c1 -d5s --latency -s bench/$script.lua $BASE 2>&1 | grep '^BENCH')
    echo "$side $script 64: $(grep -o 'rps=[0-9.]*\|p50_ms=[0-9.]*\|p99_ms=[0-9.]*\|errors_status=[0-9]*' <<<"$out" | tr '\n' ' ')"
    echo "$side $script 1:  $(grep -o 'rps=[0-9.]*\|p50_ms=[0-9.]*\|p99_ms=[0-9.]*' <<<"$one" | tr '\n' ' ')"
  done
  kill $PID; wait $PID 2>/dev/null || true
done
