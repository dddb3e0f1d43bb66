-- Schema version 24: the rent ledger and its arrears (issue 16, scope item 3).
--
-- The municipality's accounting system knows a contract by a reference, so every tenancy gets
-- one: `L-` and a number counted per municipality (`L-000123`), unique within the municipality.
-- Rows written before this schema are numbered in the order they were written; a new row is
-- numbered by a trigger when it comes without one, so every way a tenancy is written (a
-- contract, the seeder, an archive from before this schema) gets its reference and none can
-- forget it. The rows of an archive from this schema on keep theirs.
--
-- The ledger holds one row per tenancy and month: what fell due and what was paid, as the
-- accounting system last said (a re-import of a month replaces its figures), with the import
-- that brought it. Each import is kept: who, when, which file, how many rows and months.
ALTER TABLE tenancy ADD COLUMN reference TEXT;

CREATE TABLE tenancy_reference_counter (
    municipality_id TEXT PRIMARY KEY REFERENCES municipality (id),
    last BIGINT NOT NULL
);

-- sqlite:begin
UPDATE tenancy SET reference = numbered.reference
FROM (SELECT id, printf('L-%06d', ROW_NUMBER() OVER (PARTITION BY municipality_id ORDER BY created_at, id)) AS reference
      FROM tenancy) AS numbered
WHERE numbered.id = tenancy.id;
-- sqlite:end
-- postgres:begin
UPDATE tenancy SET reference = 'L-' || CASE WHEN numbered.n < 1000000 THEN lpad(CAST(numbered.n AS TEXT), 6, '0')
                                            ELSE CAST(numbered.n AS TEXT) END
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY municipality_id ORDER BY created_at, id) AS n FROM tenancy) AS numbered
WHERE numbered.id = tenancy.id;
-- postgres:end

INSERT INTO tenancy_reference_counter (municipality_id, last)
SELECT municipality_id, COUNT(*) FROM tenancy GROUP BY municipality_id;

CREATE UNIQUE INDEX tenancy_reference ON tenancy (municipality_id, reference);

-- sqlite:begin
CREATE TRIGGER tenancy_reference_assign AFTER INSERT ON tenancy
WHEN NEW.reference IS NULL
BEGIN
    INSERT INTO tenancy_reference_counter (municipality_id, last) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET last = last + 1;
    UPDATE tenancy SET reference = printf('L-%06d',
        (SELECT last FROM tenancy_reference_counter WHERE municipality_id = NEW.municipality_id))
    WHERE id = NEW.id;
END;
-- sqlite:end
-- postgres:begin
CREATE FUNCTION tenancy_reference_assign() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_number BIGINT;
BEGIN
    IF NEW.reference IS NULL THEN
        INSERT INTO tenancy_reference_counter (municipality_id, last) VALUES (NEW.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET last = tenancy_reference_counter.last + 1
        RETURNING last INTO next_number;
        NEW.reference := 'L-' || CASE WHEN next_number < 1000000 THEN lpad(CAST(next_number AS TEXT), 6, '0')
                                      ELSE CAST(next_number AS TEXT) END;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER tenancy_reference_assign BEFORE INSERT ON tenancy FOR EACH ROW
    EXECUTE FUNCTION tenancy_reference_assign();
-- postgres:end

CREATE TABLE rent_ledger_import (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    file_name TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    months BIGINT NOT NULL,
    tenancies BIGINT NOT NULL,
    -- The first and last month in the file (their first days).
    first_period TEXT NOT NULL,
    last_period TEXT NOT NULL,
    -- Months new to the ledger, months whose figures changed, months as they were.
    created BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    -- page, api or cli
    via TEXT NOT NULL,
    imported_by TEXT REFERENCES app_user (id),
    imported_at BIGINT NOT NULL
);
CREATE INDEX rent_ledger_import_municipality ON rent_ledger_import (municipality_id, imported_at);

CREATE TABLE rent_ledger_entry (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    tenancy_id TEXT NOT NULL REFERENCES tenancy (id),
    -- The month, as its first day (yyyy-mm-01).
    period TEXT NOT NULL,
    due_ore BIGINT NOT NULL,
    paid_ore BIGINT NOT NULL,
    -- The import that last set the figures.
    import_id TEXT NOT NULL REFERENCES rent_ledger_import (id),
    imported_at BIGINT NOT NULL,
    imported_by TEXT REFERENCES app_user (id)
);
-- One row per tenancy and month; a tenancy's months in order (its arrears, its page).
CREATE UNIQUE INDEX rent_ledger_entry_month ON rent_ledger_entry (municipality_id, tenancy_id, period);
