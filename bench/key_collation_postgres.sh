#!/usr/bin/env bash
# Key lookups on PostgreSQL under two or more databases' collations of their id columns: the
# same prepared statements, executed N times in each database, in alternating rounds, reporting
# each statement's median and minimum execution time (EXPLAIN ANALYZE, TIMING OFF, so the
# measurement itself costs little).
#
#   bench/key_collation_postgres.sh [rounds=3] [executions=30] DB...
#
# Each DB a seeded Husly database on BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432),
# e.g. husly_bench at schema 46 and a copy of it (CREATE DATABASE … TEMPLATE husly_bench) migrated
# to schema 47. The statements are the hot pages' reads by key:
#   households_of  the search's households of 50 hits (about 100 index probes)
#   household      the household page's household, members and list probes
#   timeline       the household page's timeline
# Each database's ids are its own (a seed's ids differ from run to run), taken at the same places.
set -euo pipefail
ROUNDS=${1:-3}
EXECUTIONS=${2:-30}
shift 2 || { echo "usage: $0 [rounds] [executions] DB..." >&2; exit 2; }
[[ $# -ge 1 ]] || { echo "usage: $0 [rounds] [executions] DB..." >&2; exit 2; }
SERVER=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
sql() { psql "$SERVER/$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }

# The ids a database's statements look up (its largest municipality, 50 people, one household),
# taken at the same places of the id order in every database.
declare -A M PEOPLE HOUSEHOLD
for db in "$@"; do
    M[$db]=$(sql "$db" "SELECT municipality_id FROM household GROUP BY municipality_id ORDER BY count(*) DESC LIMIT 1")
    PEOPLE[$db]=$(sql "$db" "SELECT string_agg(quote_literal(person_id), ', ') FROM (SELECT person_id FROM household_member \
        WHERE municipality_id = '${M[$db]}' ORDER BY person_id LIMIT 50 OFFSET 20000) p")
    HOUSEHOLD[$db]=$(sql "$db" "SELECT id FROM household WHERE municipality_id = '${M[$db]}' ORDER BY id LIMIT 1 OFFSET 30000")
done

statements() {
    local m=${M[$1]} people=${PEOPLE[$1]} household=${HOUSEHOLD[$1]}
    cat <<EOF
PREPARE households_of(text) AS SELECT m.person_id, h.id, h.address_line FROM household_member m
    JOIN household h ON h.id = m.household_id
    WHERE m.municipality_id = \$1 AND m.person_id IN ($people) ORDER BY h.from_date DESC, h.id;
PREPARE household(text) AS SELECT h.address_line, h.postal_code, h.version, p.id, p.given_name, p.family_name,
    m.relation, pa.level AS protection,
    CASE WHEN EXISTS (SELECT 1 FROM application_case c WHERE c.municipality_id = '$m' AND c.household_id = \$1) THEN 1 ELSE 0 END AS has_0,
    CASE WHEN EXISTS (SELECT 1 FROM journal_note c WHERE c.municipality_id = '$m' AND c.household_id = \$1 AND c.case_id IS NULL) THEN 1 ELSE 0 END AS has_1,
    CASE WHEN EXISTS (SELECT 1 FROM representative c WHERE c.municipality_id = '$m' AND c.household_id = \$1) THEN 1 ELSE 0 END AS has_2,
    CASE WHEN EXISTS (SELECT 1 FROM temporary_stay c WHERE c.municipality_id = '$m' AND c.household_id = \$1) THEN 1 ELSE 0 END AS has_3
    FROM household h
    LEFT JOIN household_member m ON m.municipality_id = h.municipality_id AND m.household_id = h.id
    LEFT JOIN person p ON p.id = m.person_id
    LEFT JOIN address_protection pa ON pa.person_id = m.person_id
    WHERE h.id = \$1 AND h.municipality_id = '$m' ORDER BY m.position;
PREPARE timeline(text, text) AS SELECT e.id, e.kind, e.actor_user_id, u.display_name, e.reason, e.details, e.occurred_at
    FROM case_event e LEFT JOIN app_user u ON u.id = e.actor_user_id
    WHERE e.municipality_id = \$1 AND e.household_id = \$2 ORDER BY e.occurred_at DESC, e.id DESC LIMIT 200;
SET plan_cache_mode = force_generic_plan;
EOF
    for name in households_of household timeline; do
        case $name in
            households_of) call="households_of('$m')" ;;
            household) call="household('$household')" ;;
            timeline) call="timeline('$m', '$household')" ;;
        esac
        # Warm the buffers and the plan, then measure.
        echo "EXECUTE $call;"
        for _ in $(seq "$EXECUTIONS"); do
            echo "\\echo $name"
            echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) EXECUTE $call;"
        done
    done
}

for round in $(seq "$ROUNDS"); do
    for db in "$@"; do
        statements "$db" | psql "$SERVER/$db" -v ON_ERROR_STOP=1 -qAt 2>&1 |
            python3 -c '
import statistics, sys
times, name = {}, None
for line in sys.stdin:
    line = line.strip()
    if line in ("households_of", "household", "timeline"):
        name = line
    elif line.startswith("Execution Time:"):
        times.setdefault(name, []).append(float(line.split()[2]))
for name, values in sorted(times.items()):
    print(f"round {sys.argv[1]} {sys.argv[2]} {name}: median {statistics.median(values):.3f} min {min(values):.3f} ms ({len(values)})")
' "$round" "$db"
    done
done
