-- Schema version 3: cases (applications for municipal housing and for § 6 assistance), their
-- decisions and letters. The current state lives in `application_case`; the history in
-- `case_event` (now with a case id), written in the same transaction as every change.

CREATE TABLE application_case (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    -- What the applicant is told: year and a number per municipality, e.g. 2026-000042.
    reference TEXT NOT NULL,
    case_type TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The application form as JSON (husly_domain::cases::ApplicationForm).
    form TEXT NOT NULL,
    -- The caseworker's rule overrides as JSON (each with its reason; also events).
    overrides TEXT NOT NULL,
    received_on TEXT NOT NULL,
    assigned_to TEXT REFERENCES app_user (id),
    interim_due TEXT,
    interim_sent_on TEXT,
    -- While waiting for information from the applicant: the deadline given.
    information_due TEXT,
    decided_on TEXT,
    delivered_on TEXT,
    appeal_deadline TEXT,
    valid_until TEXT,
    renewal_reminder_on TEXT,
    -- The earliest open deadline, for the work queue's order and its due/overdue filters.
    next_due TEXT,
    -- next_due, or '9999-12-31' when there is none: the queue's sort key. Both backends sort
    -- it the same way and walk the index in its order (NULLs sort differently on the two).
    due_order TEXT NOT NULL,
    -- What KOSTRA needs later.
    existing_tenant BIGINT NOT NULL,
    main_reason TEXT,
    children BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (municipality_id, reference)
);
-- Covering the queue's first step (state and caseworker filtered inside the index).
CREATE INDEX application_case_queue ON application_case (municipality_id, due_order, id, state, assigned_to);
CREATE INDEX application_case_assigned ON application_case (municipality_id, assigned_to, due_order, id);
CREATE INDEX application_case_household ON application_case (municipality_id, household_id);

-- A proposed decision. Once sent it is never changed: a correction is a new decision.
CREATE TABLE case_decision (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    case_id TEXT NOT NULL REFERENCES application_case (id),
    outcome TEXT NOT NULL,
    -- The caseworker's professional judgement (skjønn) and reasons.
    reasons TEXT NOT NULL,
    -- What is granted, e.g. "venteliste for bolig med to soverom".
    granted_text TEXT,
    -- The assessment as it stood when proposed (JSON), so the letter explains what was decided.
    assessment TEXT NOT NULL,
    status TEXT NOT NULL,
    proposed_by TEXT NOT NULL REFERENCES app_user (id),
    proposed_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES app_user (id),
    decided_at BIGINT,
    sent_at BIGINT,
    -- An appeal reassessment that reversed the earlier decision.
    on_appeal BIGINT NOT NULL
);
CREATE INDEX case_decision_case ON case_decision (municipality_id, case_id, proposed_at);

-- Letters as sent: immutable, with the SHA-256 of the PDF.
CREATE TABLE case_letter (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    case_id TEXT NOT NULL REFERENCES application_case (id),
    decision_id TEXT REFERENCES case_decision (id),
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    html TEXT NOT NULL,
    pdf_hex TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT REFERENCES app_user (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX case_letter_case ON case_letter (municipality_id, case_id, created_at);

-- Reference numbers: the last one used per municipality and year.
CREATE TABLE case_reference_counter (
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, year)
);

ALTER TABLE case_event ADD COLUMN case_id TEXT REFERENCES application_case (id);
CREATE INDEX case_event_case ON case_event (municipality_id, case_id, occurred_at);

-- Applications the applicant is still filling in (self-service). Opened with the draft's id and
-- a code shown once; only the code's SHA-256 is kept. Submitting creates the household and the
-- case in one transaction and records which case it became.
CREATE TABLE application_draft (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    code_hash TEXT NOT NULL,
    case_type TEXT NOT NULL,
    -- The applicant's identity, contact details and household members as JSON.
    applicant TEXT NOT NULL,
    form TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    submitted_case_id TEXT REFERENCES application_case (id)
);
CREATE INDEX application_draft_municipality ON application_draft (municipality_id, expires_at);

-- Possible duplicates found when a case is registered: a member in another open application, or
-- a member of another current household. A caseworker links or dismisses; records are never merged.
CREATE TABLE case_flag (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    case_id TEXT NOT NULL REFERENCES application_case (id),
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES person (id),
    other_case_id TEXT REFERENCES application_case (id),
    other_household_id TEXT REFERENCES household (id),
    status TEXT NOT NULL,
    resolved_by TEXT REFERENCES app_user (id),
    resolution_reason TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_flag_case ON case_flag (municipality_id, case_id, created_at);

-- Documents attached by the applicant (to a draft, then the case) or by a caseworker. The type
-- is what the content says; the SHA-256 is of the bytes as stored.
CREATE TABLE case_document (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    case_id TEXT REFERENCES application_case (id),
    draft_id TEXT REFERENCES application_draft (id),
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content_hex TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_document_case ON case_document (municipality_id, case_id, created_at);
CREATE INDEX case_document_draft ON case_document (draft_id);
