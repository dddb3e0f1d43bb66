-- A party's representative: a fullmektig (forvaltningsloven § 12) or a verge. While one acts,
-- the household's letters are addressed to it. Ended, never deleted, so the file shows who got
-- which letter; at most one that has not ended per household.
CREATE TABLE representative (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT,
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    postal_city TEXT NOT NULL,
    phone TEXT,
    authority_from TEXT NOT NULL,
    copy_to_party BIGINT NOT NULL,
    registered_by TEXT NOT NULL REFERENCES app_user (id),
    registered_at BIGINT NOT NULL,
    ended_on TEXT,
    end_reason TEXT,
    ended_by TEXT REFERENCES app_user (id)
);
CREATE INDEX representative_household ON representative (municipality_id, household_id, registered_at);
CREATE UNIQUE INDEX representative_one_acting ON representative (household_id) WHERE ended_on IS NULL;
