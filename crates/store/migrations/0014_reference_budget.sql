-- A municipality's figures from SIFO's reference budget (referansebudsjettet for forbruksutgifter),
-- used as the living-cost reference in startlån assessments. Each save is a new version; none is
-- changed or deleted, so an assessment can always say which version it used. The amounts are
-- JSON maps of øre per month keyed as in rules/reference_budget.toml (individual_ore by age band
-- and sex, household_ore by household size).
CREATE TABLE reference_budget (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    version BIGINT NOT NULL,
    valid_from TEXT NOT NULL,
    label TEXT NOT NULL,
    layout_version TEXT NOT NULL,
    amounts TEXT NOT NULL,
    entered_by TEXT REFERENCES app_user (id),
    entered_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX reference_budget_version ON reference_budget (municipality_id, version);
CREATE INDEX reference_budget_valid ON reference_budget (municipality_id, valid_from);
