-- Schema 48: a person's pair tokens as rows of a B-tree, each with what the ranking needs.
--
-- Since schema 41 a query of two words finds people through pair tokens ("kar_blom"), in SQLite's
-- FTS5 and PostgreSQL's GIN. Both give a match's row id only, so the ranking read each
-- candidate's `person_search` row (its words and sort key) from wherever it lay in the table: a
-- page of the file per candidate, up to a thousand for a common name in a large municipality,
-- so the search cost more the larger the municipality (docs/benchmarks.md, "Pair tokens in the
-- ranking's order"). Here every pair token of a person is a row keyed by the municipality, the
-- token, the sort key and the person, carrying the words: the candidates of a pair prefix are
-- one contiguous range of that key, read in order from a few pages with everything the ranking
-- compares, and an exact name's rows come first in their token, alphabetically.
--
-- The store writes a person's rows with the name (`search::index_person`), deleting the ones of
-- the name before; `migrate` fills them after this schema (`search::INDEX_SCHEMA`). Derived
-- data, like `person_search`: not exported, made again by an import. A household's address
-- keeps its pair tokens in the text index: an address query is narrow (a street and a number),
-- and an address has many more pairs than a name.
--
-- `pair` compares byte by byte on both backends, so that a prefix is one range of the key.
-- sqlite:begin
CREATE TABLE person_search_pair (
    municipality_id TEXT NOT NULL,
    pair TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES person (id),
    words TEXT NOT NULL,
    PRIMARY KEY (municipality_id, pair, sort_key, person_id)
) WITHOUT ROWID;

-- The people's pair tokens in the text index are no longer read.
DROP TRIGGER person_pairs_insert;
DROP TRIGGER person_pairs_delete;
DROP TRIGGER person_pairs_update;
DROP TABLE person_pairs_fts;
-- sqlite:end

-- postgres:begin
-- The words ride in the index, so the ranking reads the index alone (an index-only scan).
CREATE TABLE person_search_pair (
    municipality_id TEXT /* id-collation */ NOT NULL,
    pair TEXT /* prefix-collation */ NOT NULL,
    sort_key TEXT NOT NULL,
    person_id TEXT /* id-collation */ NOT NULL REFERENCES person (id),
    words TEXT NOT NULL,
    PRIMARY KEY (municipality_id, pair, sort_key, person_id) INCLUDE (words)
);

DROP INDEX person_search_pairs;
ALTER TABLE person_search DROP COLUMN pair_lexemes;
-- postgres:end
