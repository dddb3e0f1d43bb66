-- Tasks on a case: a title, a due date and the caseworker it is given to; open until done
-- (`done_at`), and opened again by clearing it. The queue lists a caseworker's open tasks by date.
CREATE TABLE case_task (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    case_id TEXT NOT NULL REFERENCES application_case (id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    assigned_to TEXT NOT NULL REFERENCES app_user (id),
    created_by TEXT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    done_by TEXT REFERENCES app_user (id),
    done_at BIGINT
);
CREATE INDEX case_task_case ON case_task (municipality_id, case_id, due_on);
CREATE INDEX case_task_open ON case_task (municipality_id, assigned_to, done_at, due_on);
