-- Schema 38: reminders the nightly job raises for the person who must act: a fixed-term contract
-- past its term and neither ended nor renewed (the housing managers), a follow-up plan's review
-- day coming up (the plan's responsible worker), an approval on the waiting list about to lapse
-- (the case's caseworker). Whom a reminder is for, and whether it still matters, are read from
-- the contract, plan or case it is about; the row keeps that it was raised, and who marked it
-- done. Raised once: the unique key makes a second run of the job raise nothing.
CREATE TABLE reminder (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    kind TEXT NOT NULL CHECK (kind IN ('contract_past_term', 'plan_review', 'approval_renewal')),
    -- The contract (tenancy), follow-up plan or case it is about.
    subject_id TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES household (id),
    -- The day it is about: the term's last day, the review day, the day the approval lapses.
    due_on TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    done_by TEXT REFERENCES app_user (id),
    done_at BIGINT,
    version BIGINT NOT NULL,
    CHECK ((done_by IS NULL) = (done_at IS NULL)),
    UNIQUE (municipality_id, kind, subject_id, due_on)
);
-- A worker's list: the municipality's reminders by kind, the open ones and those done lately.
CREATE INDEX reminder_list ON reminder (municipality_id, kind, done_at, due_on);
