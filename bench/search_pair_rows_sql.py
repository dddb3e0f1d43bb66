#!/usr/bin/env python3
"""The people ranking's candidate query alone, schema 47 against schema 48 (issue 13).

    python3 bench/search_pair_rows_sql.py OLD.db NEW.db

OLD.db: a seeded husly.db at schema 47 (pair tokens in FTS5, `person_pairs_fts`); NEW.db: a copy
migrated to schema 48 (`person_search_pair`). Runs the 60 queries of bench/search.lua three times
on each, alternately twice, with a 512 KiB page cache as the server's connections have, and
prints the mean time of the statement that reads the candidates and how many it read. Python's
own SQLite and row objects are in the figures on both sides alike.
"""
import sqlite3
import sys
import time

GIVEN = ["ola", "kari", "per", "anne", "jon", "ingrid", "lars", "sofie", "ahmed", "fatima", "nora", "emil"]
FAMILY = ["blom", "fjell", "sols", "havø", "bjørk", "lyng", "sølv", "tytte", "nord", "elve",
          "furu", "multe", "snøu", "lauv", "skjær", "vinter", "bekk", "kveld", "rype", "sand"]


def pair_prefix(a, b):
    """husly_domain::search::SearchQuery::pair_prefix for two words of three letters or more."""
    by_length = sorted([b, a], key=lambda w: -len(w))
    return by_length[1][:3] + "_" + by_length[0]


def bench(path, new):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.execute("PRAGMA cache_size = -512")
    (m,) = con.execute("SELECT id FROM municipality WHERE number = '9999'").fetchone()
    queries = [(GIVEN[i % 12], FAMILY[(i * 7) % 20]) for i in range(60)]
    total, runs, read = 0.0, 0, 0
    for _ in range(3):
        for a, b in queries:
            pair = pair_prefix(a, b)
            if new:
                sql = ("SELECT DISTINCT s.person_id, s.sort_key, s.words FROM person_search_pair s "
                       "WHERE s.municipality_id = ? AND s.pair >= ? AND s.pair < ? "
                       "AND ' ' || s.words LIKE ? AND ' ' || s.words LIKE ? LIMIT 1001")
                args = (m, pair, pair + chr(0x10FFFF), f"% {a}%", f"% {b}%")
            else:
                sql = ("SELECT s.person_id, s.sort_key, s.words FROM person_pairs_fts f "
                       "JOIN person_search s ON s.id = f.rowid WHERE person_pairs_fts MATCH ? "
                       "AND ' ' || s.words LIKE ? AND ' ' || s.words LIKE ? AND s.municipality_id = ? LIMIT 1001")
                args = (f'"{pair}"*', f"% {a}%", f"% {b}%", m)
            start = time.perf_counter()
            rows = con.execute(sql, args).fetchall()
            total += time.perf_counter() - start
            runs += 1
            read += len(rows)
    side = "schema 48, pair rows" if new else "schema 47, FTS5 pairs"
    print(f"{side}: {total / runs * 1000:.3f} ms a query, {read / runs:.0f} candidates on average ({path})")


if __name__ == "__main__":
    old, new = sys.argv[1], sys.argv[2]
    for _ in range(2):
        bench(old, False)
        bench(new, True)
