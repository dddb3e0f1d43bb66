-- Schema version 30: a real text index for the search box, over names and addresses.
--
-- `person_search` holds a person's name words, `household_search` a household's address words
-- (street, number, postal code, place), each as `husly_domain::search::search_words` makes them:
-- lowercase letters and digits, separated by spaces. Both backends index those same words, so
-- both find the same rows: SQLite in an FTS5 index with prefix indexes (kept by triggers),
-- PostgreSQL in a GIN index over the words as a tsvector (the cast takes the words as they are,
-- with no dictionary). A query word matches the words that start with it. The rows are derived
-- data: the store writes them with the name or address, `migrate` fills them for the rows that
-- exist, an import rebuilds them, and the export leaves them out.
--
-- The word table of schema 1 (`person_name_token`) answered a prefix by a range scan and each
-- further word by a probe per row of the first, thousands for a common name; it goes.

-- sqlite:begin
CREATE TABLE person_search (
    id INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL UNIQUE REFERENCES person (id),
    municipality_id TEXT NOT NULL,
    words TEXT NOT NULL
);
CREATE VIRTUAL TABLE person_search_fts USING fts5 (
    words, content = 'person_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4'
);
CREATE TRIGGER person_search_insert AFTER INSERT ON person_search BEGIN
    INSERT INTO person_search_fts (rowid, words) VALUES (NEW.id, NEW.words);
END;
CREATE TRIGGER person_search_delete AFTER DELETE ON person_search BEGIN
    INSERT INTO person_search_fts (person_search_fts, rowid, words) VALUES ('delete', OLD.id, OLD.words);
END;
CREATE TRIGGER person_search_update AFTER UPDATE ON person_search BEGIN
    INSERT INTO person_search_fts (person_search_fts, rowid, words) VALUES ('delete', OLD.id, OLD.words);
    INSERT INTO person_search_fts (rowid, words) VALUES (NEW.id, NEW.words);
END;

CREATE TABLE household_search (
    id INTEGER PRIMARY KEY,
    household_id TEXT NOT NULL UNIQUE REFERENCES household (id),
    municipality_id TEXT NOT NULL,
    words TEXT NOT NULL
);
CREATE VIRTUAL TABLE household_search_fts USING fts5 (
    words, content = 'household_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4'
);
CREATE TRIGGER household_search_insert AFTER INSERT ON household_search BEGIN
    INSERT INTO household_search_fts (rowid, words) VALUES (NEW.id, NEW.words);
END;
CREATE TRIGGER household_search_delete AFTER DELETE ON household_search BEGIN
    INSERT INTO household_search_fts (household_search_fts, rowid, words) VALUES ('delete', OLD.id, OLD.words);
END;
CREATE TRIGGER household_search_update AFTER UPDATE ON household_search BEGIN
    INSERT INTO household_search_fts (household_search_fts, rowid, words) VALUES ('delete', OLD.id, OLD.words);
    INSERT INTO household_search_fts (rowid, words) VALUES (NEW.id, NEW.words);
END;
-- sqlite:end

-- postgres:begin
CREATE TABLE person_search (
    person_id TEXT PRIMARY KEY REFERENCES person (id),
    municipality_id TEXT NOT NULL,
    words TEXT NOT NULL,
    lexemes tsvector GENERATED ALWAYS AS (words::tsvector) STORED
);
CREATE INDEX person_search_lexemes ON person_search USING gin (lexemes);

CREATE TABLE household_search (
    household_id TEXT PRIMARY KEY REFERENCES household (id),
    municipality_id TEXT NOT NULL,
    words TEXT NOT NULL,
    lexemes tsvector GENERATED ALWAYS AS (words::tsvector) STORED
);
CREATE INDEX household_search_lexemes ON household_search USING gin (lexemes);
-- postgres:end

DROP TABLE person_name_token;
