-- Schema version 22: the tenancy becomes the contract (husly_domain::tenancy).
--
-- Schema 2's `tenancy` stays the one record of who rents which dwelling (the bostøtte outreach,
-- KOSTRA and the lettings read it); it gains the contract's terms, its end, a version for
-- optimistic locking, its periods (a renewal adds one) and its events. `to_date` keeps its
-- meaning for those readers: the day the tenancy ends as far as is known (the move-out day once
-- ended, else the end of the fixed term; null while an indefinite contract runs).
ALTER TABLE tenancy ADD COLUMN offer_id TEXT REFERENCES offer (id);
ALTER TABLE tenancy ADD COLUMN case_id TEXT REFERENCES application_case (id);
ALTER TABLE tenancy ADD COLUMN term TEXT NOT NULL DEFAULT 'indefinite';
ALTER TABLE tenancy ADD COLUMN term_end TEXT;
ALTER TABLE tenancy ADD COLUMN security_kind TEXT NOT NULL DEFAULT 'none';
ALTER TABLE tenancy ADD COLUMN security_ore BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tenancy ADD COLUMN notice_11_1_on TEXT;
ALTER TABLE tenancy ADD COLUMN ended_on TEXT;
ALTER TABLE tenancy ADD COLUMN end_reason TEXT;
ALTER TABLE tenancy ADD COLUMN notice_on TEXT;
ALTER TABLE tenancy ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tenancy ADD COLUMN updated_at BIGINT;

-- Rows written before contracts: an end date makes a fixed-term contract ending then, ended if
-- that day is past.
UPDATE tenancy SET term = 'fixed', term_end = to_date WHERE to_date IS NOT NULL;
-- sqlite:begin
UPDATE tenancy SET ended_on = to_date, end_reason = 'term_expired' WHERE to_date IS NOT NULL AND to_date < date('now');
-- sqlite:end
-- postgres:begin
UPDATE tenancy SET ended_on = to_date, end_reason = 'term_expired' WHERE to_date IS NOT NULL AND to_date < CAST(CURRENT_DATE AS TEXT);
-- postgres:end

-- One open contract per dwelling, one contract per accepted offer.
CREATE UNIQUE INDEX tenancy_open_per_dwelling ON tenancy (dwelling_id) WHERE ended_on IS NULL;
CREATE UNIQUE INDEX tenancy_offer ON tenancy (offer_id) WHERE offer_id IS NOT NULL;
-- The expiring list walks the open fixed-term contracts by their end.
CREATE INDEX tenancy_term_end ON tenancy (municipality_id, term_end) WHERE ended_on IS NULL;

CREATE TABLE tenancy_period (
    tenancy_id TEXT NOT NULL REFERENCES tenancy (id),
    seq BIGINT NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    monthly_rent_ore BIGINT NOT NULL,
    created_by TEXT REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenancy_id, seq)
);

CREATE TABLE tenancy_event (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    tenancy_id TEXT NOT NULL REFERENCES tenancy (id),
    occurred_at BIGINT NOT NULL,
    actor TEXT REFERENCES app_user (id),
    kind TEXT NOT NULL,
    reason TEXT,
    details TEXT NOT NULL
);
CREATE INDEX tenancy_event_tenancy ON tenancy_event (municipality_id, tenancy_id, occurred_at);
