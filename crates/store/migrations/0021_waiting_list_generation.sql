-- Schema version 21: a change counter for each municipality's waiting list.
--
-- The waiting-list page, the applicant's status page and the stock page read the same ranked
-- list; the server keeps it in memory and rebuilds it only when `generation` has moved. The
-- database moves it, by triggers, whenever anything the list reads changes: a case entering,
-- leaving or changing on the list, a member of a waiting household, a person's name or birth
-- date, a letting (tenancy) or a let dwelling's facts, a priority policy version. Triggers and
-- not application code, so that no write path can forget it and every server on one database
-- sees the same counter. The list is read after the counter, so a change committed between the
-- two only makes the next request rebuild once more.
CREATE TABLE waiting_list_generation (
    municipality_id TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);

-- sqlite:begin
-- `+c.state` keeps SQLite from looking a member's household up through the index on the state
-- (every waiting case of the municipality) instead of the one on the household.
CREATE TRIGGER waiting_list_case_insert AFTER INSERT ON application_case
WHEN NEW.state = 'on_waiting_list'
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_case_update AFTER UPDATE ON application_case
WHEN OLD.state = 'on_waiting_list' OR NEW.state = 'on_waiting_list'
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_case_delete AFTER DELETE ON application_case
WHEN OLD.state = 'on_waiting_list'
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (OLD.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_member_insert AFTER INSERT ON household_member
WHEN EXISTS (SELECT 1 FROM application_case c WHERE c.municipality_id = NEW.municipality_id
    AND c.household_id = NEW.household_id AND +c.state = 'on_waiting_list')
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_member_update AFTER UPDATE ON household_member
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_member_delete AFTER DELETE ON household_member
WHEN EXISTS (SELECT 1 FROM application_case c WHERE c.municipality_id = OLD.municipality_id
    AND c.household_id = OLD.household_id AND +c.state = 'on_waiting_list')
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (OLD.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_person_update AFTER UPDATE OF given_name, family_name, birth_date ON person
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_tenancy_insert AFTER INSERT ON tenancy
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_tenancy_update AFTER UPDATE ON tenancy
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_tenancy_delete AFTER DELETE ON tenancy
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (OLD.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_dwelling_update AFTER UPDATE OF bedrooms, wheelchair_accessible, dwelling_type, deleted_at ON dwelling
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_policy_insert AFTER INSERT ON priority_policy
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_policy_update AFTER UPDATE ON priority_policy
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER waiting_list_policy_delete AFTER DELETE ON priority_policy
BEGIN
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (OLD.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
-- sqlite:end

-- postgres:begin
CREATE FUNCTION waiting_list_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := OLD;
    ELSE
        changed := NEW;
    END IF;
    IF TG_TABLE_NAME = 'household_member' AND TG_OP <> 'UPDATE' THEN
        IF NOT EXISTS (SELECT 1 FROM application_case c WHERE c.municipality_id = changed.municipality_id
                AND c.household_id = changed.household_id AND c.state = 'on_waiting_list') THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO waiting_list_generation (municipality_id, generation) VALUES (changed.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = waiting_list_generation.generation + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER waiting_list_case_insert AFTER INSERT ON application_case FOR EACH ROW
    WHEN (NEW.state = 'on_waiting_list') EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_case_update AFTER UPDATE ON application_case FOR EACH ROW
    WHEN (OLD.state = 'on_waiting_list' OR NEW.state = 'on_waiting_list') EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_case_delete AFTER DELETE ON application_case FOR EACH ROW
    WHEN (OLD.state = 'on_waiting_list') EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_member AFTER INSERT OR UPDATE OR DELETE ON household_member FOR EACH ROW
    EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_person_update AFTER UPDATE OF given_name, family_name, birth_date ON person FOR EACH ROW
    EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_tenancy AFTER INSERT OR UPDATE OR DELETE ON tenancy FOR EACH ROW
    EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_dwelling_update AFTER UPDATE OF bedrooms, wheelchair_accessible, dwelling_type, deleted_at ON dwelling FOR EACH ROW
    EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_policy AFTER INSERT OR UPDATE OR DELETE ON priority_policy FOR EACH ROW
    EXECUTE FUNCTION waiting_list_changed();
-- postgres:end
