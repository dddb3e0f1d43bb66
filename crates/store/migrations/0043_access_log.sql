-- Schema 43: the access log, the half of the audit log that records reads (and sign-ins).
--
-- Every page that shows personal data appends an entry, so on SQLite every page view committed
-- to the data's file, and each commit empties the page cache of every other connection to that
-- file: the next read of any page fetched its pages from the operating system again (a quarter
-- of the work queue's and the search's CPU under load). Reads are now recorded in chains of their
-- own ('access:' and the municipality), in tables that on SQLite live in a second file beside the
-- data's (`<file>-access`, attached to every connection as `access`), so that a page view commits
-- to that file only. Changes stay in `audit_entry`, in the transaction of the change they record.
-- On PostgreSQL the tables are in the same database. Entries written before this version stay
-- where they are, and verify there.
CREATE TABLE IF NOT EXISTS /* access-schema */access_entry (
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
CREATE INDEX IF NOT EXISTS /* access-schema */access_entry_time ON access_entry (chain, occurred_at);
CREATE INDEX IF NOT EXISTS /* access-schema */access_entry_resource ON access_entry (resource_id);

CREATE TABLE IF NOT EXISTS /* access-schema */access_chain_head (
    chain TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
