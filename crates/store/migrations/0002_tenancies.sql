-- Schema version 2: municipal dwellings, tenancies, household incomes and registered benefits.
-- What the bostøtte outreach list needs: who rents a municipal dwelling, at what rent, with which
-- incomes, and whether bostøtte is already registered. Money is whole øre (BIGINT).

CREATE TABLE dwelling (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    postal_city TEXT NOT NULL,
    bedrooms BIGINT NOT NULL,
    -- Specially adapted for a disability (bostøtte cap supplement).
    adapted BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX dwelling_municipality ON dwelling (municipality_id, id);

CREATE TABLE tenancy (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    dwelling_id TEXT NOT NULL REFERENCES dwelling (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    from_date TEXT NOT NULL,
    to_date TEXT,
    monthly_rent_ore BIGINT NOT NULL,
    heating_included BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
-- The outreach batch walks a municipality's tenancies in household order.
CREATE INDEX tenancy_household ON tenancy (municipality_id, household_id, from_date);
CREATE INDEX tenancy_dwelling ON tenancy (municipality_id, dwelling_id, from_date);

-- Yearly income by kind for a household member, as last registered (øre per year).
CREATE TABLE household_income (
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    person_id TEXT NOT NULL REFERENCES person (id),
    kind TEXT NOT NULL,
    annual_ore BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, household_id, person_id, kind)
);

-- A benefit the household receives (e.g. bostøtte), from Husbanken or the caseworker.
CREATE TABLE household_benefit (
    id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality (id),
    household_id TEXT NOT NULL REFERENCES household (id),
    benefit TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX household_benefit_household ON household_benefit (municipality_id, household_id, benefit, from_date);
