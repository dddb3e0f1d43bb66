//! The dwelling register on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): registered, changed at the version read, status moves with
//! their history, soft delete and restore, a property-management system's sync by its own id —
//! idempotent, also when syncs of one new dwelling race —, an import in one transaction with one
//! audit entry,
//! and the archive carrying the register.

use husly_domain::allocation::dwelling::{
    DwellingInput, DwellingStatus, DwellingType, StatusChange, ValidDwelling, validate_dwelling,
};
use husly_domain::postal::PostalRegister;
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::dwellings::{DwellingFilter, ImportCounts, Upserted};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

fn dwelling(external_id: &str, address: &str, bedrooms: u8) -> ValidDwelling {
    let input = DwellingInput {
        external_id: external_id.into(),
        address_line: address.into(),
        postal_code: "3015".into(),
        district: "Bragernes".into(),
        dwelling_type: "ordinary_rental".into(),
        ownership: "municipal".into(),
        bedrooms: bedrooms.to_string(),
        monthly_rent_kr: "9 500".into(),
        wheelchair_accessible: if bedrooms == 1 { "ja" } else { "nei" }.into(),
        ..DwellingInput::default()
    };
    validate_dwelling(&input, PostalRegister::embedded(), "").expect("valid dwelling")
}

fn listing(text: Option<&str>) -> DwellingFilter {
    DwellingFilter {
        text: text.map(str::to_string),
        limit: 50,
        ..DwellingFilter::default()
    }
}

#[tokio::test]
async fn the_register_keeps_every_change_with_who_when_and_why() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let oslo = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let manager = store
            .create_user("bolig@kommune.invalid", "Berit Bolig", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(manager),
            reason: None,
        };
        let id = store
            .create_dwelling(
                m.id,
                &dwelling("FDVU-1", "Øvre Storgate 3", 2),
                DwellingStatus::Vacant,
                date!(2026 - 11 - 01),
                &by,
            )
            .await
            .unwrap();
        // The same external id twice in one municipality is refused; in another it is fine.
        let twice = store
            .create_dwelling(
                m.id,
                &dwelling("FDVU-1", "Annen vei 1", 1),
                DwellingStatus::Vacant,
                date!(2026 - 11 - 01),
                &by,
            )
            .await;
        assert!(matches!(twice, Err(StoreError::Duplicate(_))), "{twice:?}");
        store
            .create_dwelling(
                oslo.id,
                &dwelling("FDVU-1", "Annen vei 1", 1),
                DwellingStatus::Vacant,
                date!(2026 - 11 - 01),
                &by,
            )
            .await
            .unwrap();
        // Found by the start of its address in any letter case, Norwegian letters included, by
        // its external id, and never from another municipality.
        for text in ["øvre stor", "ØVRE", "FDVU-1"] {
            let page = store.dwellings(m.id, &listing(Some(text))).await.unwrap();
            assert_eq!((page.total, page.dwellings[0].id.as_str()), (1, id.as_str()), "{text}");
        }
        assert_eq!(
            store.dwellings(m.id, &listing(Some("%"))).await.unwrap().total,
            0,
            "LIKE escaped"
        );
        assert_eq!(store.dwellings(m.id, &listing(None)).await.unwrap().total, 1);
        assert_eq!(store.dwelling_municipality(&id).await.unwrap(), Some(m.id));

        // A change at a stale version is a conflict and changes nothing.
        let bigger = dwelling("FDVU-1", "Øvre Storgate 3", 3);
        assert!(matches!(
            store.update_dwelling(m.id, &id, 7, &bigger, &by).await,
            Err(StoreError::Conflict { .. })
        ));
        store.update_dwelling(m.id, &id, 1, &bigger, &by).await.unwrap();
        let kept = store.dwelling(m.id, &id).await.unwrap();
        assert_eq!((kept.details.bedrooms, kept.version), (3, 2));

        // Out of use with a reason, then back: both in the history with who and why.
        let repair = StatusChange {
            status: DwellingStatus::UnderRepair,
            from: date!(2026 - 11 - 15),
            reason: Some("Vannskade på badet".into()),
        };
        let why = Change {
            reason: repair.reason.as_deref(),
            ..by
        };
        store.set_dwelling_status(m.id, &id, 2, &repair, &why).await.unwrap();
        let back = StatusChange {
            status: DwellingStatus::Vacant,
            from: date!(2026 - 12 - 01),
            reason: None,
        };
        store.set_dwelling_status(m.id, &id, 3, &back, &by).await.unwrap();
        let kept = store.dwelling(m.id, &id).await.unwrap();
        assert_eq!(
            (kept.status, kept.status_from),
            (DwellingStatus::Vacant, date!(2026 - 12 - 01))
        );
        let vacant = DwellingFilter {
            status: Some(DwellingStatus::Vacant),
            dwelling_type: Some(DwellingType::OrdinaryRental),
            bedrooms: Some(3),
            ..listing(None)
        };
        assert_eq!(store.dwellings(m.id, &vacant).await.unwrap().total, 1);
        assert_eq!(
            store.dwelling_status_counts(m.id).await.unwrap(),
            vec![(DwellingStatus::Vacant, 1)]
        );

        // Removed and restored.
        store.set_dwelling_deleted(m.id, &id, Some(4), true, &by).await.unwrap();
        assert_eq!(store.dwellings(m.id, &listing(None)).await.unwrap().total, 0);
        let removed = DwellingFilter {
            deleted: true,
            ..listing(None)
        };
        assert_eq!(store.dwellings(m.id, &removed).await.unwrap().total, 1);
        store
            .set_dwelling_deleted(m.id, &id, Some(5), false, &by)
            .await
            .unwrap();

        let events = store.dwelling_events(m.id, &id).await.unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["restored", "deleted", "status", "status", "updated", "created"]);
        assert_eq!(events[3].reason.as_deref(), Some("Vannskade på badet"));
        assert_eq!(events[3].status, Some(DwellingStatus::UnderRepair));
        assert_eq!(
            events[4].details["changed"]["bedrooms"],
            serde_json::json!({ "before": 2, "after": 3 })
        );
        assert!(events.iter().all(|e| e.actor_name == "Berit Bolig"));
        let filter = AuditFilter {
            limit: 100,
            ..Default::default()
        };
        let audited = store.audit_entries(m.id, &filter).await.unwrap();
        assert_eq!(audited.iter().filter(|e| e.action.starts_with("dwelling.")).count(), 6);

        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let archive = String::from_utf8(archive).unwrap();
        assert!(archive.contains("\"table\":\"dwelling_event\"") && archive.contains("Vannskade"));
    }
}

