-- Schema 49: what a list shows of a household, in one row: its main applicant's name, its
-- address line, the day it was formed and whether a member has a protected address.
--
-- The work queue shows these for each of its 50 rows. Read from their own tables, a row cost
-- the household, its main applicant's membership, the person and the protection probe: about
-- eight index and table pages a row, scattered over the whole file, so that on SQLite a page of
-- the queue missed the connection's cache about 600 times and cost more the larger the
-- municipality (docs/benchmarks.md, "The work queue's households in one row each"). Here they
-- are one short row keyed by the household: one page a row.
--
-- Triggers keep it as households, memberships, names and address blocks change, so no write
-- path can forget it and an import makes it again (it is not exported). Derived data: the
-- tables it is made from stay the record, and a contract test checks that the two agree.
-- `address_protected` says only that the address must be masked; the block itself stays in
-- `address_protection`.

-- sqlite:begin
CREATE TABLE household_display (
    household_id TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL,
    address_line TEXT NOT NULL,
    -- Lists of a person's households show the latest first.
    from_date TEXT NOT NULL,
    -- The main applicant's name; null while the household has none.
    given_name TEXT,
    family_name TEXT,
    address_protected INTEGER NOT NULL
) WITHOUT ROWID;

-- The households whose row a change touches are made again by one statement, this view's
-- row for each (SQLite's triggers cannot call a routine).
CREATE VIEW household_display_source AS
SELECT h.id AS household_id, h.municipality_id, h.address_line, h.from_date,
    (SELECT p.given_name FROM household_member m JOIN person p ON p.id = m.person_id
     WHERE m.municipality_id = h.municipality_id AND m.household_id = h.id AND m.relation = 'main_applicant'
     ORDER BY m.position, m.person_id LIMIT 1) AS given_name,
    (SELECT p.family_name FROM household_member m JOIN person p ON p.id = m.person_id
     WHERE m.municipality_id = h.municipality_id AND m.household_id = h.id AND m.relation = 'main_applicant'
     ORDER BY m.position, m.person_id LIMIT 1) AS family_name,
    EXISTS (SELECT 1 FROM household_member pm JOIN address_protection pa
            ON pa.municipality_id = pm.municipality_id AND pa.person_id = pm.person_id
            WHERE pm.municipality_id = h.municipality_id AND pm.household_id = h.id) AS address_protected
FROM household h;

INSERT INTO household_display (household_id, municipality_id, address_line, from_date, given_name, family_name, address_protected)
SELECT household_id, municipality_id, address_line, from_date, given_name, family_name, address_protected
FROM household_display_source WHERE true;

CREATE TRIGGER household_display_household_insert AFTER INSERT ON household
BEGIN
    INSERT INTO household_display SELECT * FROM household_display_source WHERE household_id = NEW.id
    ON CONFLICT (household_id) DO UPDATE SET municipality_id = excluded.municipality_id,
        address_line = excluded.address_line, from_date = excluded.from_date, given_name = excluded.given_name,
        family_name = excluded.family_name, address_protected = excluded.address_protected;
END;
CREATE TRIGGER household_display_household_update AFTER UPDATE OF address_line, from_date, municipality_id ON household
BEGIN
    UPDATE household_display SET
        (municipality_id, address_line, from_date, given_name, family_name, address_protected) =
        (SELECT s.municipality_id, s.address_line, s.from_date, s.given_name, s.family_name, s.address_protected
         FROM household_display_source s WHERE s.household_id = NEW.id)
    WHERE household_id = NEW.id;
END;
CREATE TRIGGER household_display_household_delete AFTER DELETE ON household
BEGIN
    DELETE FROM household_display WHERE household_id = OLD.id;
END;

CREATE TRIGGER household_display_member_insert AFTER INSERT ON household_member
BEGIN
    UPDATE household_display SET
        (given_name, family_name, address_protected) =
        (SELECT s.given_name, s.family_name, s.address_protected FROM household_display_source s
         WHERE s.household_id = NEW.household_id)
    WHERE household_id = NEW.household_id;
END;
CREATE TRIGGER household_display_member_update AFTER UPDATE ON household_member
BEGIN
    UPDATE household_display SET
        (given_name, family_name, address_protected) =
        (SELECT s.given_name, s.family_name, s.address_protected FROM household_display_source s
         WHERE s.household_id = household_display.household_id)
    WHERE household_id IN (OLD.household_id, NEW.household_id);
END;
CREATE TRIGGER household_display_member_delete AFTER DELETE ON household_member
BEGIN
    UPDATE household_display SET
        (given_name, family_name, address_protected) =
        (SELECT s.given_name, s.family_name, s.address_protected FROM household_display_source s
         WHERE s.household_id = OLD.household_id)
    WHERE household_id = OLD.household_id;
END;

CREATE TRIGGER household_display_person_update AFTER UPDATE OF given_name, family_name ON person
BEGIN
    UPDATE household_display SET
        (given_name, family_name) =
        (SELECT s.given_name, s.family_name FROM household_display_source s
         WHERE s.household_id = household_display.household_id)
    WHERE household_id IN (SELECT m.household_id FROM household_member m
                           WHERE m.municipality_id = NEW.municipality_id AND m.person_id = NEW.id);
END;

CREATE TRIGGER household_display_protection_insert AFTER INSERT ON address_protection
BEGIN
    UPDATE household_display SET address_protected = 1
    WHERE household_id IN (SELECT m.household_id FROM household_member m
                           WHERE m.municipality_id = NEW.municipality_id AND m.person_id = NEW.person_id);
END;
CREATE TRIGGER household_display_protection_update AFTER UPDATE OF person_id, municipality_id ON address_protection
BEGIN
    UPDATE household_display SET
        address_protected = (SELECT s.address_protected FROM household_display_source s
                             WHERE s.household_id = household_display.household_id)
    WHERE household_id IN (SELECT m.household_id FROM household_member m
                           WHERE (m.municipality_id = OLD.municipality_id AND m.person_id = OLD.person_id)
                              OR (m.municipality_id = NEW.municipality_id AND m.person_id = NEW.person_id));
END;
CREATE TRIGGER household_display_protection_delete AFTER DELETE ON address_protection
BEGIN
    UPDATE household_display SET
        address_protected = (SELECT s.address_protected FROM household_display_source s
                             WHERE s.household_id = household_display.household_id)
    WHERE household_id IN (SELECT m.household_id FROM household_member m
                           WHERE m.municipality_id = OLD.municipality_id AND m.person_id = OLD.person_id);
END;
-- sqlite:end

-- postgres:begin
CREATE TABLE household_display (
    household_id TEXT /* id-collation */ PRIMARY KEY,
    municipality_id TEXT /* id-collation */ NOT NULL,
    address_line TEXT NOT NULL,
    from_date TEXT NOT NULL,
    given_name TEXT,
    family_name TEXT,
    address_protected BOOLEAN NOT NULL
);

CREATE VIEW household_display_source AS
SELECT h.id AS household_id, h.municipality_id, h.address_line, h.from_date,
    main.given_name, main.family_name,
    EXISTS (SELECT 1 FROM household_member pm JOIN address_protection pa
            ON pa.municipality_id = pm.municipality_id AND pa.person_id = pm.person_id
            WHERE pm.municipality_id = h.municipality_id AND pm.household_id = h.id) AS address_protected
FROM household h
LEFT JOIN LATERAL (
    SELECT p.given_name, p.family_name FROM household_member m JOIN person p ON p.id = m.person_id
    WHERE m.municipality_id = h.municipality_id AND m.household_id = h.id AND m.relation = 'main_applicant'
    ORDER BY m.position, m.person_id LIMIT 1
) main ON true;

INSERT INTO household_display (household_id, municipality_id, address_line, from_date, given_name, family_name, address_protected)
SELECT household_id, municipality_id, address_line, from_date, given_name, family_name, address_protected
FROM household_display_source;

-- Makes the rows of the households named again from their tables, writing only those that
-- changed (a child added to a household changes nothing shown). Plans made once per connection:
-- with PostgreSQL's own choice each call planned the view's joins again (a seed of 100 000
-- households took 309 s instead of 59 s; now about a tenth of a millisecond a row, measured in
-- docs/benchmarks.md). A household's removal is its own trigger's: a membership cannot outlive
-- its household.
CREATE FUNCTION household_display_refresh(households TEXT[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    INSERT INTO household_display AS d (household_id, municipality_id, address_line, from_date, given_name, family_name, address_protected)
    SELECT household_id, municipality_id, address_line, from_date, given_name, family_name, address_protected
    FROM household_display_source WHERE household_id = ANY (households)
    ON CONFLICT (household_id) DO UPDATE SET municipality_id = excluded.municipality_id,
        address_line = excluded.address_line, from_date = excluded.from_date, given_name = excluded.given_name,
        family_name = excluded.family_name, address_protected = excluded.address_protected
    WHERE (d.municipality_id, d.address_line, d.from_date, d.given_name, d.family_name, d.address_protected)
        IS DISTINCT FROM (excluded.municipality_id, excluded.address_line, excluded.from_date, excluded.given_name,
                          excluded.family_name, excluded.address_protected);
END
$$;

CREATE FUNCTION household_display_household_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM household_display WHERE household_id = OLD.id;
    ELSE
        PERFORM household_display_refresh(ARRAY[NEW.id]);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER household_display_household_insert_delete AFTER INSERT OR DELETE ON household FOR EACH ROW
    EXECUTE FUNCTION household_display_household_changed();
CREATE TRIGGER household_display_household_update AFTER UPDATE OF address_line, from_date, municipality_id ON household
    FOR EACH ROW EXECUTE FUNCTION household_display_household_changed();

CREATE FUNCTION household_display_member_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM household_display_refresh(ARRAY[NEW.household_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM household_display_refresh(ARRAY[OLD.household_id]);
    ELSE
        PERFORM household_display_refresh(ARRAY[OLD.household_id, NEW.household_id]);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER household_display_member AFTER INSERT OR UPDATE OR DELETE ON household_member FOR EACH ROW
    EXECUTE FUNCTION household_display_member_changed();

CREATE FUNCTION household_display_person_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM household_display_refresh(ARRAY(
        SELECT m.household_id FROM household_member m
        WHERE m.municipality_id = NEW.municipality_id AND m.person_id = NEW.id));
    RETURN NULL;
END
$$;
CREATE TRIGGER household_display_person_update AFTER UPDATE OF given_name, family_name ON person FOR EACH ROW
    EXECUTE FUNCTION household_display_person_changed();

-- An address block's: every household the person is a member of.
CREATE FUNCTION household_display_protection_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM household_display_refresh(ARRAY(
            SELECT m.household_id FROM household_member m
            WHERE m.municipality_id = OLD.municipality_id AND m.person_id = OLD.person_id));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM household_display_refresh(ARRAY(
            SELECT m.household_id FROM household_member m
            WHERE m.municipality_id = NEW.municipality_id AND m.person_id = NEW.person_id));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER household_display_protection_insert_delete AFTER INSERT OR DELETE ON address_protection FOR EACH ROW
    EXECUTE FUNCTION household_display_protection_changed();
CREATE TRIGGER household_display_protection_update AFTER UPDATE OF person_id, municipality_id ON address_protection
    FOR EACH ROW EXECUTE FUNCTION household_display_protection_changed();
-- postgres:end
