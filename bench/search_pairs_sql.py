#!/usr/bin/env python3
"""The name search's first step on SQLite, by the words' index and by the pair tokens (schema 41).

    python3 bench/search_pairs_sql.py husly.db [rounds=2]

husly.db: a seeded database migrated to schema 41 or later. For the 60 queries of bench/search.lua
("kari blom", ...), times the statement that takes the first 1 001 prefix matches: once as before
schema 41 (every word as a prefix in the words' FTS5 index) and once through the pair tokens (the
pair prefix in the pairs' index, each word checked with LIKE), as `husly_store::search` builds
them, and checks that both find the same rows.
"""
import sqlite3
import sys
import time

GIVEN = ["ola", "kari", "per", "anne", "jon", "ingrid", "lars", "sofie", "ahmed", "fatima", "nora", "emil"]
FAMILY = ["blom", "fjell", "sols", "havø", "bjørk", "lyng", "sølv", "tytte", "nord", "elve",
          "furu", "multe", "snøu", "lauv", "skjær", "vinter", "bekk", "kveld", "rype", "sand"]
QUERIES = [(GIVEN[i % len(GIVEN)], FAMILY[(i * 7) % len(FAMILY)]) for i in range(60)]


def main():
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    municipality = db.execute("SELECT municipality_id FROM person_search LIMIT 1").fetchone()[0]

    def by_words(given, family):
        return db.execute(
            "SELECT s.person_id FROM person_search_fts f JOIN person_search s ON s.id = f.rowid "
            "WHERE person_search_fts MATCH ? AND s.municipality_id = ? LIMIT 1001",
            (f'"{given}"* "{family}"*', municipality),
        ).fetchall()

    def by_pairs(given, family):
        # SearchQuery::pair_prefix: the longer word whole (the later of two as long), after the
        # first three letters of the other.
        whole, head = (family, given) if len(family) >= len(given) else (given, family)
        return db.execute(
            "SELECT s.person_id FROM person_pairs_fts f JOIN person_search s ON s.id = f.rowid "
            "WHERE person_pairs_fts MATCH ? AND ' ' || s.words LIKE ? AND ' ' || s.words LIKE ? "
            "AND s.municipality_id = ? LIMIT 1001",
            (f'"{head[:3]}_{whole}"*', f"% {given}%", f"% {family}%", municipality),
        ).fetchall()

    for given, family in QUERIES:
        assert by_words(given, family) == by_pairs(given, family), (given, family)
    matches = sum(len(by_words(g, f)) for g, f in QUERIES)
    print(f"{len(QUERIES)} queries, {matches} matches in all, the same rows both ways")
    for _ in range(rounds):
        for name, step in [("words", by_words), ("pairs", by_pairs)]:
            start = time.perf_counter()
            for given, family in QUERIES:
                step(given, family)
            elapsed = time.perf_counter() - start
            print(f"{name}: {elapsed / len(QUERIES) * 1000:.3f} ms a query")


if __name__ == "__main__":
    main()
