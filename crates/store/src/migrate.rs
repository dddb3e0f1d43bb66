//! Schema migrations: one file per version serving both backends (with the few differences as
//! marked substitutions), embedded in the binary, applied in order, each in its own
//! transaction, recorded with a checksum so that an edited migration is caught.

use crate::db::{Backend, Store};
use crate::error::{StoreError, StoreResult};
use sha2::{Digest, Sha256};
use sqlx::Row;

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "platform",
        sql: include_str!("../migrations/0001_platform.sql"),
    },
    Migration {
        version: 2,
        name: "tenancies",
        sql: include_str!("../migrations/0002_tenancies.sql"),
    },
    Migration {
        version: 3,
        name: "cases",
        sql: include_str!("../migrations/0003_cases.sql"),
    },
    Migration {
        version: 4,
        name: "finance",
        sql: include_str!("../migrations/0004_finance.sql"),
    },
    Migration {
        version: 5,
        name: "binary",
        sql: include_str!("../migrations/0005_binary.sql"),
    },
    Migration {
        version: 6,
        name: "notes",
        sql: include_str!("../migrations/0006_notes.sql"),
    },
    Migration {
        version: 7,
        name: "queue_indexes",
        sql: include_str!("../migrations/0007_queue_indexes.sql"),
    },
    Migration {
        version: 8,
        name: "tasks",
        sql: include_str!("../migrations/0008_tasks.sql"),
    },
    Migration {
        version: 9,
        name: "queue_sort",
        sql: include_str!("../migrations/0009_queue_sort.sql"),
    },
    Migration {
        version: 10,
        name: "section6_finding",
        sql: include_str!("../migrations/0010_section6_finding.sql"),
    },
    Migration {
        version: 11,
        name: "representative",
        sql: include_str!("../migrations/0011_representative.sql"),
    },
    Migration {
        version: 12,
        name: "kostra_reason",
        sql: include_str!("../migrations/0012_kostra_reason.sql"),
    },
    Migration {
        version: 13,
        name: "temporary_stay",
        sql: include_str!("../migrations/0013_temporary_stay.sql"),
    },
    Migration {
        version: 14,
        name: "reference_budget",
        sql: include_str!("../migrations/0014_reference_budget.sql"),
    },
    Migration {
        version: 15,
        name: "applicant_message",
        sql: include_str!("../migrations/0015_applicant_message.sql"),
    },
    Migration {
        version: 16,
        name: "action_plan",
        sql: include_str!("../migrations/0016_action_plan.sql"),
    },
    Migration {
        version: 17,
        name: "snapshots",
        sql: include_str!("../migrations/0017_snapshots.sql"),
    },
    Migration {
        version: 18,
        name: "dwelling_register",
        sql: include_str!("../migrations/0018_dwelling_register.sql"),
    },
    Migration {
        version: 19,
        name: "priority_policy",
        sql: include_str!("../migrations/0019_priority_policy.sql"),
    },
    Migration {
        version: 20,
        name: "allocation_rounds",
        sql: include_str!("../migrations/0020_allocation_rounds.sql"),
    },
    Migration {
        version: 21,
        name: "waiting_list_generation",
        sql: include_str!("../migrations/0021_waiting_list_generation.sql"),
    },
    Migration {
        version: 22,
        name: "tenancy_contracts",
        sql: include_str!("../migrations/0022_tenancy_contracts.sql"),
    },
    Migration {
        version: 23,
        name: "renewal_reviews",
        sql: include_str!("../migrations/0023_renewal_reviews.sql"),
    },
    Migration {
        version: 24,
        name: "rent_ledger",
        sql: include_str!("../migrations/0024_rent_ledger.sql"),
    },
    Migration {
        version: 25,
        name: "stay_costs_move_on",
        sql: include_str!("../migrations/0025_stay_costs_move_on.sql"),
    },
    Migration {
        version: 26,
        name: "follow_up",
        sql: include_str!("../migrations/0026_follow_up.sql"),
    },
    Migration {
        version: 27,
        name: "rent_changes",
        sql: include_str!("../migrations/0027_rent_changes.sql"),
    },
    Migration {
        version: 28,
        name: "list_indexes",
        sql: include_str!("../migrations/0028_list_indexes.sql"),
    },
    Migration {
        version: 29,
        name: "outreach_contacts",
        sql: include_str!("../migrations/0029_outreach_contacts.sql"),
    },
    Migration {
        version: 30,
        name: "search_index",
        sql: include_str!("../migrations/0030_search_index.sql"),
    },
    Migration {
        version: 31,
        name: "partners_and_consent",
        sql: include_str!("../migrations/0031_partners_and_consent.sql"),
    },
    Migration {
        version: 32,
        name: "partner_list_index",
        sql: include_str!("../migrations/0032_partner_list_index.sql"),
    },
    Migration {
        version: 33,
        name: "address_protection",
        sql: include_str!("../migrations/0033_address_protection.sql"),
    },
    Migration {
        version: 34,
        name: "referrals",
        sql: include_str!("../migrations/0034_referrals.sql"),
    },
    Migration {
        version: 35,
        name: "meetings",
        sql: include_str!("../migrations/0035_meetings.sql"),
    },
    Migration {
        version: 36,
        name: "self_service_consent",
        sql: include_str!("../migrations/0036_self_service_consent.sql"),
    },
    Migration {
        version: 37,
        name: "consent_sort_name",
        sql: include_str!("../migrations/0037_consent_sort_name.sql"),
    },
    Migration {
        version: 38,
        name: "reminders",
        sql: include_str!("../migrations/0038_reminders.sql"),
    },
    Migration {
        version: 39,
        name: "search_order",
        sql: include_str!("../migrations/0039_search_order.sql"),
    },
    Migration {
        version: 40,
        name: "outreach_lists",
        sql: include_str!("../migrations/0040_outreach_lists.sql"),
    },
    Migration {
        version: 41,
        name: "search_pairs",
        sql: include_str!("../migrations/0041_search_pairs.sql"),
    },
    Migration {
        version: 42,
        name: "queue_generation",
        sql: include_str!("../migrations/0042_queue_generation.sql"),
    },
    Migration {
        version: 43,
        name: "access_log",
        sql: include_str!("../migrations/0043_access_log.sql"),
    },
    Migration {
        version: 44,
        name: "grant_ledger_totals",
        sql: include_str!("../migrations/0044_grant_ledger_totals.sql"),
    },
    Migration {
        version: 45,
        name: "open_case_indexes",
        sql: include_str!("../migrations/0045_open_case_indexes.sql"),
    },
    Migration {
        version: 46,
        name: "open_assigned_index",
        sql: include_str!("../migrations/0046_open_assigned_index.sql"),
    },
    Migration {
        version: 47,
        name: "id_collation",
        sql: include_str!("../migrations/0047_id_collation.sql"),
    },
    Migration {
        version: 48,
        name: "person_pair_rows",
        sql: include_str!("../migrations/0048_person_pair_rows.sql"),
    },
    Migration {
        version: 49,
        name: "household_display",
        sql: include_str!("../migrations/0049_household_display.sql"),
    },
];

