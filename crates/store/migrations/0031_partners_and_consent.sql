-- Schema 31: partner organisations, their users, and the consents households give them.
-- A consent names the member who gave it (or the guardian), the organisation, the purpose, the
-- categories of data (space-separated codes), the period and how it was given. A withdrawal
-- ends it at once and is never undone: a person who changes their mind again gives a new
-- consent. Every change is a household event with its audit entry.
CREATE TABLE partner_organisation (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX partner_organisation_name ON partner_organisation (municipality_id, name);

-- A partner user works for one organisation in a municipality.
CREATE TABLE partner_membership (
    user_id TEXT NOT NULL REFERENCES app_user (id),
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    organisation_id TEXT NOT NULL REFERENCES partner_organisation (id),
    added_by TEXT NOT NULL REFERENCES app_user (id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, municipality_id)
);
CREATE INDEX partner_membership_organisation ON partner_membership (organisation_id);

CREATE TABLE consent (
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
    recorded_by TEXT NOT NULL REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    withdrawn_by TEXT REFERENCES app_user (id),
    withdraw_reason TEXT,
    CHECK (valid_to >= valid_from),
    CHECK ((withdrawn_at IS NULL) = (withdraw_reason IS NULL))
);
-- A household's consents, and an organisation's households (the partner's list, which reads
-- those not yet ended).
CREATE INDEX consent_household ON consent (municipality_id, household_id);
CREATE INDEX consent_organisation ON consent (organisation_id, valid_to);
