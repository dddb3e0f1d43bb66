-- Schema 32: the partner's list counts and pages the households with a consent in force to its
-- organisation. The index of schema 31 (organisation, last day) made SQLite read every consent
-- of the municipality for the page's grouping by household (30 ms for 10 000 consents); this
-- one holds every column the list and the partner's access read, in the order they are sought
-- (the count: 8 -> 2 ms; the access check of one household seeks organisation, municipality
-- and household at once). Measured in docs/benchmarks.md.
DROP INDEX consent_organisation;
CREATE INDEX consent_organisation ON consent (organisation_id, municipality_id, household_id, valid_to, valid_from, withdrawn_at, person_id);
