-- The work queue sorted by the day an application was received (oldest or newest first): a page
-- is a walk of this index, as the deadline order walks application_case_queue; sorted by case
-- reference, the unique (municipality_id, reference) index serves.
CREATE INDEX application_case_received ON application_case (municipality_id, received_on, id);
