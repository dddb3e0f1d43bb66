-- Schema 46: a caseworker's own open cases, and the unassigned ones, as an index of their own.
--
-- "Mine" and "unassigned" were read from the indexes of all open cases (schema 45), checking the
-- assignee of each entry: a count of one caseworker's cases, made again whenever a case of the
-- municipality changes, walked every open case of the municipality when the caseworker had
-- fewer than the count's cap (at 44 000 open cases, every one), and so did the unassigned tab in
-- a unit that assigns its cases at once. This index holds the open cases by assignee (the
-- unassigned as its null), in the deadline order, so those counts and pages read as many entries
-- as the caseworker has open cases. Its condition is the queue's own (`cases::queue::OPEN`).
CREATE INDEX application_case_open_assigned ON application_case (municipality_id, assigned_to, due_order, id, state, case_type)
    WHERE state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body');
