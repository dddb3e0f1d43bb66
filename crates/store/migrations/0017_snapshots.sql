-- Schema version 17: the background scheduler's runs, and the indicators' daily snapshots.
--
-- A job runs once per day however many Husly servers share the database: a server claims the
-- day's run by inserting its row (the primary key lets one insert win), and a claim left by a
-- server that stopped mid-run can be taken over once it is stale.
CREATE TABLE job_run (
    job TEXT NOT NULL,
    run_on TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    finished_at BIGINT,
    -- done, or failed with a short reason (never personal data).
    outcome TEXT,
    PRIMARY KEY (job, run_on)
);

-- An indicator definition's value for a year as it stood on the day it was taken, so a trend
-- stays as it was seen even when past data is corrected later. Figures are hundredths; `value`
-- is NULL when there was nothing to compute it from (a share of no cases).
CREATE TABLE indicator_snapshot (
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    definition TEXT NOT NULL,
    year BIGINT NOT NULL,
    taken_on TEXT NOT NULL,
    value BIGINT,
    counted BIGINT NOT NULL,
    numerator BIGINT,
    PRIMARY KEY (municipality_id, definition, year, taken_on)
);

-- The indicators read a year's cases by the day they were received or decided; the first has
-- its index (application_case_received), this is the second.
CREATE INDEX application_case_decided ON application_case (municipality_id, decided_on);
