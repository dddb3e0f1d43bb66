-- Schema 45: the work queue's orders over the open cases only.
--
-- The queue shows open cases; the indexes it walked (schemas 3 and 9) hold every case the
-- municipality ever had. In the deadline order the closed ones sort last, but ordered by the
-- day received or by reference they lie among the open ones, and a page walked past every
-- closed case before it: with years of history the first page of the oldest cases read the
-- whole history (docs/benchmarks.md, "The work queue over open cases only"). These indexes hold
-- the open cases alone, with the state, the assignee and the case type, so a page of the open
-- cases, mine, the unassigned or one case type is read from an index as long as the open
-- caseload, however long the history (SQLite checks the condition on each entry still, hence
-- the state). Their condition is the queue's own (`cases::queue::OPEN`, word for word, as
-- SQLite uses a partial index only for a query that states its condition).
CREATE INDEX application_case_open_due ON application_case (municipality_id, due_order, id, state, assigned_to, case_type)
    WHERE state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body');
CREATE INDEX application_case_open_received ON application_case (municipality_id, received_on, id, state, assigned_to, case_type)
    WHERE state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body');
CREATE INDEX application_case_open_reference ON application_case (municipality_id, reference, id, state, assigned_to, case_type)
    WHERE state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body');
