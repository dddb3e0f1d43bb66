#!/usr/bin/env python3
"""The work queue's counts of "mine" and "unassigned" on SQLite, through the index of all open
cases (schema 45) and through the open cases by assignee (schema 46); and what a page of the open
cases costs by how deep it lies.

    python3 bench/queue_counts_sql.py husly.db [rounds=3]

husly.db: a seeded database migrated to schema 46 or later. Times the capped count
(`husly_store::cases::queue`, `count_sql`) of three caseworkers' own open cases (one with none,
the one with the fewest cases and the one with the most) and of the unassigned, each read
through either index (`INDEXED BY`, as the store names it), and checks that both count the same.
These counts are made again at the first queue view after any change to a case of the
municipality (`husly_usecases::cases::queue_counts`). Then the ids of a page of the open cases in
the deadline order at the offsets of pages 1, 50 and 100 (as `page_sql` builds it; the load
benchmark's bench/queue.lua asks for pages 1 to 100).
"""
import sqlite3
import sys
import time

OPEN = ("c.state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', "
        "'forwarded_to_appeal_body')")
CAP = 1000
INDEXES = ["application_case_open_due", "application_case_open_assigned"]
REPEAT = 50


def main():
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    municipality, open_cases = db.execute(
        f"SELECT c.municipality_id, COUNT(*) FROM application_case c WHERE {OPEN} "
        "GROUP BY c.municipality_id ORDER BY 2 DESC LIMIT 1").fetchone()
    by_assignee = db.execute(
        f"SELECT c.assigned_to, COUNT(*) FROM application_case c WHERE c.municipality_id = ? AND {OPEN} "
        "AND c.assigned_to IS NOT NULL GROUP BY 1 ORDER BY 2", (municipality,)).fetchall()
    filters = [("mine, a caseworker with no cases", "c.assigned_to = '00000000-0000-7000-8000-000000000000'")]
    if by_assignee:
        fewest, most = by_assignee[0], by_assignee[-1]
        filters.append((f"mine, {fewest[1]} open cases", f"c.assigned_to = '{fewest[0]}'"))
        filters.append((f"mine, {most[1]} open cases", f"c.assigned_to = '{most[0]}'"))
    filters.append(("unassigned", "c.assigned_to IS NULL"))
    print(f"{open_cases} open cases in the municipality, {len(by_assignee)} caseworkers with open cases")

    def count(index, condition):
        return db.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 AS one FROM application_case c INDEXED BY {index} "
            f"WHERE c.municipality_id = '{municipality}' AND {OPEN} AND {condition} LIMIT {CAP}) capped"
        ).fetchone()[0]

    for name, condition in filters:
        counts = {count(index, condition) for index in INDEXES}
        assert len(counts) == 1, (name, counts)
        timings = []
        for _ in range(rounds):
            for index in INDEXES:
                start = time.perf_counter()
                for _ in range(REPEAT):
                    count(index, condition)
                timings.append((index, (time.perf_counter() - start) / REPEAT * 1000))
        def span(index):
            ms = [t for i, t in timings if i == index]
            return f"{index}: {min(ms):.3f}–{max(ms):.3f} ms"

        shown = ", ".join(span(index) for index in INDEXES)
        print(f"{name} (count {counts.pop()}): {shown}")

    for page in [1, 50, 100]:
        offset = (page - 1) * 50
        sql = (f"SELECT c.id FROM application_case c INDEXED BY application_case_open_due "
               f"WHERE c.municipality_id = '{municipality}' AND {OPEN} ORDER BY c.due_order, c.id "
               f"LIMIT 50 OFFSET {offset}")
        timings = []
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(REPEAT):
                db.execute(sql).fetchall()
            timings.append((time.perf_counter() - start) / REPEAT * 1000)
        print(f"open cases, deadline order, page {page} (offset {offset}): "
              f"{min(timings):.3f}–{max(timings):.3f} ms")


if __name__ == "__main__":
    main()