/// The migration text for a backend: the one place where the dialects' DDL differs. Marked
/// substitutions (`/* prefix-collation */` and `/* id-collation */`, byte-by-byte comparison on
/// PostgreSQL; `/* access-schema */`, the schema of the access log's file on SQLite), or whole
/// blocks between `-- sqlite:begin` and `-- sqlite:end`
/// (likewise `postgres`) kept for that backend only.
fn render(sql: &str, backend: Backend) -> String {
    let substitute = |text: &str| {
        let (collation, access_schema) = match backend {
            Backend::Postgres => ("COLLATE \"C\"", ""),
            Backend::Sqlite => ("", "access."),
        };
        text.replace("/* prefix-collation */", collation)
            .replace("/* id-collation */", collation)
            .replace("/* access-schema */", access_schema)
    };
    if !sql.contains(":begin") {
        // Unchanged text keeps the checksums of migrations already applied.
        return substitute(sql);
    }
    let mine = match backend {
        Backend::Postgres => "postgres",
        Backend::Sqlite => "sqlite",
    };
    let mut kept = String::with_capacity(sql.len());
    let mut block: Option<&str> = None;
    for line in sql.lines() {
        let marker = line.trim().strip_prefix("-- ");
        match marker.and_then(|m| m.split_once(':')) {
            Some((name @ ("sqlite" | "postgres"), "begin")) => block = Some(name),
            Some(("sqlite" | "postgres", "end")) => block = None,
            _ if block.is_none_or(|b| b == mine) => {
                kept.push_str(line);
                kept.push('\n');
            }
            _ => {}
        }
    }
    substitute(&kept)
}

