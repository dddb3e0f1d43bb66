-- The contract lists read a page of 100 in order: the open contracts newest first, the ended
-- ones last ended first. These partial indexes hold each list in its order, so the database
-- reads the page's rows and stops, instead of joining every contract of the municipality and
-- sorting them (150 ms for 20 000 open contracts on SQLite). The open one also covers the
-- follow-up caseload's read of every open contract's household and term end.
CREATE INDEX tenancy_open_list ON tenancy (municipality_id, from_date, id, household_id, term_end) WHERE ended_on IS NULL;
CREATE INDEX tenancy_ended_list ON tenancy (municipality_id, ended_on, id) WHERE ended_on IS NOT NULL;
