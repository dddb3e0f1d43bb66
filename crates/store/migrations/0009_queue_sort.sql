-- The work queue in its other orders: by the day an application was received (oldest or newest
-- first) and by case reference. Like application_case_queue for the deadline order, each index
-- carries the state and the assignee, so a page (the open cases, mine, unassigned) is read from
-- the index alone, without a table row per case skipped over.
CREATE INDEX application_case_received ON application_case (municipality_id, received_on, id, state, assigned_to);
CREATE INDEX application_case_reference ON application_case (municipality_id, reference, state, assigned_to);
