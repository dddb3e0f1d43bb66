-- Schema 33: protected addresses. A person with an address block in the Folkeregister
-- (fortrolig or strengt fortrolig adresse) has a row here; the strictest block among a
-- household's members decides what may be shown of the household's address. For strengt
-- fortrolig no address is stored: the household's address is erased when the block is set, and
-- letters go to the contact route recorded here. Lifting a block deletes its row; the household's
-- events keep who set it and who lifted it, when and why.
CREATE TABLE address_protection (
    person_id TEXT PRIMARY KEY REFERENCES person (id),
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    level TEXT NOT NULL CHECK (level IN ('fortrolig', 'strengt_fortrolig')),
    contact_line TEXT,
    contact_postal_code TEXT,
    contact_postal_city TEXT,
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL,
    CHECK (level = 'fortrolig' OR (contact_line IS NOT NULL AND contact_postal_code IS NOT NULL AND contact_postal_city IS NOT NULL))
);