#[tokio::test]
async fn a_sync_by_external_id_is_idempotent_and_an_import_updates_what_it_knows() {
    for db in TestDb::all().await.expect("test databases") {
        let store = db.store.clone();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let manager = store
            .create_user("fdvu@kommune.invalid", "FDV-systemet", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(manager),
            reason: None,
        };
        let today = date!(2026 - 12 - 03);
        let first = dwelling("PMS-7", "Tordenskiolds gate 1", 2);
        let (id, outcome) = store.upsert_dwelling(m.id, &first, today, &by).await.unwrap();
        assert_eq!(outcome, Upserted::Created);
        assert_eq!(
            store.upsert_dwelling(m.id, &first, today, &by).await.unwrap(),
            (id.clone(), Upserted::Unchanged)
        );
        let changed = dwelling("PMS-7", "Tordenskiolds gate 1", 4);
        assert_eq!(
            store.upsert_dwelling(m.id, &changed, today, &by).await.unwrap().1,
            Upserted::Updated
        );
        store.set_dwelling_deleted(m.id, &id, None, true, &by).await.unwrap();
        assert_eq!(
            store.upsert_dwelling(m.id, &changed, today, &by).await.unwrap().1,
            Upserted::Restored
        );
        assert_eq!(store.dwelling_events(m.id, &id).await.unwrap().len(), 4);

        // Eight syncs of one new dwelling at once: one dwelling, created once.
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let store = store.clone();
            let actor = actor.clone();
            tasks.push(tokio::spawn(async move {
                let by = Change {
                    actor: &actor,
                    user: Some(manager),
                    reason: None,
                };
                store
                    .upsert_dwelling(m.id, &dwelling("PMS-8", "Bragernes torg 2", 1), today, &by)
                    .await
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok((_, outcome)) => outcomes.push(outcome),
                // A writer that lost the race may be told to try again; never a second dwelling.
                Err(StoreError::Conflict { .. }) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(
            outcomes.iter().filter(|o| **o == Upserted::Created).count(),
            1,
            "{outcomes:?}"
        );
        assert_eq!(store.dwellings(m.id, &listing(Some("PMS-8"))).await.unwrap().total, 1);

        // An import: an existing external id is updated, the others are new, the same file twice
        // changes nothing.
        let rows = vec![
            dwelling("PMS-7", "Tordenskiolds gate 1", 5),
            dwelling("PMS-9", "Nedre Storgate 9", 2),
            dwelling("", "Konnerudgata 4", 1),
        ];
        let counts = store.import_dwellings(m.id, &rows, today, &by).await.unwrap();
        assert_eq!(
            counts,
            ImportCounts {
                created: 2,
                updated: 1,
                unchanged: 0
            }
        );
        let again = store.import_dwellings(m.id, &rows[..2], today, &by).await.unwrap();
        assert_eq!(
            again,
            ImportCounts {
                created: 0,
                updated: 0,
                unchanged: 2
            }
        );
        let audited = store
            .audit_entries(
                m.id,
                &AuditFilter {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            audited.iter().filter(|e| e.action == "dwelling.imported").count(),
            2,
            "one entry per import"
        );
    }
}
