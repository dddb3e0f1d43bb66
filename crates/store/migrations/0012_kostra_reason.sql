-- KOSTRA skjema 13's main reason is the caseworker's classification of the case
-- (husly_domain::kostra codes), with who classified it and when; null until classified. The
-- applicant's ticked reasons stay in the form as their own statement and only suggest a category,
-- so the old `main_reason` (the applicant's first tick, never shown or counted) is dropped: the
-- suggestion is derived from the form's ticks, which keep the same information.
ALTER TABLE application_case ADD COLUMN kostra_category TEXT;
ALTER TABLE application_case ADD COLUMN kostra_classified_by TEXT REFERENCES app_user (id);
ALTER TABLE application_case ADD COLUMN kostra_classified_at BIGINT;
ALTER TABLE application_case DROP COLUMN main_reason;
