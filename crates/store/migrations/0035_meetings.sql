-- Schema 35: collaboration meetings (samarbeidsmøter, ansvarsgruppemøter) about a household:
-- who took part, what was discussed, and the actions agreed, each with its owner (the unit:
-- NULL, or an organisation that took part) and due day. Recording a meeting and each change to
-- an action are household events with their audit entries.
CREATE TABLE meeting (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    kind TEXT NOT NULL CHECK (kind IN ('collaboration', 'responsibility_group')),
    held_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    household_present BIGINT NOT NULL CHECK (household_present IN (0, 1)),
    others TEXT,
    recorded_by TEXT NOT NULL REFERENCES app_user (id),
    -- The organisation whose worker recorded it; NULL: the unit.
    recorded_for TEXT REFERENCES partner_organisation (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX meeting_household ON meeting (municipality_id, household_id, held_on);
-- The partner organisations that took part (the unit always does).
CREATE TABLE meeting_participant (
    meeting_id TEXT NOT NULL REFERENCES meeting (id),
    organisation_id TEXT NOT NULL REFERENCES partner_organisation (id),
    PRIMARY KEY (meeting_id, organisation_id)
);
CREATE INDEX meeting_participant_organisation ON meeting_participant (organisation_id, meeting_id);
CREATE TABLE meeting_action (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meeting (id),
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    owner_organisation TEXT,
    due_on TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'done')),
    outcome TEXT,
    done_by TEXT REFERENCES app_user (id),
    done_at BIGINT,
    version BIGINT NOT NULL,
    -- An organisation owns an action only if it took part in the meeting.
    FOREIGN KEY (meeting_id, owner_organisation) REFERENCES meeting_participant (meeting_id, organisation_id),
    CHECK (state = 'open' OR done_at IS NOT NULL),
    UNIQUE (meeting_id, position)
);
-- The work queues: the open actions a party owns, by due day.
CREATE INDEX meeting_action_owner ON meeting_action (municipality_id, owner_organisation, state, due_on);
