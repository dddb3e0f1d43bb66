-- Schema 40: the bostøtte outreach list of a month, kept as it was last made (by the nightly job
-- or by a user asking for it again). Reading every tenancy took seconds in a large municipality;
-- the page now reads the kept list. Only the figures are kept: the address and whether it is
-- protected are read from the household when the list is shown, and a household with bostøtte
-- registered since is left out then. One list per municipality and month; making it again
-- replaces it whole. Not exported: the target's nightly run makes it again.
CREATE TABLE outreach_list (
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    -- The first day of the month the list is for, as `outreach_contact.month`.
    month TEXT NOT NULL,
    -- When the reading of the tenancies began: bostøtte registered from then on may be missing
    -- from what was read, so a view leaves such households out (and out of the totals).
    made_at BIGINT NOT NULL,
    -- The user who asked for it; NULL when the nightly job made it.
    made_by TEXT REFERENCES app_user (id),
    -- Tenancies looked at (in force that month, without bostøtte).
    examined BIGINT NOT NULL,
    -- The entries and their estimates together, as made: a view subtracts the households left
    -- out since instead of counting every entry again.
    households BIGINT NOT NULL,
    total_monthly_kr BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, month)
);
CREATE TABLE outreach_list_entry (
    municipality_id TEXT NOT NULL,
    month TEXT NOT NULL,
    -- 1 for the largest estimate; the order the list was made in.
    position BIGINT NOT NULL,
    household_id TEXT NOT NULL REFERENCES household (id),
    members BIGINT NOT NULL,
    monthly_rent_kr BIGINT NOT NULL,
    income_kr BIGINT NOT NULL,
    monthly_kr BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, month, position),
    FOREIGN KEY (municipality_id, month) REFERENCES outreach_list (municipality_id, month)
);
-- The entries of households with bostøtte registered since the list was made: found from the
-- new benefits (few), then the household's entry.
CREATE INDEX outreach_list_entry_household ON outreach_list_entry (municipality_id, month, household_id);
CREATE INDEX household_benefit_registered ON household_benefit (municipality_id, benefit, created_at);
