#!/usr/bin/env python3
"""The action plan's case indicators, year by year, computed by DuckDB over a Husly export.

    python3 bench/dashboard_duckdb.py export.jsonl TODAY FIRST_YEAR LAST_YEAR [trends.jsonl]

Loads the application_case and case_decision rows of the archive into DuckDB tables, then
computes, for every year from FIRST_YEAR to LAST_YEAR, the built-in case indicators of
rules/indicators.toml (the stay indicators and the "now" waiting-list figures are left out) with
the same definitions as husly_domain::indicators. Prints the load time, the query time (best of
five) and the figures; given Husly's goal dashboards (one JSON answer of
GET /api/v1/action-plans/{plan}/goals/{goal} per line), it checks that every year's value agrees.
Bench only: DuckDB comes from PyPI and is no dependency of Husly.
"""
import json
import sys
import time

import duckdb

path, today, first_year, last_year = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

started = time.perf_counter()
# The two tables as CSV files beside the archive, read by DuckDB's own CSV reader.
import csv
import os

case_csv, decision_csv = path + ".cases.csv", path + ".decisions.csv"
cases = decisions = 0
with open(path, encoding="utf-8") as archive, open(case_csv, "w", newline="") as cf, open(
    decision_csv, "w", newline=""
) as df:
    case_out, decision_out = csv.writer(cf), csv.writer(df)
    case_out.writerow(["id", "case_type", "state", "received_on", "decided_on", "interim_due", "interim_sent_on",
                       "existing_tenant", "children"])
    decision_out.writerow(["case_id", "outcome", "status", "sent_at", "id", "on_appeal"])
    for line in archive:
        if '"table":"application_case"' in line:
            row = json.loads(line)["row"]
            case_out.writerow([row["id"], row["case_type"], row["state"], row["received_on"], row["decided_on"],
                               row["interim_due"], row["interim_sent_on"], row["existing_tenant"], row["children"]])
            cases += 1
        elif '"table":"case_decision"' in line:
            row = json.loads(line)["row"]
            decision_out.writerow([row["case_id"], row["outcome"], row["status"], row["sent_at"], row["id"],
                                   row["on_appeal"]])
            decisions += 1
db = duckdb.connect()
db.execute(
    f"CREATE TABLE c AS SELECT * FROM read_csv('{case_csv}', header = true, columns = {{'id': 'TEXT', "
    "'case_type': 'TEXT', 'state': 'TEXT', 'received_on': 'DATE', 'decided_on': 'DATE', 'interim_due': 'DATE', "
    "'interim_sent_on': 'DATE', 'existing_tenant': 'BOOLEAN', 'children': 'BIGINT'})"
)
db.execute(
    f"CREATE TABLE d AS SELECT * FROM read_csv('{decision_csv}', header = true, columns = {{'case_id': 'TEXT', "
    "'outcome': 'TEXT', 'status': 'TEXT', 'sent_at': 'BIGINT', 'id': 'TEXT', 'on_appeal': 'BOOLEAN'})"
)
os.remove(case_csv)
os.remove(decision_csv)
loaded = time.perf_counter() - started

# The first decision sent (not on appeal) of each case gives its outcome, as the store's
# case_facts query does.
QUERY = f"""
WITH first AS (
  SELECT case_id, arg_min(outcome, (sent_at, id)) AS outcome FROM d
  WHERE status = 'sent' AND NOT on_appeal GROUP BY case_id
), f AS (
  SELECT c.*, first.outcome,
         year(received_on) AS received_year, year(decided_on) AS decided_year,
         outcome IN ('granted', 'partly_granted') AS granted,
         -- least() passes over a missing date: the first answer, or today when none came.
         interim_due IS NOT NULL AND coalesce(least(interim_sent_on, decided_on), DATE '{today}') > interim_due
           AS interim_missed
  FROM c LEFT JOIN first ON first.case_id = c.id
), years AS (SELECT range AS y FROM range({first_year}, {last_year + 1}))
SELECT y,
  (SELECT count(*) FROM f WHERE case_type = 'municipal_housing' AND received_year = y AND NOT existing_tenant),
  (SELECT round(100.0 * count(*) FILTER (WHERE outcome = 'refused') / nullif(count(*), 0), 2) FROM f
     WHERE case_type = 'municipal_housing' AND decided_year = y AND decided_on IS NOT NULL AND NOT existing_tenant),
  (SELECT median(decided_on - received_on) FROM f WHERE decided_year = y),
  (SELECT count(*) FROM f WHERE received_year = y AND interim_missed),
  (SELECT count(*) FROM f WHERE case_type = 'section6_assistance' AND decided_year = y AND granted),
  (SELECT count(*) FROM f WHERE case_type = 'startlan' AND decided_year = y AND granted),
  (SELECT count(*) FROM f WHERE case_type = 'startlan' AND decided_year = y AND granted AND children > 0),
  (SELECT count(*) FROM f WHERE case_type IN ('establishment_grant', 'adaptation_grant') AND decided_year = y AND granted)
FROM years ORDER BY y
"""
best = None
for _ in range(5):
    began = time.perf_counter()
    rows = db.execute(QUERY).fetchall()
    took = time.perf_counter() - began
    best = took if best is None else min(best, took)

print(f"duckdb {duckdb.__version__}: {cases} cases, {decisions} decisions; load {loaded:.2f} s; "
      f"query best of 5 {best * 1000:.1f} ms")
print("year new_housing refused_share median_days interim_missed section6 startlan startlan_families grants")
for row in rows:
    print(" ".join("-" if v is None else str(v) for v in row))

KEYS = ["housing_applications_new", "housing_refused_share", "median_days_to_decision", "interim_answers_missed",
        "section6_granted", "startlan_granted", "startlan_granted_families", "grants_granted"]
if len(sys.argv) > 5:
    husly = {}
    with open(sys.argv[5], encoding="utf-8") as answers:
        for line in answers:
            if line.strip():
                for trend in json.loads(line)["indicators"]:
                    key = trend["indicator"]["definition"]
                    husly[key] = {p["year"]: float(p["value"]) for p in trend["points"]}
    differences = []
    compared = 0
    for row in rows:
        year = row[0]
        for key, value in zip(KEYS, row[1:]):
            # Only the years a dashboard shows (the plan's span), and values on both sides.
            if key not in husly or year not in husly[key] and value is not None and year < min(husly[key], default=year):
                continue
            theirs = husly[key].get(year)
            if value is None and theirs is None:
                continue
            compared += 1
            if value is None or theirs is None or abs(float(value) - theirs) > 0.01:
                differences.append(f"{key} {year}: duckdb {value}, husly {theirs}")
    verdict = "all agree" if not differences else f"{len(differences)} differ: " + "; ".join(differences[:10])
    print(f"compared with Husly's dashboards: {compared} values, {verdict}")
