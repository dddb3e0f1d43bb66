#!/usr/bin/env python3
"""The work queue's page of 50 rows on SQLite, three ways, on a COPY of a seeded database at
schema 48 (it adds two tables to the file):

  as the queue read it before schema 49 (the household, its main applicant and the protection
  probe joined for each row), with the household's part from one row per household (schema 49's
  household_display), and with every column from one row per case; and the walk to the page's
  ids alone.

Each statement runs on 300 random pages 1-100 of the open cases with a 512 KiB page cache (as the
server's connections have), emptied before each run (`PRAGMA shrink_memory`), three rounds.

    cp husly.db /tmp/copy.db && python3 bench/queue_rows_sql.py /tmp/copy.db

docs/benchmarks.md, "The work queue's households in one row each".
"""
import random
import sqlite3
import statistics
import sys
import time

con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA cache_size=-512")
municipality = con.execute("SELECT municipality_id FROM application_case LIMIT 1").fetchone()[0]
OPEN = "c.state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body')"
PAGE = (
    f"SELECT c.id FROM application_case c INDEXED BY application_case_open_due "
    f"WHERE c.municipality_id = '{municipality}' AND {OPEN} ORDER BY c.due_order, c.id LIMIT 50 OFFSET ?"
)
PROTECTED = (
    "EXISTS (SELECT 1 FROM household_member pm JOIN address_protection pa ON pa.municipality_id = pm.municipality_id "
    "AND pa.person_id = pm.person_id WHERE pm.municipality_id = h.municipality_id AND pm.household_id = h.id)"
)
MAIN_APPLICANT = (
    "LEFT JOIN household_member m ON m.municipality_id = h.municipality_id AND m.household_id = h.id "
    "AND m.relation = 'main_applicant' LEFT JOIN person p ON p.id = m.person_id"
)
BEFORE = (
    f"SELECT c.id, c.reference, c.case_type, c.state, c.received_on, c.next_due, u.display_name, h.address_line, "
    f"p.given_name, p.family_name, {PROTECTED} FROM ({PAGE}) page JOIN application_case c ON c.id = page.id "
    f"JOIN household h ON h.id = c.household_id {MAIN_APPLICANT} LEFT JOIN app_user u ON u.id = c.assigned_to "
    f"ORDER BY c.due_order, c.id"
)
if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'q_household'").fetchone():
    con.execute(
        "CREATE TABLE q_household (household_id TEXT PRIMARY KEY, address_line TEXT, given_name TEXT, "
        "family_name TEXT, address_protected INT) WITHOUT ROWID"
    )
    con.execute(
        f"INSERT INTO q_household SELECT h.id, h.address_line, p.given_name, p.family_name, {PROTECTED} "
        f"FROM household h {MAIN_APPLICANT}"
    )
    con.execute(
        "CREATE TABLE q_case (case_id TEXT PRIMARY KEY, reference TEXT, case_type TEXT, state TEXT, received_on TEXT, "
        "next_due TEXT, due_order TEXT, assigned_to TEXT, address_line TEXT, given_name TEXT, family_name TEXT, "
        "address_protected INT) WITHOUT ROWID"
    )
    con.execute(
        "INSERT INTO q_case SELECT c.id, c.reference, c.case_type, c.state, c.received_on, c.next_due, c.due_order, "
        "c.assigned_to, d.address_line, d.given_name, d.family_name, d.address_protected "
        "FROM application_case c JOIN q_household d ON d.household_id = c.household_id"
    )
    con.commit()
PER_HOUSEHOLD = (
    f"SELECT c.id, c.reference, c.case_type, c.state, c.received_on, c.next_due, u.display_name, d.address_line, "
    f"d.given_name, d.family_name, d.address_protected FROM ({PAGE}) page JOIN application_case c ON c.id = page.id "
    f"JOIN q_household d ON d.household_id = c.household_id LEFT JOIN app_user u ON u.id = c.assigned_to "
    f"ORDER BY c.due_order, c.id"
)
PER_CASE = (
    f"SELECT q.case_id, q.reference, q.case_type, q.state, q.received_on, q.next_due, u.display_name, q.address_line, "
    f"q.given_name, q.family_name, q.address_protected FROM ({PAGE}) page JOIN q_case q ON q.case_id = page.id "
    f"LEFT JOIN app_user u ON u.id = q.assigned_to ORDER BY q.due_order, q.case_id"
)
for sql in (PER_HOUSEHOLD, PER_CASE):
    assert con.execute(BEFORE, (100,)).fetchall() == con.execute(sql, (100,)).fetchall(), "the same rows"


def median_ms(sql, offsets):
    times = []
    for offset in offsets:
        con.execute("PRAGMA shrink_memory")
        start = time.perf_counter()
        con.execute(sql, (offset,)).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


random.seed(1)
offsets = [random.randrange(100) * 50 for _ in range(300)]
for round_ in range(1, 4):
    for name, sql in (("before", BEFORE), ("a row per household", PER_HOUSEHOLD),
                      ("a row per case", PER_CASE), ("the page's ids alone", PAGE)):
        print(f"round {round_}: {name}: median {median_ms(sql, offsets):.3f} ms")
