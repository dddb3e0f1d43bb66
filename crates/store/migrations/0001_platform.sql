-- Platform foundation: municipalities, users, roles, sessions, tokens, people, households,
-- the case timeline and the hash-chained audit log.
-- One file serves both backends; the block-comment marker "prefix-collation" becomes COLLATE "C" on PostgreSQL
-- (so a range scan on a name token means "starts with") and nothing on SQLite.
-- Conventions: ids are UUIDv7 as text, timestamps are
-- microseconds since the Unix epoch (UTC) as BIGINT, dates are ISO text (yyyy-mm-dd), money is
-- whole øre as BIGINT, flags are BIGINT 0/1 (sqlx's Any driver has no SQLite boolean).
-- Every municipality-owned table carries municipality_id and every index that serves a
-- municipality's queries starts with it.

CREATE TABLE installation (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE municipality (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    is_demo BIGINT NOT NULL CHECK (is_demo IN (0, 1)),
    created_at BIGINT NOT NULL
);

CREATE TABLE app_user (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL CHECK (disabled IN (0, 1)),
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);

CREATE TABLE role_assignment (
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    user_id TEXT NOT NULL REFERENCES app_user (id),
    role TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, user_id, role)
);
CREATE INDEX role_assignment_user ON role_assignment (user_id);

CREATE TABLE api_token (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_token_user ON api_token (user_id);

CREATE TABLE user_session (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user (id),
    csrf_token TEXT NOT NULL,
    municipality_id TEXT REFERENCES municipality (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE person (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    national_id TEXT NOT NULL,
    id_kind TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    preferred_language TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (municipality_id, national_id)
);

-- Lowercased name words for prefix search; a range scan on this index serves "starts with".
CREATE TABLE person_name_token (
    municipality_id TEXT NOT NULL,
    token TEXT /* prefix-collation */ NOT NULL,
    person_id TEXT NOT NULL REFERENCES person (id),
    PRIMARY KEY (municipality_id, token, person_id)
);
-- Serves "does this person also have a word starting with …" (the second and later query words).
CREATE INDEX person_name_token_person ON person_name_token (municipality_id, person_id, token);

CREATE TABLE household (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    postal_city TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX household_municipality ON household (municipality_id, id);

CREATE TABLE household_member (
    household_id TEXT NOT NULL REFERENCES household (id),
    person_id TEXT NOT NULL REFERENCES person (id),
    municipality_id TEXT NOT NULL,
    relation TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, household_id, person_id)
);
CREATE INDEX household_member_person ON household_member (municipality_id, person_id, household_id);

CREATE TABLE case_event (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT REFERENCES household (id),
    kind TEXT NOT NULL,
    actor_user_id TEXT,
    reason TEXT,
    details TEXT NOT NULL,
    occurred_at BIGINT NOT NULL
);
CREATE INDEX case_event_household ON case_event (municipality_id, household_id, occurred_at);

-- One hash chain per municipality ('installation' for installation-wide entries).
CREATE TABLE audit_entry (
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    occurred_at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    municipality_id TEXT,
    action TEXT NOT NULL,
    resource_kind TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    request_id TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_entry_time ON audit_entry (chain, occurred_at);
CREATE INDEX audit_entry_resource ON audit_entry (resource_id);

CREATE TABLE audit_chain_head (
    chain TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
