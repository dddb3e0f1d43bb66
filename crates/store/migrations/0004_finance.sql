-- Schema version 4: startlån and grant cases, and the yearly grant budget.
-- A case about Husbanken's instruments carries its economy (the household's economy and the
-- loan, or the grant applied for) as JSON beside the form; each decision records the amount it
-- grants and its conditions. Grants draw on a yearly budget kept as a ledger.

-- husly_domain::finance::CaseFinance as JSON; NULL for housing and § 6 cases.
ALTER TABLE application_case ADD COLUMN finance TEXT;

-- The amount granted (the loan or the grant), whole øre; NULL when nothing is granted.
ALTER TABLE case_decision ADD COLUMN amount_ore BIGINT;
-- The conditions attached to what is granted, a JSON array of texts.
ALTER TABLE case_decision ADD COLUMN conditions TEXT;

-- The year's allocation per grant, set by the municipality.
CREATE TABLE grant_budget (
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    year BIGINT NOT NULL,
    grant_type TEXT NOT NULL,
    allocated_ore BIGINT NOT NULL,
    note TEXT NOT NULL,
    updated_by TEXT REFERENCES app_user (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, year, grant_type)
);

-- What happens to the allocation: committed by a sent granted decision, paid, or released.
-- Append-only: a correction is a new entry. Every entry belongs to the budget year in which
-- the grant was committed.
CREATE TABLE grant_ledger (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    year BIGINT NOT NULL,
    grant_type TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES application_case (id),
    decision_id TEXT REFERENCES case_decision (id),
    kind TEXT NOT NULL,
    amount_ore BIGINT NOT NULL,
    occurred_on TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT REFERENCES app_user (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX grant_ledger_year ON grant_ledger (municipality_id, year, grant_type, kind);
CREATE INDEX grant_ledger_case ON grant_ledger (municipality_id, case_id, created_at);
