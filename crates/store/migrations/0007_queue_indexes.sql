-- The work queue's counts per filter and its case type filter: proposed decisions found by their
-- state, and a municipality's cases of one type in the queue's order, without reading every open
-- case of the municipality.
CREATE INDEX application_case_state ON application_case (municipality_id, state, due_order, id);
CREATE INDEX application_case_type ON application_case (municipality_id, case_type, due_order, id, state, assigned_to);
