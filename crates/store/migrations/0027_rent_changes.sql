-- Changes of the rent during a contract (husleieloven chapter 4): the new rent, the day it
-- takes effect, why (husly_domain::tenancy::rent::RentBasis codes), the written notice and a
-- note. A change in effect has `applied_at`: it set tenancy.monthly_rent_ore, then (on the
-- day) or later by the daily job `rent_changes`. A change not yet in effect can be cancelled;
-- one in effect is put right by a new change.
CREATE TABLE tenancy_rent_change (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    tenancy_id TEXT NOT NULL REFERENCES tenancy (id),
    effective_from TEXT NOT NULL,
    monthly_rent_ore BIGINT NOT NULL,
    previous_rent_ore BIGINT NOT NULL,
    basis TEXT NOT NULL,
    notice_on TEXT,
    note TEXT,
    recorded_by TEXT REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL,
    applied_at BIGINT,
    cancelled_at BIGINT,
    cancelled_by TEXT REFERENCES app_user (id),
    cancel_reason TEXT
);
CREATE INDEX tenancy_rent_change_tenancy ON tenancy_rent_change (municipality_id, tenancy_id, effective_from);
CREATE INDEX tenancy_rent_change_due ON tenancy_rent_change (effective_from) WHERE applied_at IS NULL AND cancelled_at IS NULL;
