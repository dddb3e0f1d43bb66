-- Schema 37: the partner's list pages the households consenting to its organisation by the
-- name of the member who consented. Until now every page joined all the consents' persons and
-- sorted them (about 50 ms for 10 000 consents); the name is now kept on the consent row
-- (family name, a space, given name; the store refreshes it when the person's name changes), and
-- an index in list order lets a page read its rows from the front (docs/benchmarks.md).
ALTER TABLE consent ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
UPDATE consent SET sort_name = (SELECT p.family_name || ' ' || p.given_name FROM person p WHERE p.id = consent.person_id);
CREATE INDEX consent_list ON consent (organisation_id, municipality_id, sort_name, household_id, valid_from, valid_to, withdrawn_at);
-- The store refreshes a person's sort names when the name changes.
CREATE INDEX consent_person ON consent (person_id);
