-- Schema 44: the grant ledger's totals per municipality, budget year, grant and kind of entry.
--
-- A grant case's page shows what is left of the year's budget for its grant. Summing the
-- year's ledger for it read every entry of the year (2.4 ms on PostgreSQL at 1 467 entries, and
-- more with every commitment and payment of the year). Triggers keep the sums as entries are
-- written, so the page reads one row per kind of entry; no write path can forget them, and an
-- import of the ledger sets them in the target. The ledger stays the record: the budget page
-- still sums it, and a contract test checks the two agree.
CREATE TABLE grant_ledger_total (
    municipality_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    grant_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    total_ore BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, year, grant_type, kind)
);

INSERT INTO grant_ledger_total (municipality_id, year, grant_type, kind, total_ore)
SELECT municipality_id, year, grant_type, kind, SUM(amount_ore)
FROM grant_ledger GROUP BY municipality_id, year, grant_type, kind;

-- sqlite:begin
CREATE TRIGGER grant_ledger_total_insert AFTER INSERT ON grant_ledger
BEGIN
    INSERT INTO grant_ledger_total (municipality_id, year, grant_type, kind, total_ore)
    VALUES (NEW.municipality_id, NEW.year, NEW.grant_type, NEW.kind, NEW.amount_ore)
    ON CONFLICT (municipality_id, year, grant_type, kind) DO UPDATE SET total_ore = total_ore + excluded.total_ore;
END;
CREATE TRIGGER grant_ledger_total_update AFTER UPDATE OF municipality_id, year, grant_type, kind, amount_ore ON grant_ledger
BEGIN
    UPDATE grant_ledger_total SET total_ore = total_ore - OLD.amount_ore
    WHERE municipality_id = OLD.municipality_id AND year = OLD.year AND grant_type = OLD.grant_type AND kind = OLD.kind;
    INSERT INTO grant_ledger_total (municipality_id, year, grant_type, kind, total_ore)
    VALUES (NEW.municipality_id, NEW.year, NEW.grant_type, NEW.kind, NEW.amount_ore)
    ON CONFLICT (municipality_id, year, grant_type, kind) DO UPDATE SET total_ore = total_ore + excluded.total_ore;
END;
CREATE TRIGGER grant_ledger_total_delete AFTER DELETE ON grant_ledger
BEGIN
    UPDATE grant_ledger_total SET total_ore = total_ore - OLD.amount_ore
    WHERE municipality_id = OLD.municipality_id AND year = OLD.year AND grant_type = OLD.grant_type AND kind = OLD.kind;
END;
-- sqlite:end

-- postgres:begin
CREATE FUNCTION grant_ledger_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE grant_ledger_total SET total_ore = total_ore - OLD.amount_ore
        WHERE municipality_id = OLD.municipality_id AND year = OLD.year AND grant_type = OLD.grant_type
            AND kind = OLD.kind;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO grant_ledger_total (municipality_id, year, grant_type, kind, total_ore)
        VALUES (NEW.municipality_id, NEW.year, NEW.grant_type, NEW.kind, NEW.amount_ore)
        ON CONFLICT (municipality_id, year, grant_type, kind)
        DO UPDATE SET total_ore = grant_ledger_total.total_ore + excluded.total_ore;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER grant_ledger_total_insert_delete AFTER INSERT OR DELETE ON grant_ledger FOR EACH ROW
    EXECUTE FUNCTION grant_ledger_changed();
CREATE TRIGGER grant_ledger_total_update AFTER UPDATE OF municipality_id, year, grant_type, kind, amount_ore ON grant_ledger
    FOR EACH ROW EXECUTE FUNCTION grant_ledger_changed();
-- postgres:end
