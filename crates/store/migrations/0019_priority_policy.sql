-- Schema version 19: a municipality's own versions of the priority policy for the waiting list
-- (husly_domain::allocation::policy). Each save is a new version; none is changed or deleted, so
-- a ranking can always cite the text it used. `policy` is the TOML text as checked (its header's
-- `version`, `municipality` and `effective_from` agree with the columns), `fingerprint` the
-- SHA-256 of its canonical text. Without a row the shipped policy applies (Husly's standard,
-- modelled on Drammen). The version in force on a day is the one with the latest
-- `effective_from` on or before it; of two from the same day, the one saved last.
CREATE TABLE priority_policy (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    version TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    policy TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT REFERENCES app_user (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX priority_policy_version ON priority_policy (municipality_id, version);
CREATE INDEX priority_policy_effective ON priority_policy (municipality_id, effective_from, created_at);
