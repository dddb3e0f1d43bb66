-- Schema version 16: the social housing action plan (boligsosial handlingsplan) as data: a plan
-- for a period of years, goals, measures under each goal, indicators with baseline and target,
-- values reported by hand for the indicators Husly cannot compute, and every change as an event.
-- Figures (baseline, target, reported value) are whole hundredths; money is øre.

CREATE TABLE action_plan (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    title TEXT NOT NULL,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    adopted_on TEXT,
    council_ref TEXT,
    version BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX action_plan_municipality ON action_plan (municipality_id, period_from, id);

CREATE TABLE plan_goal (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    plan_id TEXT NOT NULL REFERENCES action_plan (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT
);
CREATE INDEX plan_goal_plan ON plan_goal (municipality_id, plan_id, position);

CREATE TABLE plan_measure (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    goal_id TEXT NOT NULL REFERENCES plan_goal (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    deadline TEXT,
    status TEXT NOT NULL,
    budget_ore BIGINT
);
CREATE INDEX plan_measure_goal ON plan_measure (municipality_id, goal_id, position);

CREATE TABLE plan_indicator (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    goal_id TEXT NOT NULL REFERENCES plan_goal (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    -- A built-in definition's key (rules/indicators.toml), or NULL when reported by hand.
    definition TEXT,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL,
    baseline BIGINT NOT NULL,
    baseline_year BIGINT NOT NULL,
    target BIGINT NOT NULL,
    target_year BIGINT NOT NULL
);
CREATE INDEX plan_indicator_goal ON plan_indicator (municipality_id, goal_id, position);

-- A value reported by hand for a year; reporting again replaces it (the event keeps the old one).
CREATE TABLE indicator_report (
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    indicator_id TEXT NOT NULL REFERENCES plan_indicator (id),
    year BIGINT NOT NULL,
    value BIGINT NOT NULL,
    reported_by TEXT NOT NULL REFERENCES app_user (id),
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (indicator_id, year)
);

-- Every change to a plan: who, when, what (old and new values for a target), why.
CREATE TABLE plan_event (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    plan_id TEXT NOT NULL REFERENCES action_plan (id),
    occurred_at BIGINT NOT NULL,
    actor TEXT NOT NULL REFERENCES app_user (id),
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX plan_event_plan ON plan_event (municipality_id, plan_id, occurred_at);
