-- What an applicant writes from the status page of a submitted application, kept as sent (a
-- document sent with it is a case_document of the case; the event names both). A task raised by
-- such a message is given to the case's caseworker; `raised_by_applicant` tells it from the
-- tasks staff give (its `created_by` is then the caseworker it is given to).
CREATE TABLE applicant_message (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    case_id TEXT NOT NULL REFERENCES application_case (id),
    draft_id TEXT NOT NULL,
    text TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);
CREATE INDEX applicant_message_case ON applicant_message (municipality_id, case_id, sent_at);
ALTER TABLE case_task ADD COLUMN raised_by_applicant BIGINT NOT NULL DEFAULT 0;
CREATE INDEX application_draft_submitted ON application_draft (municipality_id, submitted_case_id);
