//! The rent ledger on both backends (SQLite always, PostgreSQL when `HUSLY_TEST_POSTGRES_URL` is
//! set): every tenancy has its reference, also one written without; an import writes every row
//! with its batch and audit entry; the same file again changes nothing; a changed month takes
//! the new figures; a row naming another municipality's tenancy refuses the whole import; the
//! references and the ledger travel with an export, and an archive from before the references
//! gets them on import.

use husly_domain::rules::YearMonth;
use husly_domain::tenancy::arrears::{LedgerMonth, arrears};
use husly_domain::tenancy::ledger::{LedgerRow, LedgerSummary, reference};
use husly_store::StoreError;
use husly_store::audit::Actor;
use husly_store::follow_up::Households;
use husly_store::households::Change;
use husly_store::rent_ledger::NewLedgerImport;
use husly_store::testing::TestDb;

fn month(m: u8) -> YearMonth {
    YearMonth::new(2026, m).unwrap()
}

fn row(n: usize, tenancy: &str, m: u8, due_kr: i64, paid_kr: i64) -> LedgerRow {
    LedgerRow {
        row: n,
        tenancy_id: tenancy.to_string(),
        period: month(m),
        due_ore: due_kr * 100,
        paid_ore: paid_kr * 100,
    }
}

fn batch(rows: &[LedgerRow]) -> NewLedgerImport<'static> {
    NewLedgerImport {
        file_name: "husleieeskontro mars.csv",
        via: "cli",
        summary: LedgerSummary::of(rows),
    }
}

