-- Journal notes on a case or on a household (case_id empty): kept as written, never changed or
-- deleted; a correction is a new note. `visibility` is `everyone` (all who may see what the note
-- is on) or `case_handling` (caseworkers and approvers).
CREATE TABLE journal_note (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    case_id TEXT REFERENCES application_case (id),
    visibility TEXT NOT NULL,
    text TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES app_user (id),
    written_at BIGINT NOT NULL
);
CREATE INDEX journal_note_household ON journal_note (municipality_id, household_id, written_at);
CREATE INDEX journal_note_case ON journal_note (municipality_id, case_id, written_at);
