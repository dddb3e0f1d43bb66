#!/usr/bin/env bash
# The work queue's capped counts of "mine" and "unassigned" on PostgreSQL, planned and run with
# the open cases by assignee (schema 46) and without them (the index dropped in a transaction
# that is rolled back): which index PostgreSQL takes, the buffers it reads and the time.
#
#   bench/queue_counts_postgres.sh [database=husly_bench]
#
# The database: a seeded Husly database at schema 46 or later on 127.0.0.1:5432 (user postgres),
# e.g. the one bench/load.sh postgres leaves behind. The counts are those of
# `husly_store::cases::queue` (`count_sql`) for a caseworker with no cases, the caseworker with
# the most open cases (when the seed has assigned any) and the unassigned.
set -euo pipefail
DB=${1:-husly_bench}
psql() { command psql -X -q -At -U postgres -h 127.0.0.1 -d "$DB" "$@"; }
OPEN="c.state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body')"
M=$(psql -c "SELECT municipality_id FROM application_case c WHERE $OPEN GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
echo "open cases: $(psql -c "SELECT COUNT(*) FROM application_case c WHERE c.municipality_id = '$M' AND $OPEN")"
echo "assignees: $(psql -c "SELECT COUNT(DISTINCT assigned_to) || ' caseworkers, ' || COUNT(assigned_to) || ' assigned' FROM application_case c WHERE c.municipality_id = '$M' AND $OPEN")"
MOST=$(psql -c "SELECT assigned_to || ' ' || COUNT(*) FROM application_case c WHERE c.municipality_id = '$M' AND $OPEN AND assigned_to IS NOT NULL GROUP BY assigned_to ORDER BY COUNT(*) DESC LIMIT 1" || true)
count() {
  echo "SELECT COUNT(*) FROM (SELECT 1 AS one FROM application_case c WHERE c.municipality_id = '$M' AND $OPEN AND $1 LIMIT 1000) capped"
}
for filter in "c.assigned_to = '00000000-0000-7000-8000-000000000000'" "c.assigned_to = '${MOST%% *}'" "c.assigned_to IS NULL"; do
  [[ $filter == *"= ''"* ]] && continue
  echo "== $filter"
  for round in 1 2 3; do
    with=$(psql -c "EXPLAIN (ANALYZE, BUFFERS) $(count "$filter")" | grep -E "Index|Execution Time|Buffers" | head -4 | tr '\n' ' ')
    without=$(psql -c "BEGIN; DROP INDEX application_case_open_assigned; EXPLAIN (ANALYZE, BUFFERS) $(count "$filter"); ROLLBACK;" | grep -E "Index|Execution Time|Buffers" | head -4 | tr '\n' ' ')
    echo "  with the index:    $with"
    echo "  without the index: $without"
  done
done
