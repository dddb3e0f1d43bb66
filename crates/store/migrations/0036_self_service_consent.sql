-- Schema 36: a consent the person gives in self-service (ticked on the application form) is
-- recorded by no staff user, so `recorded_by` may be empty then, and only then.
-- postgres:begin
ALTER TABLE consent ALTER COLUMN recorded_by DROP NOT NULL;
ALTER TABLE consent ADD CONSTRAINT consent_recorded_by CHECK (recorded_by IS NOT NULL OR evidence = 'self_service');
-- postgres:end
-- sqlite:begin
CREATE TABLE consent_rebuilt (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    person_id TEXT NOT NULL REFERENCES person (id),
    organisation_id TEXT NOT NULL REFERENCES partner_organisation (id),
    purpose TEXT NOT NULL,
    categories TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    evidence TEXT NOT NULL,
    given_by TEXT NOT NULL,
    guardian TEXT,
    recorded_by TEXT REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    withdrawn_by TEXT REFERENCES app_user (id),
    withdraw_reason TEXT,
    CHECK (valid_to >= valid_from),
    CHECK ((withdrawn_at IS NULL) = (withdraw_reason IS NULL)),
    CHECK (recorded_by IS NOT NULL OR evidence = 'self_service')
);
INSERT INTO consent_rebuilt (id, municipality_id, household_id, person_id, organisation_id, purpose, categories,
    valid_from, valid_to, evidence, given_by, guardian, recorded_by, recorded_at, withdrawn_at, withdrawn_by,
    withdraw_reason)
SELECT id, municipality_id, household_id, person_id, organisation_id, purpose, categories, valid_from, valid_to,
    evidence, given_by, guardian, recorded_by, recorded_at, withdrawn_at, withdrawn_by, withdraw_reason
FROM consent;
DROP TABLE consent;
ALTER TABLE consent_rebuilt RENAME TO consent;
CREATE INDEX consent_household ON consent (municipality_id, household_id);
CREATE INDEX consent_organisation ON consent (organisation_id, municipality_id, household_id, valid_to, valid_from, withdrawn_at, person_id);
-- sqlite:end
