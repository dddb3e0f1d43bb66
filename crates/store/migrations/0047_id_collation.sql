-- Schema 47: on PostgreSQL, ids compare byte by byte.
--
-- Ids are UUIDs written as text (and a few fixed words such as 'installation'). PostgreSQL
-- compared them through the database's collation, which for any locale but "C" means the C
-- library's linguistic comparison on every key lookup, join and sort of ids: the search's
-- households of 50 hits took 0.206–0.214 ms under C.UTF-8, 0.174–0.191 ms with the id columns in
-- "C", and 0.270–0.288 ms in a database made with the Norwegian ICU locale
-- (docs/benchmarks.md, "Keys compared by the database's collation"). Names and addresses keep
-- the database's collation; only the columns holding ids change.
--
-- Every text column named `id` or ending in `_id`, and every column of a foreign key to such a
-- column (`created_by`, `assigned_to`, …), becomes COLLATE "C". An index serves a join only
-- when both sides share its collation, so they change in one migration. PostgreSQL rebuilds the
-- indexes and foreign keys on them; a table's triggers are dropped and made again around the
-- change, as PostgreSQL refuses to change a column a trigger's condition names. A store test
-- checks that every id column of the schema is "C", so a later table writes its ids with the
-- marker `/* id-collation */`. SQLite compares text byte by byte already: nothing changes there.
-- postgres:begin
DO $$
DECLARE
    target record;
    triggers text[];
    definition text;
    analyzed boolean;
BEGIN
    FOR target IN
        WITH id_column AS (
            SELECT c.oid AS table_oid, a.attname AS column_name
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
              AND a.atttypid = 'text'::regtype
              AND (a.attname = 'id' OR a.attname LIKE '%\_id')
        ),
        referencing AS (
            SELECT k.conrelid AS table_oid, a.attname AS column_name
            FROM pg_constraint k
            CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS pair (own, referenced)
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = pair.own
            JOIN pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = pair.referenced
            WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace
              AND a.atttypid = 'text'::regtype
              AND (r.attname = 'id' OR r.attname LIKE '%\_id')
        )
        SELECT table_oid::regclass AS table_name,
               string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', column_name), ', ' ORDER BY column_name) AS changes
        FROM (SELECT * FROM id_column UNION SELECT * FROM referencing) AS ids
        GROUP BY table_oid
        ORDER BY table_oid::regclass::text
    LOOP
        -- pg_stats, not pg_statistic: only a superuser may read the latter, and the database's
        -- owner need not be one.
        analyzed := EXISTS (
            SELECT 1 FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename
            WHERE c.oid = target.table_name AND s.schemaname = current_schema()
        );
        SELECT array_agg(pg_get_triggerdef(t.oid) ORDER BY t.tgname) INTO triggers
        FROM pg_trigger t WHERE t.tgrelid = target.table_name AND NOT t.tgisinternal;
        FOR definition IN
            SELECT format('DROP TRIGGER %I ON %s', t.tgname, target.table_name)
            FROM pg_trigger t WHERE t.tgrelid = target.table_name AND NOT t.tgisinternal
        LOOP
            EXECUTE definition;
        END LOOP;
        EXECUTE format('ALTER TABLE %s %s', target.table_name, target.changes);
        -- The change drops the columns' statistics, and without them the planner guesses (the
        -- search's households of 50 hits took 38 ms instead of 0.17 until the next ANALYZE). A
        -- table never analyzed (a new installation's) stays so, for autovacuum to come by.
        IF analyzed THEN
            EXECUTE format('ANALYZE %s', target.table_name);
        END IF;
        FOREACH definition IN ARRAY coalesce(triggers, '{}')
        LOOP
            EXECUTE definition;
        END LOOP;
    END LOOP;
END
$$;
-- postgres:end