async fn count(store: &husly_store::Store, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_ledger_is_imported_whole_once_and_read_back_as_arrears() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("3201", "Bærum", false, &actor).await.unwrap();
        store.seed_households(&m, 80, 5, &actor).await.unwrap();
        store.seed_households(&other, 30, 6, &actor).await.unwrap();
        // The seeder writes the last three months of ledger for every tenancy; this test imports
        // its own onto an empty ledger.
        for table in ["rent_ledger_entry", "rent_ledger_import"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(store.pool())
                .await
                .unwrap();
        }
        let by = Change {
            actor: &actor,
            user: None,
            reason: None,
        };

        // Every tenancy is numbered within its municipality, from 1 on, without gaps.
        let known = store.ledger_tenancies(m.id).await.unwrap();
        assert!(known.len() >= 10, "{backend:?}: tenancies to work with");
        let mut references: Vec<String> = known.iter().map(|k| k.reference.clone()).collect();
        references.sort();
        let expected: Vec<String> = (1..=known.len() as u64).map(reference).collect();
        assert_eq!(references, expected, "{backend:?}");
        let theirs = store.ledger_tenancies(other.id).await.unwrap();
        assert!(
            theirs.iter().any(|k| k.reference == reference(1)),
            "counted per municipality"
        );

        // A tenancy written without a reference gets the next one.
        let first = &known[0];
        sqlx::query(
            "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, ended_on, \
             end_reason, monthly_rent_ore, heating_included, created_at) SELECT $1, municipality_id, dwelling_id, \
             household_id, '2019-01-01', '2019-12-31', '2019-12-31', 'tenant_notice', monthly_rent_ore, 0, 1 \
             FROM tenancy WHERE id = $2",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&first.id)
        .execute(store.pool())
        .await
        .unwrap();
        let numbered = store.ledger_tenancies(m.id).await.unwrap();
        assert!(
            numbered
                .iter()
                .any(|k| k.reference == reference(known.len() as u64 + 1)),
            "{backend:?}"
        );
        let contract = store.contract(m.id, &first.id).await.unwrap();
        assert_eq!(contract.reference, first.reference);

        // Three tenancies, two months: one paid, one a month behind, one paid in part.
        let (a, b, c) = (&known[0].id, &known[1].id, &known[2].id);
        let rows = vec![
            row(2, a, 2, 8_100, 8_100),
            row(3, a, 3, 8_100, 8_100),
            row(4, b, 2, 9_400, 9_400),
            row(5, b, 3, 9_400, 0),
            row(6, c, 2, 7_000, 3_000),
            row(7, c, 3, 7_000, 7_000),
        ];
        let imported = store.import_ledger(m.id, &batch(&rows), &rows, &by).await.unwrap();
        assert_eq!(
            (imported.created, imported.updated, imported.unchanged),
            (6, 0, 0),
            "{backend:?}"
        );
        assert_eq!(
            store.ledger_months(m.id, b).await.unwrap(),
            vec![
                LedgerMonth {
                    period: month(2),
                    due_ore: 940_000,
                    paid_ore: 940_000
                },
                LedgerMonth {
                    period: month(3),
                    due_ore: 940_000,
                    paid_ore: 0
                },
            ]
        );
        let in_arrears = store.tenancies_in_arrears(m.id).await.unwrap();
        let ids: Vec<&str> = in_arrears.iter().map(|t| t.tenancy_id.as_str()).collect();
        assert_eq!(ids.len(), 2, "{backend:?}: {ids:?}");
        assert!(ids.contains(&b.as_str()) && ids.contains(&c.as_str()));
        let behind = in_arrears.iter().find(|t| &t.tenancy_id == b).unwrap();
        assert_eq!(arrears(&behind.months).arrears_ore, 940_000);
        assert_eq!(behind.reference, known[1].reference);
        assert!(!behind.tenant_name.trim().is_empty() && !behind.address_line.is_empty());
        assert!(store.tenancies_in_arrears(other.id).await.unwrap().is_empty());
        // The caseload's read: the same ledgers without names, for all or for one household.
        let open = store.open_ledgers_in_arrears(m.id, Households::All).await.unwrap();
        assert_eq!(open.len(), 2, "{backend:?}");
        let one = store
            .open_ledgers_in_arrears(m.id, Households::One(behind.household))
            .await
            .unwrap();
        assert_eq!(one.len(), 1, "{backend:?}");
        assert_eq!(
            (one[0].household, one[0].months.clone()),
            (behind.household, behind.months.clone())
        );
        let paid_contract = store.contract(m.id, a).await.unwrap();
        let paid_up = paid_contract.household;
        assert_eq!(paid_contract.ended_on, None, "{backend:?}");
        // The caseload's other reads of contracts: an open contract, and its term's end up to a day.
        assert!(
            store
                .with_open_contract(m.id, &[paid_up])
                .await
                .unwrap()
                .contains(&paid_up)
        );
        assert!(store.with_open_contract(other.id, &[paid_up]).await.unwrap().is_empty());
        let far = time::macros::date!(2100 - 01 - 01);
        let ending = store
            .open_contracts_ending_by(m.id, Households::One(paid_up), far)
            .await
            .unwrap();
        let expected: Vec<_> = paid_contract.term_end.map(|end| (paid_up, end)).into_iter().collect();
        assert_eq!(ending, expected, "{backend:?}");
        if let Some(end) = paid_contract.term_end {
            let day_before = end.previous_day().unwrap();
            assert!(
                store
                    .open_contracts_ending_by(m.id, Households::One(paid_up), day_before)
                    .await
                    .unwrap()
                    .is_empty()
            );
        }
        assert!(in_arrears.iter().all(|t| t.household != paid_up), "{backend:?}");
        assert!(
            store
                .open_ledgers_in_arrears(m.id, Households::One(paid_up))
                .await
                .unwrap()
                .is_empty(),
            "a paid-up ledger is not in arrears"
        );

        // The same file again changes nothing: no figure and no row's import.
        let entries = "SELECT COUNT(*) FROM rent_ledger_entry";
        let of_first = format!(
            "SELECT COUNT(*) FROM rent_ledger_entry WHERE import_id = '{}'",
            imported.id
        );
        let again = store.import_ledger(m.id, &batch(&rows), &rows, &by).await.unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged),
            (0, 0, 6),
            "{backend:?}"
        );
        assert_eq!(count(store, entries).await, 6);
        assert_eq!(count(store, &of_first).await, 6);

        // The accounting system's latest word: March's payment arrived.
        let paid = vec![row(5, b, 3, 9_400, 9_400), row(8, a, 4, 8_100, 0)];
        let later = store.import_ledger(m.id, &batch(&paid), &paid, &by).await.unwrap();
        assert_eq!(
            (later.created, later.updated, later.unchanged),
            (1, 1, 0),
            "{backend:?}"
        );
        assert_eq!(store.ledger_months(m.id, b).await.unwrap()[1].paid_ore, 940_000);
        assert_eq!(count(store, entries).await, 7);

        // A row naming another municipality's tenancy: nothing of the file is written.
        let stranger = vec![row(2, c, 4, 7_000, 0), row(3, &theirs[0].id, 4, 5_000, 0)];
        let imports = "SELECT COUNT(*) FROM rent_ledger_import";
        let before = count(store, imports).await;
        let refused = store.import_ledger(m.id, &batch(&stranger), &stranger, &by).await;
        assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
        assert_eq!(count(store, entries).await, 7, "{backend:?}: nothing written");
        assert_eq!(count(store, imports).await, before);

        // Each import is kept, the newest first, and audited.
        let history = store.ledger_imports(m.id, 10).await.unwrap();
        assert_eq!(history.len(), 3);
        assert_eq!((history[0].created, history[0].updated), (1, 1));
        assert_eq!(history[2].first_month, month(2));
        assert_eq!(history[2].last_month, month(3));
        assert_eq!((history[2].rows, history[2].months, history[2].tenancies), (6, 2, 3));
        assert_eq!(history[2].file_name, "husleieeskontro mars.csv");
        let audited = count(
            store,
            "SELECT COUNT(*) FROM audit_entry WHERE action = 'tenancy.ledger_imported'",
        )
        .await;
        assert_eq!(audited, 3);
        assert_eq!(store.verify_audit().await.unwrap().first_break, None);

        // The export carries references and ledger; an archive from before schema 24 gets
        // references on import, numbered in the order of its rows.
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let target = TestDb::sqlite().await.unwrap();
        target.store.import(archive.as_slice()).await.unwrap();
        assert_eq!(
            target.store.ledger_months(m.id, b).await.unwrap(),
            store.ledger_months(m.id, b).await.unwrap()
        );
        assert_eq!(
            target.store.contract(m.id, &first.id).await.unwrap().reference,
            first.reference
        );
        let text = String::from_utf8(archive).unwrap();
        let old: Vec<String> = text
            .lines()
            .filter(|l| {
                !l.contains("\"table\":\"tenancy_reference_counter\"")
                    && !l.contains("\"table\":\"rent_ledger_")
                    && !l.starts_with("{\"trailer\"")
            })
            .map(|l| {
                if l.contains("\"table\":\"tenancy\"") {
                    let mut line: serde_json::Value = serde_json::from_str(l).unwrap();
                    line["row"].as_object_mut().unwrap().remove("reference");
                    line.to_string()
                } else if l.contains("\"format\":\"husly-export\"") {
                    l.replace(&format!("\"schema\":{}", husly_store::migrate::LATEST), "\"schema\":22")
                } else {
                    l.to_string()
                }
            })
            .collect();
        assert!(old[0].contains("\"schema\":22"), "{}", old[0]);
        let sealed = husly_store::export::seal(&(old.join("\n") + "\n"));
        let target = TestDb::sqlite().await.unwrap();
        target.store.import(sealed.as_bytes()).await.unwrap();
        let renumbered = target.store.ledger_tenancies(m.id).await.unwrap();
        assert_eq!(renumbered.len(), numbered.len());
        let mut references: Vec<String> = renumbered.into_iter().map(|k| k.reference).collect();
        references.sort();
        assert_eq!(
            references,
            (1..=numbered.len() as u64).map(reference).collect::<Vec<_>>()
        );
    }
}
