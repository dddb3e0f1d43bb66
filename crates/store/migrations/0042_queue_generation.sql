-- Schema 42: a change counter for each municipality's work queue counts.
--
-- Every view of the work queue shows how many cases each of its tabs holds. Counting them reads
-- up to six thousand index entries a view, the same for every caseworker of the municipality
-- until a case changes. The server keeps the counts in memory with the counter they were read
-- at (usecases/src/cases/queue_counts.rs) and counts again only when the counter has moved or
-- the day has changed (the due-soon and overdue tabs count to today). Triggers move it whenever
-- a case comes, goes or changes what the tabs select by (state, assignee, deadline, case type):
-- no write path can forget it, and every server on one database follows the same counter.
CREATE TABLE queue_generation (
    municipality_id TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);

-- sqlite:begin
CREATE TRIGGER queue_case_insert AFTER INSERT ON application_case
BEGIN
    INSERT INTO queue_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER queue_case_update AFTER UPDATE OF state, assigned_to, due_order, case_type, municipality_id ON application_case
WHEN OLD.state IS NOT NEW.state OR OLD.assigned_to IS NOT NEW.assigned_to OR OLD.due_order IS NOT NEW.due_order
    OR OLD.case_type IS NOT NEW.case_type OR OLD.municipality_id IS NOT NEW.municipality_id
BEGIN
    INSERT INTO queue_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
    INSERT INTO queue_generation (municipality_id, generation)
    SELECT OLD.municipality_id, 1 WHERE OLD.municipality_id IS NOT NEW.municipality_id
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
CREATE TRIGGER queue_case_delete AFTER DELETE ON application_case
BEGIN
    INSERT INTO queue_generation (municipality_id, generation) VALUES (OLD.municipality_id, 1)
    ON CONFLICT (municipality_id) DO UPDATE SET generation = generation + 1;
END;
-- sqlite:end

-- postgres:begin
CREATE FUNCTION queue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO queue_generation (municipality_id, generation) VALUES (OLD.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET generation = queue_generation.generation + 1;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.municipality_id IS DISTINCT FROM OLD.municipality_id) THEN
        INSERT INTO queue_generation (municipality_id, generation) VALUES (NEW.municipality_id, 1)
        ON CONFLICT (municipality_id) DO UPDATE SET generation = queue_generation.generation + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_case_insert_delete AFTER INSERT OR DELETE ON application_case FOR EACH ROW
    EXECUTE FUNCTION queue_changed();
CREATE TRIGGER queue_case_update AFTER UPDATE OF state, assigned_to, due_order, case_type, municipality_id ON application_case FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.assigned_to IS DISTINCT FROM NEW.assigned_to
        OR OLD.due_order IS DISTINCT FROM NEW.due_order OR OLD.case_type IS DISTINCT FROM NEW.case_type
        OR OLD.municipality_id IS DISTINCT FROM NEW.municipality_id)
    EXECUTE FUNCTION queue_changed();
-- postgres:end
