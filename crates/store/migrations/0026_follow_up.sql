-- Follow-up in the home (bo-oppfølging): a plan per household with its agreed measures, and the
-- contacts, home visits and neighbour complaints logged. Codes are husly_domain::follow_up's.
-- One active plan per household, enforced by the database; a closed plan is kept and may be
-- reopened. Entries are kept as written (a correction is a new entry), like journal notes.
CREATE TABLE follow_up_plan (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    state TEXT NOT NULL,
    goals TEXT NOT NULL,
    responsible_user_id TEXT NOT NULL REFERENCES app_user (id),
    partner_kind TEXT,
    partner_name TEXT,
    review_on TEXT NOT NULL,
    started_on TEXT NOT NULL,
    closed_on TEXT,
    close_reason TEXT,
    close_note TEXT,
    created_by TEXT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX follow_up_plan_active ON follow_up_plan (household_id) WHERE state = 'active';
CREATE INDEX follow_up_plan_household ON follow_up_plan (municipality_id, household_id, created_at);
CREATE INDEX follow_up_plan_state ON follow_up_plan (municipality_id, state, responsible_user_id);

CREATE TABLE follow_up_measure (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    plan_id TEXT NOT NULL REFERENCES follow_up_plan (id),
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    updated_by TEXT REFERENCES app_user (id),
    updated_at BIGINT NOT NULL
);
CREATE INDEX follow_up_measure_plan ON follow_up_measure (plan_id, created_at);

CREATE TABLE follow_up_entry (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    plan_id TEXT REFERENCES follow_up_plan (id),
    kind TEXT NOT NULL,
    outcome TEXT,
    occurred_on TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX follow_up_entry_household ON follow_up_entry (municipality_id, household_id, occurred_on);
CREATE INDEX follow_up_entry_kind ON follow_up_entry (municipality_id, kind, occurred_on);
