-- Schema 29: contacts with households on the bostøtte outreach list. One per household and list
-- month (the month the list was run for); recording it again replaces it, and removing it
-- deletes the row: the household's timeline and the audit log keep what was recorded, by whom
-- and when. The action plan counts the households reached in a year.
CREATE TABLE outreach_contact (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    month TEXT NOT NULL,
    contacted_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX outreach_contact_household_month ON outreach_contact (municipality_id, household_id, month);
-- The list of a month, and the year's contacts for the action plan.
CREATE INDEX outreach_contact_month ON outreach_contact (municipality_id, month);
CREATE INDEX outreach_contact_day ON outreach_contact (municipality_id, contacted_on);
