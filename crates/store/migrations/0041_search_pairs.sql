-- Schema 41: a search of two words or more finds its rows through pair tokens.
--
-- A query such as "kari blom" asked the text index for everyone with a word starting "kari" and
-- everyone with one starting "blom" and intersected the two: tens of thousands of entries each
-- at 1 000 000 households, for a few hundred rows. `pairs` holds a row's pair tokens, made in
-- Rust (`husly_domain::search::pair_tokens`): for every two different words, the first three
-- letters of one, `_`, and the other whole ("kar_blomberg", "blo_kari"). The query asks for the
-- tokens starting with its pair prefix ("kar_blom"): one narrow range of the index, holding
-- only rows with both words. The words themselves still decide which rows match.
--
-- `migrate` rebuilds the index after this schema (`search::INDEX_SCHEMA`), which fills `pairs`.
-- A protected household's address has no pairs, as it has no words.
ALTER TABLE person_search ADD COLUMN pairs TEXT NOT NULL DEFAULT '';
ALTER TABLE household_search ADD COLUMN pairs TEXT NOT NULL DEFAULT '';

-- sqlite:begin
-- `_` is kept inside a token; no prefix indexes: a pair prefix is longer than they would be.
CREATE VIRTUAL TABLE person_pairs_fts USING fts5 (
    pairs, content = 'person_search', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
-- Every row in the index (with no pairs yet) before the triggers delete any of them.
INSERT INTO person_pairs_fts (person_pairs_fts) VALUES ('rebuild');
CREATE TRIGGER person_pairs_insert AFTER INSERT ON person_search BEGIN
    INSERT INTO person_pairs_fts (rowid, pairs) VALUES (NEW.id, NEW.pairs);
END;
CREATE TRIGGER person_pairs_delete AFTER DELETE ON person_search BEGIN
    INSERT INTO person_pairs_fts (person_pairs_fts, rowid, pairs) VALUES ('delete', OLD.id, OLD.pairs);
END;
CREATE TRIGGER person_pairs_update AFTER UPDATE OF pairs ON person_search BEGIN
    INSERT INTO person_pairs_fts (person_pairs_fts, rowid, pairs) VALUES ('delete', OLD.id, OLD.pairs);
    INSERT INTO person_pairs_fts (rowid, pairs) VALUES (NEW.id, NEW.pairs);
END;

CREATE VIRTUAL TABLE household_pairs_fts USING fts5 (
    pairs, content = 'household_search', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
INSERT INTO household_pairs_fts (household_pairs_fts) VALUES ('rebuild');
CREATE TRIGGER household_pairs_insert AFTER INSERT ON household_search BEGIN
    INSERT INTO household_pairs_fts (rowid, pairs) VALUES (NEW.id, NEW.pairs);
END;
CREATE TRIGGER household_pairs_delete AFTER DELETE ON household_search BEGIN
    INSERT INTO household_pairs_fts (household_pairs_fts, rowid, pairs) VALUES ('delete', OLD.id, OLD.pairs);
END;
CREATE TRIGGER household_pairs_update AFTER UPDATE OF pairs ON household_search BEGIN
    INSERT INTO household_pairs_fts (household_pairs_fts, rowid, pairs) VALUES ('delete', OLD.id, OLD.pairs);
    INSERT INTO household_pairs_fts (rowid, pairs) VALUES (NEW.id, NEW.pairs);
END;
-- sqlite:end

-- postgres:begin
ALTER TABLE person_search ADD COLUMN pair_lexemes tsvector GENERATED ALWAYS AS (pairs::tsvector) STORED;
CREATE INDEX person_search_pairs ON person_search USING gin (pair_lexemes);
ALTER TABLE household_search ADD COLUMN pair_lexemes tsvector GENERATED ALWAYS AS (pairs::tsvector) STORED;
CREATE INDEX household_search_pairs ON household_search USING gin (pair_lexemes);
-- postgres:end
