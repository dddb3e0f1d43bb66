-- Schema version 20: allocation rounds and offers (husly_domain::allocation::{round, offer}).
--
-- A round freezes its vacancies (the lines) and the waiting list's entries (case references,
-- sorted, hashed as `input_hash`), and commits to a secret seed (`commitment` = SHA-256 of it)
-- before anything is drawn. `seed` is kept secret until `drawn_at`: the pages and the API show
-- it only after the draw. `draw_order` and `outcomes` (per household why it did or did not get
-- a dwelling) are saved at the draw, so the round reads the same tomorrow as today.
CREATE TABLE allocation_round (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    number BIGINT NOT NULL,
    state TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    policy_fingerprint TEXT NOT NULL,
    entries TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    commitment TEXT NOT NULL,
    seed TEXT NOT NULL,
    draw_order TEXT,
    outcomes TEXT,
    created_by TEXT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    drawn_at BIGINT,
    ended_at BIGINT,
    end_reason TEXT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX allocation_round_number ON allocation_round (municipality_id, number);

-- One line per vacancy of the round: the household the optimal proposal chose and the one
-- chosen now (the same unless a person overrode it, with a reason).
CREATE TABLE allocation_round_line (
    round_id TEXT NOT NULL REFERENCES allocation_round (id),
    dwelling_id TEXT NOT NULL REFERENCES dwelling (id),
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    position BIGINT NOT NULL,
    proposed_case_id TEXT REFERENCES application_case (id),
    case_id TEXT REFERENCES application_case (id),
    points BIGINT,
    override_reason TEXT,
    overridden_by TEXT REFERENCES app_user (id),
    overridden_at BIGINT,
    PRIMARY KEY (round_id, dwelling_id)
);

-- An offer of a dwelling to a household. At most one open offer per dwelling and per household:
-- the two partial unique indexes make the database refuse the second of two simultaneous offers.
CREATE TABLE offer (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    round_id TEXT REFERENCES allocation_round (id),
    dwelling_id TEXT NOT NULL REFERENCES dwelling (id),
    case_id TEXT NOT NULL REFERENCES application_case (id),
    state TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    answer_by TEXT NOT NULL,
    answered_on TEXT,
    decline_reason TEXT,
    note TEXT,
    created_by TEXT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX offer_one_open_per_dwelling ON offer (dwelling_id) WHERE state = 'open';
CREATE UNIQUE INDEX offer_one_open_per_case ON offer (case_id) WHERE state = 'open';
CREATE INDEX offer_case ON offer (municipality_id, case_id, created_at);
CREATE INDEX offer_state ON offer (municipality_id, state, answer_by);

-- Every change to a round or an offer: who (a user, or the applicant through self-service),
-- when, what, and why. `details` holds what changed; it names cases by id, never people.
CREATE TABLE allocation_event (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    round_id TEXT REFERENCES allocation_round (id),
    offer_id TEXT REFERENCES offer (id),
    occurred_at BIGINT NOT NULL,
    actor TEXT REFERENCES app_user (id),
    by_applicant BIGINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    reason TEXT,
    details TEXT NOT NULL
);
CREATE INDEX allocation_event_round ON allocation_event (municipality_id, round_id, occurred_at);
CREATE INDEX allocation_event_offer ON allocation_event (municipality_id, offer_id, occurred_at);
