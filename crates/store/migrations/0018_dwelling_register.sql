-- Schema version 18: the dwelling register. Schema 2's `dwelling` is extended (the bostøtte
-- outreach and tenancies keep reading it): Kobo-aligned identification and facts, a status with
-- the day it applies from, a version for optimistic locking, and a soft delete that can be undone.
-- `external_id` is the property-management system's own id (Kobo `fdvuBoligId`); unique within a
-- municipality, NULL when the dwelling is kept in Husly only. Types, ownership forms and statuses
-- are husly_domain::allocation::dwelling codes.
ALTER TABLE dwelling ADD COLUMN external_id TEXT;
ALTER TABLE dwelling ADD COLUMN district TEXT;
ALTER TABLE dwelling ADD COLUMN gnr BIGINT;
ALTER TABLE dwelling ADD COLUMN bnr BIGINT;
ALTER TABLE dwelling ADD COLUMN fnr BIGINT;
ALTER TABLE dwelling ADD COLUMN snr BIGINT;
ALTER TABLE dwelling ADD COLUMN unit_number TEXT;
ALTER TABLE dwelling ADD COLUMN dwelling_type TEXT NOT NULL DEFAULT 'ordinary_rental';
ALTER TABLE dwelling ADD COLUMN ownership TEXT NOT NULL DEFAULT 'municipal';
ALTER TABLE dwelling ADD COLUMN area_m2 BIGINT;
ALTER TABLE dwelling ADD COLUMN floor BIGINT;
ALTER TABLE dwelling ADD COLUMN lift BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dwelling ADD COLUMN wheelchair_accessible BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dwelling ADD COLUMN pets_allowed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dwelling ADD COLUMN monthly_rent_ore BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dwelling ADD COLUMN status TEXT NOT NULL DEFAULT 'vacant';
ALTER TABLE dwelling ADD COLUMN status_from TEXT NOT NULL DEFAULT '2000-01-01';
ALTER TABLE dwelling ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE dwelling ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dwelling ADD COLUMN deleted_at BIGINT;

-- Dwellings registered before this schema: let while a tenancy runs, at the newest tenancy's rent.
UPDATE dwelling SET
    monthly_rent_ore = COALESCE((SELECT t.monthly_rent_ore FROM tenancy t
        WHERE t.municipality_id = dwelling.municipality_id AND t.dwelling_id = dwelling.id
        ORDER BY t.from_date DESC LIMIT 1), 0),
    status = CASE WHEN EXISTS (SELECT 1 FROM tenancy t
        WHERE t.municipality_id = dwelling.municipality_id AND t.dwelling_id = dwelling.id
        AND (t.to_date IS NULL OR t.to_date >= CAST(CURRENT_DATE AS TEXT))) THEN 'let' ELSE 'vacant' END,
    status_from = COALESCE((SELECT MAX(t.from_date) FROM tenancy t
        WHERE t.municipality_id = dwelling.municipality_id AND t.dwelling_id = dwelling.id), '2000-01-01'),
    updated_at = created_at;

CREATE UNIQUE INDEX dwelling_external_id ON dwelling (municipality_id, external_id);
-- The register's list, in address order, and the vacancies an allocation round reads.
CREATE INDEX dwelling_address ON dwelling (municipality_id, address_line, id);
CREATE INDEX dwelling_status ON dwelling (municipality_id, status, status_from);

-- Every change to a dwelling: who, when, why. `kind` is created, updated, status, deleted,
-- restored or imported; `details` holds what changed (no personal data: a dwelling is not a person).
CREATE TABLE dwelling_event (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    dwelling_id TEXT NOT NULL REFERENCES dwelling (id),
    occurred_at BIGINT NOT NULL,
    actor TEXT NOT NULL REFERENCES app_user (id),
    kind TEXT NOT NULL,
    status TEXT,
    from_date TEXT,
    reason TEXT,
    details TEXT NOT NULL
);
CREATE INDEX dwelling_event_dwelling ON dwelling_event (municipality_id, dwelling_id, occurred_at);
