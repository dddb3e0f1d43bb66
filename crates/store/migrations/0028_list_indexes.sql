-- Indexes for lists that read a page in order, or a few columns of many rows.
--
-- The contract lists read a page of 100 in order: the open contracts newest first, the ended
-- ones last ended first. These partial indexes hold each list in its order, so the database
-- reads the page's rows and stops, instead of joining every contract of the municipality and
-- sorting them (150 ms for 20 000 open contracts on SQLite).
CREATE INDEX tenancy_open_list ON tenancy (municipality_id, from_date, id, household_id, term_end) WHERE ended_on IS NULL;
CREATE INDEX tenancy_ended_list ON tenancy (municipality_id, ended_on, id) WHERE ended_on IS NOT NULL;
-- The follow-up caseload of the whole municipality sums each ledger and finds each household's
-- last contact: both read from these indexes alone (58 → 37 ms and 18 → 3 ms at 20 000 tenancies
-- on SQLite), at the price of one more index entry per ledger month and log entry written.
CREATE INDEX rent_ledger_entry_balance ON rent_ledger_entry (municipality_id, tenancy_id, due_ore, paid_ore);
CREATE INDEX follow_up_entry_contact ON follow_up_entry (municipality_id, household_id, kind, outcome, occurred_on);
