-- A household's stay in temporary accommodation (midlertidig botilbud, sosialtjenesteloven
-- § 27), recorded with its dates for KOSTRA skjema 13. `to_date` is null while the stay goes on;
-- ending it sets the last day, the reason (husly_domain::stays::EndReason codes) and who ended
-- it. Stays of a household never share a night: checked with the household row locked.
CREATE TABLE temporary_stay (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    place TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT,
    with_children BIGINT NOT NULL,
    end_reason TEXT,
    recorded_by TEXT NOT NULL REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL,
    ended_by TEXT REFERENCES app_user (id),
    ended_at BIGINT
);
CREATE INDEX temporary_stay_household ON temporary_stay (municipality_id, household_id, from_date);
CREATE INDEX temporary_stay_from ON temporary_stay (municipality_id, from_date);
