-- Schema 34: referrals (henvisninger) between the housing unit and its partner organisations.
-- A party is an organisation, or the unit itself (NULL). The receiver accepts, declines with a
-- reason, or completes with an outcome; each step is a household event with its audit entry.
CREATE TABLE referral (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    from_organisation TEXT REFERENCES partner_organisation (id),
    to_organisation TEXT REFERENCES partner_organisation (id),
    purpose TEXT NOT NULL,
    request TEXT NOT NULL,
    due_on TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'declined', 'completed')),
    answer TEXT,
    sent_by TEXT NOT NULL REFERENCES app_user (id),
    sent_at BIGINT NOT NULL,
    answered_by TEXT REFERENCES app_user (id),
    answered_at BIGINT,
    version BIGINT NOT NULL,
    CHECK (COALESCE(from_organisation, 'unit') <> COALESCE(to_organisation, 'unit')),
    CHECK (state NOT IN ('declined', 'completed') OR answer IS NOT NULL)
);
CREATE INDEX referral_household ON referral (municipality_id, household_id, sent_at);
-- The work queues: the open referrals to or from a party, by due day.
CREATE INDEX referral_to ON referral (municipality_id, to_organisation, state, due_on);
CREATE INDEX referral_from ON referral (municipality_id, from_organisation, state, due_on);
