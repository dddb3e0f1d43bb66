-- Schema 39: the search ranks a bounded set of candidates from its index rows alone.
--
-- A query ranked every match (whole words first, then by name) before it took a page of them, and
-- read each match's person or household row to sort it, so a common prefix cost more the larger
-- the municipality. The search now ranks at most a bounded number of candidates (the first
-- prefix matches and every whole-word match) and sorts them by `sort_key`, kept beside the words:
-- a person's family name, a space and given name; a household's address line (empty while the
-- address is protected, like its words). Only the page it shows is read from `person`.
--
-- `migrate` rebuilds the index after this schema (`search::INDEX_SCHEMA`), which fills the keys.
ALTER TABLE person_search ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
ALTER TABLE household_search ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';

-- sqlite:begin
-- The text index follows the words only: a new sort key alone leaves it as it is.
DROP TRIGGER person_search_update;
CREATE TRIGGER person_search_update AFTER UPDATE OF words ON person_search BEGIN
    INSERT INTO person_search_fts (person_search_fts, rowid, words) VALUES ('delete', OLD.id, OLD.words);
    INSERT INTO person_search_fts (rowid, words) VALUES (NEW.id, NEW.words);
END;
DROP TRIGGER household_search_update;
CREATE TRIGGER household_search_update AFTER UPDATE OF words ON household_search BEGIN
    INSERT INTO household_search_fts (household_search_fts, rowid, words) VALUES ('delete', OLD.id, OLD.words);
    INSERT INTO household_search_fts (rowid, words) VALUES (NEW.id, NEW.words);
END;
-- sqlite:end