/// The schema version from which reads are recorded in the access log (see `audit::Log`).
pub(crate) const ACCESS_LOG_SCHEMA: i64 = 43;

/// The newest schema version this binary knows.
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// A digest of every migration as PostgreSQL runs it: equal digests, equal schemas. Names the
/// tests' migrated template database (`testing`).
pub(crate) fn digest() -> String {
    let mut hasher = Sha256::new();
    for migration in MIGRATIONS {
        hasher.update(migration.version.to_be_bytes());
        hasher.update(render(migration.sql, Backend::Postgres).as_bytes());
    }
    hex::encode(hasher.finalize())
}

impl Store {
    /// Applies every pending migration and returns the versions applied.
    pub async fn migrate(&self) -> StoreResult<Vec<i64>> {
        let applied = self.migrate_through(LATEST).await?;
        if applied.contains(&crate::search::INDEX_SCHEMA) {
            crate::search::vacuum_after_rebuild(self).await?;
        }
        self.ensure_installation().await?;
        Ok(applied)
    }

    /// Applies the pending migrations up to version `last` (a test upgrades a database with
    /// data in it from an older version this way).
    pub(crate) async fn migrate_through(&self, last: i64) -> StoreResult<Vec<i64>> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migration (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *self.conn().await?)
        .await?;
        let mut applied = Vec::new();
        for migration in MIGRATIONS.iter().filter(|m| m.version <= last) {
            let sql = render(migration.sql, self.backend());
            let checksum = hex::encode(Sha256::digest(sql.as_bytes()));
            let mut tx = self.write().await?;
            let existing = sqlx::query("SELECT checksum FROM schema_migration WHERE version = $1")
                .bind(migration.version)
                .fetch_optional(tx.conn())
                .await?;
            if let Some(row) = existing {
                let stored: String = row.try_get("checksum")?;
                if stored != checksum {
                    return Err(StoreError::Corrupt(format!(
                        "migration {} ({}) differs from the one applied to this database",
                        migration.version, migration.name
                    )));
                }
                continue;
            }
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.as_str()))
                .execute(tx.conn())
                .await?;
            if migration.version == crate::search::INDEX_SCHEMA {
                // The words are made in Rust (`search_words`), so the rows are filled here.
                crate::search::rebuild_search_index(&mut tx).await?;
            }
            sqlx::query("INSERT INTO schema_migration (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)")
                .bind(migration.version)
                .bind(migration.name)
                .bind(&checksum)
                .bind(crate::now_micros())
                .execute(tx.conn())
                .await?;
            tx.commit().await?;
            applied.push(migration.version);
        }
        Ok(applied)
    }

    /// The schema version of the database, 0 when nothing is applied.
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migration")
            .fetch_one(&mut *self.conn().await?)
            .await;
        match row {
            Ok(row) => Ok(row.try_get::<i64, _>("v")?),
            Err(_) => Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_backend_gets_its_own_blocks_and_the_rest() {
        let sql = "A;\n-- sqlite:begin\nS;\n-- sqlite:end\n-- postgres:begin\nP /* prefix-collation */;\n-- postgres:end\nB;\n";
        assert_eq!(render(sql, Backend::Sqlite), "A;\nS;\nB;\n");
        assert_eq!(render(sql, Backend::Postgres), "A;\nP COLLATE \"C\";\nB;\n");
        // Migrations without blocks are passed through unchanged (their checksums stay).
        let plain = "CREATE TABLE t (x TEXT /* prefix-collation */);";
        assert_eq!(render(plain, Backend::Sqlite), "CREATE TABLE t (x TEXT );");
        let access = "CREATE TABLE /* access-schema */access_entry (x TEXT);";
        assert_eq!(
            render(access, Backend::Sqlite),
            "CREATE TABLE access.access_entry (x TEXT);"
        );
        assert_eq!(render(access, Backend::Postgres), "CREATE TABLE access_entry (x TEXT);");
        let id = "CREATE TABLE t (id TEXT /* id-collation */ PRIMARY KEY);";
        assert_eq!(render(id, Backend::Sqlite), "CREATE TABLE t (id TEXT  PRIMARY KEY);");
        assert_eq!(
            render(id, Backend::Postgres),
            "CREATE TABLE t (id TEXT COLLATE \"C\" PRIMARY KEY);"
        );
    }

    /// Schema 47: on PostgreSQL every column holding ids (named `id` or `…_id`, or a foreign key
    /// to such a column) compares byte by byte. A comparison of an id in "C" with one in another
    /// collation could not use the other's index, so a table added later must write its ids
    /// `TEXT /* id-collation */`.
    #[tokio::test]
    async fn every_id_column_compares_byte_by_byte_on_postgresql() {
        let Some(db) = crate::testing::TestDb::postgres().await.unwrap() else {
            return;
        };
        let columns = sqlx::query(
            "WITH id_column AS ( \
                SELECT a.attrelid, a.attnum FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 \
                  AND NOT a.attisdropped AND a.atttypid = 'text'::regtype \
                  AND (a.attname = 'id' OR a.attname LIKE '%\\_id')), \
             referencing AS ( \
                SELECT k.conrelid AS attrelid, pair.own AS attnum FROM pg_constraint k \
                CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS pair (own, referenced) \
                JOIN id_column r ON r.attrelid = k.confrelid AND r.attnum = pair.referenced \
                WHERE k.contype = 'f') \
             SELECT CAST(CAST(a.attrelid AS regclass) AS TEXT) || '.' || a.attname AS name, \
                    COALESCE(CAST(co.collname AS TEXT), 'default') AS collation \
             FROM (SELECT * FROM id_column UNION SELECT * FROM referencing) ids \
             JOIN pg_attribute a ON a.attrelid = ids.attrelid AND a.attnum = ids.attnum \
             LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 100 \
             ORDER BY name",
        )
        .fetch_all(db.store.pool())
        .await
        .unwrap();
        let named = |row: &sqlx::any::AnyRow| -> (String, String) { (row.get("name"), row.get("collation")) };
        let columns: Vec<(String, String)> = columns.iter().map(named).collect();
        assert!(columns.len() > 200, "the id columns are found: {}", columns.len());
        assert!(columns.iter().any(|(name, _)| name == "application_case.assigned_to"));
        let other: Vec<&(String, String)> = columns.iter().filter(|(_, collation)| collation != "C").collect();
        assert!(
            other.is_empty(),
            "id columns not in COLLATE \"C\" (write them `TEXT /* id-collation */`): {other:?}"
        );
    }

    /// Migrations run as a database's owner without superuser rights, as a hosted PostgreSQL
    /// gives them: schema 47 learns which tables had statistics from `pg_stats` (only a superuser
    /// may read `pg_statistic`), and analyzes such a table again after changing its ids.
    #[tokio::test]
    async fn an_owner_without_superuser_rights_migrates_on_postgresql() {
        use sqlx::Executor;
        let Ok(base) = std::env::var(crate::testing::POSTGRES_URL_VAR) else {
            return;
        };
        let suffix = uuid::Uuid::now_v7().simple().to_string();
        let (role, name) = (format!("husly_owner_{suffix}"), format!("husly_test_{suffix}"));
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&base).await.unwrap();
        for sql in [
            format!("CREATE ROLE {role} LOGIN NOSUPERUSER"),
            format!("CREATE DATABASE {name} OWNER {role}"),
        ] {
            admin.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
        }
        // The same server and database name, signed in as the owner.
        let url = crate::testing::replace_database(&base, &name);
        let host = url
            .rsplit_once('@')
            .map_or(&url["postgres://".len()..], |(_, host)| host);
        let url = format!("postgres://{role}@{host}");

        let store = Store::connect(&url, &crate::StoreOptions::default()).await.unwrap();
        store.migrate_through(46).await.unwrap();
        let actor = crate::audit::Actor::cli("test");
        store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        sqlx::raw_sql("ANALYZE municipality")
            .execute(store.pool())
            .await
            .unwrap();
        assert!(store.migrate().await.unwrap().contains(&47));
        let stats: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'municipality' AND attname = 'id'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(stats, 1, "the changed table is analyzed again");
        store.close().await;

        for sql in [
            format!("DROP DATABASE {name} WITH (FORCE)"),
            format!("DROP ROLE {role}"),
        ] {
            admin.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
        }
    }

    /// Schema 36 rebuilds the consent table on SQLite and 37 adds the list's sort name: a
    /// database with consents in it keeps every one, as it was, on both backends.
    #[tokio::test]
    async fn consents_kept_before_schema_36_survive_it() {
        use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
        use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
        use time::macros::date;

        for db in crate::testing::TestDb::all_empty().await.unwrap() {
            let store = &db.store;
            store.migrate_through(35).await.unwrap();
            let actor = crate::audit::Actor::cli("test");
            let m = store
                .ensure_municipality("3301", "Drammen", false, &actor)
                .await
                .unwrap();
            let input = HouseholdInput {
                address_line: "Oppgraderingsveien 1".into(),
                postal_code: "3015".into(),
                postal_city: "Drammen".into(),
                from_date: "01.02.2024".into(),
                members: vec![MemberInput {
                    national_id: synthetic_tenor_next(date!(1970 - 01 - 01), 901).to_string(),
                    given_name: "Olga".into(),
                    family_name: "Oppgradert".into(),
                    relation: "main_applicant".into(),
                    ..Default::default()
                }],
                ..Default::default()
            };
            let valid = validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).unwrap();
            let cli = crate::households::Change {
                actor: &actor,
                user: None,
                reason: None,
            };
            // Today's store writes the search index's sort keys and pairs (schemas 39, 41, 48): the
            // columns and the pairs' table are there while it registers the household, and gone
            // again before the migration (both changes on one connection, which knows them).
            let mut conn = store.pool().acquire().await.unwrap();
            let alter = |change: &str| {
                ["person_search", "household_search"]
                    .map(|table| format!("ALTER TABLE {table} {change}"))
                    .join("; ")
            };
            let pair_rows =
                "person_search_pair (municipality_id TEXT, pair TEXT, sort_key TEXT, person_id TEXT, words TEXT)";
            let add = format!(
                "{}; {}; CREATE TABLE {pair_rows}",
                alter("ADD COLUMN sort_key TEXT NOT NULL DEFAULT ''"),
                alter("ADD COLUMN pairs TEXT NOT NULL DEFAULT ''")
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(add))
                .execute(&mut *conn)
                .await
                .unwrap();
            let h = store.create_household(m.id, &valid, &cli).await.unwrap();
            let remove = format!(
                "{}; {}; DROP TABLE person_search_pair",
                alter("DROP COLUMN sort_key"),
                alter("DROP COLUMN pairs")
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(remove))
                .execute(&mut *conn)
                .await
                .unwrap();
            drop(conn);
            let person = store.household(m.id, h).await.unwrap().members[0].person.id;
            let worker = store
                .create_user("olga@kommune.invalid", "Olav Oppgrader", "et langt passord 123", &actor)
                .await
                .unwrap();
            let organisation = store
                .add_partner_organisation(m.id, "NAV", husly_domain::follow_up::PartnerKind::Nav, (&actor, worker))
                .await
                .unwrap();
            // As schema 35 kept it (the store of today writes columns that schema lacks).
            crate::testing::execute_raw(
                store,
                &format!(
                    "INSERT INTO consent (id, municipality_id, household_id, person_id, organisation_id, purpose, \
                     categories, valid_from, valid_to, evidence, given_by, guardian, recorded_by, recorded_at) VALUES \
                     ('01900000-0000-7000-8000-0000000000c1', '{}', '{h}', '{person}', '{organisation}', 'Oppfølging', \
                     'contact', '2026-12-01', '2027-11-30', 'meeting', 'person', NULL, '{worker}', 1)",
                    m.id
                ),
            )
            .await
            .unwrap();
            let before = store.consents_of_household(m.id, h).await.unwrap();
            assert!(store.migrate().await.unwrap().contains(&36), "{:?}", db.backend());
            // Read on as the upgraded server does, on connections of its own: a statement this
            // test's pool prepared before schema 47 changed the id columns' collation no longer
            // matches its results on PostgreSQL (as README's upgrade says: stop, then start).
            let upgraded = Store::connect(&db.url, &crate::StoreOptions::default()).await.unwrap();
            let store = &upgraded;
            assert_eq!(
                store.consents_of_household(m.id, h).await.unwrap(),
                before,
                "{:?}",
                db.backend()
            );
            assert_eq!(before[0].recorded_by.as_deref(), Some("Olav Oppgrader"));
            let sort_name: String = sqlx::query_scalar("SELECT sort_name FROM consent")
                .fetch_one(store.pool())
                .await
                .unwrap();
            assert_eq!(sort_name, "Oppgradert Olga", "schema 37 fills the sort name");
        }
    }
}
