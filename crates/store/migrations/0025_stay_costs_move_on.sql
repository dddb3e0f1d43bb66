-- Schema version 25: what a stay in temporary accommodation costs, and where a tenancy led
-- (issue 16, scope items 5 and 6).
--
-- A stay (sosialtjenesteloven § 27) gets who runs the place (`provider`), what the municipality
-- pays per night (`nightly_cost_ore`, in øre) and a short note on the place's standard
-- (`quality_remarks`). Stays recorded before this schema have none of them: the columns are
-- null, and the year's figures count such stays as "without a price".
--
-- A tenancy that ended because the household bought its own home may name the household's
-- startlån case (`move_on_case_id`): the way from renting to owning. The use case checks that
-- the case is a startlån case of the same household and municipality; undoing the end clears it.
ALTER TABLE temporary_stay ADD COLUMN provider TEXT;
ALTER TABLE temporary_stay ADD COLUMN nightly_cost_ore BIGINT;
ALTER TABLE temporary_stay ADD COLUMN quality_remarks TEXT;
ALTER TABLE tenancy ADD COLUMN move_on_case_id TEXT REFERENCES application_case (id);
