//! Stays in temporary accommodation on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): recorded, ended, never sharing a night — also when two
//! recordings race — each change an event with its audit entry, and the archive carrying them.

use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::stays::{EndReason, NewStay};
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::Date;
use time::macros::date;

fn household(born: Date) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Prøvestien 4".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(born, 321).to_string(),
            given_name: "Ung".into(),
            family_name: "Opphold".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn new_stay(place: &str, from: Date, to: Option<Date>) -> NewStay {
    NewStay {
        place: place.into(),
        from,
        to,
        end_reason: to.map(|_| EndReason::OtherTemporary),
        with_children: false,
        provider: None,
        nightly_cost_ore: None,
        quality_remarks: None,
    }
}

/// The provider, the price per night and the remarks are kept and read back; the cost follows
/// from the nights; the audit entry carries the price but never the provider or the remarks; a
/// stay without them reads back as "not recorded".
#[tokio::test]
async fn a_stay_keeps_its_provider_price_and_remarks() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let h = store
            .create_household(m.id, &household(date!(1980 - 06 - 01)), &cli)
            .await
            .unwrap();
        let worker = store
            .create_user("nav@kommune.invalid", "Nora Nav", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let priced = NewStay {
            provider: Some("Byhotellet AS".into()),
            nightly_cost_ore: Some(95_000),
            quality_remarks: Some("Felles bad, trangt for barn.".into()),
            ..new_stay("Rom 12", date!(2025 - 12 - 22), Some(date!(2026 - 01 - 05)))
        };
        store
            .add_stay(m.id, h, &priced, &by)
            .await
            .unwrap()
            .expect("no overlap");
        store
            .add_stay(m.id, h, &new_stay("Campingen", date!(2026 - 02 - 01), None), &by)
            .await
            .unwrap()
            .expect("no overlap");
        let kept = store.stays(m.id, h).await.unwrap();
        let (unpriced, priced) = (&kept[0], &kept[1]);
        assert_eq!(priced.provider.as_deref(), Some("Byhotellet AS"), "{:?}", db.backend());
        assert_eq!(priced.nightly_cost_ore, Some(95_000));
        assert_eq!(priced.quality_remarks.as_deref(), Some("Felles bad, trangt for barn."));
        assert_eq!(priced.main_person_name.as_deref(), Some("Ung Opphold"));
        assert_eq!(priced.cost_ore(date!(2026 - 03 - 01)), Some(14 * 95_000));
        assert_eq!(priced.cost_in(2026, date!(2026 - 03 - 01)), Some(4 * 95_000));
        assert_eq!(
            (&unpriced.provider, unpriced.nightly_cost_ore, &unpriced.quality_remarks),
            (&None, None, &None)
        );
        let year = store
            .stays_between(m.id, date!(2026 - 01 - 01), date!(2027 - 01 - 01))
            .await
            .unwrap();
        let f = husly_domain::stays::figures(2026, date!(2026 - 03 - 01), &year);
        assert_eq!((f.cost_ore, f.stays_without_cost), (4 * 95_000, 1));
        let filter = AuditFilter {
            limit: 50,
            ..Default::default()
        };
        let audited = store.audit_entries(m.id, &filter).await.unwrap();
        let recorded: Vec<_> = audited.iter().filter(|e| e.action == "household.stay").collect();
        assert_eq!(recorded.len(), 2);
        assert!(
            recorded
                .iter()
                .any(|e| e.details.contains("\"nightly_cost_ore\":95000"))
        );
        assert!(
            audited
                .iter()
                .all(|e| !e.details.contains("Byhotellet") && !e.details.contains("Felles bad")),
            "no provider or remarks in the log"
        );
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let archive = String::from_utf8(archive).unwrap();
        assert!(
            archive.contains("\"nightly_cost_ore\":95000"),
            "the archive carries the price"
        );
    }
}

#[tokio::test]
async fn stays_never_share_a_night_and_each_change_is_recorded() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let h = store
            .create_household(m.id, &household(date!(2004 - 06 - 01)), &cli)
            .await
            .unwrap();
        let worker = store
            .create_user("nav@kommune.invalid", "Nora Nav", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let first = store
            .add_stay(
                m.id,
                h,
                &new_stay("Hospitset", date!(2026 - 03 - 01), Some(date!(2026 - 03 - 10))),
                &by,
            )
            .await
            .unwrap()
            .expect("no overlap");
        // Moving on the last day is no overlap; a shared night is.
        let ongoing = store
            .add_stay(m.id, h, &new_stay("Campingen", date!(2026 - 03 - 10), None), &by)
            .await
            .unwrap()
            .expect("moved on the day");
        let refused = store
            .add_stay(
                m.id,
                h,
                &new_stay("Pensjonatet", date!(2026 - 03 - 09), Some(date!(2026 - 03 - 10))),
                &by,
            )
            .await
            .unwrap()
            .expect_err("shares the night of 9 March");
        assert_eq!(refused.id, first, "{:?}", db.backend());
        assert!(
            store
                .add_stay(m.id, h, &new_stay("X", date!(2026 - 01 - 01), None), &cli)
                .await
                .is_err()
        );
        assert!(matches!(
            store
                .add_stay(other.id, h, &new_stay("X", date!(2020 - 01 - 01), None), &by)
                .await,
            Err(StoreError::NotFound)
        ));
        // Ending the ongoing stay; twice is a conflict; someone else's stay is not found.
        store
            .end_stay(
                m.id,
                h,
                &ongoing,
                date!(2026 - 07 - 01),
                EndReason::MunicipalDwelling,
                &by,
            )
            .await
            .unwrap()
            .expect("ended");
        assert!(matches!(
            store
                .end_stay(m.id, h, &ongoing, date!(2026 - 07 - 02), EndReason::Unknown, &by)
                .await,
            Err(StoreError::Conflict { .. })
        ));
        assert!(matches!(
            store
                .end_stay(other.id, h, &ongoing, date!(2026 - 07 - 02), EndReason::Unknown, &by)
                .await,
            Err(StoreError::NotFound)
        ));
        let kept = store.stays(m.id, h).await.unwrap();
        assert_eq!(kept.len(), 2, "nothing half-written");
        assert_eq!(kept[0].id, ongoing, "the newest first");
        assert_eq!(kept[0].to, Some(date!(2026 - 07 - 01)));
        assert_eq!(kept[0].end_reason, Some(EndReason::MunicipalDwelling));
        assert!(kept[0].is_young(), "21 when it began");
        assert!(kept[0].is_long(date!(2026 - 12 - 01)));
        let year = store
            .stays_between(m.id, date!(2026 - 01 - 01), date!(2027 - 01 - 01))
            .await
            .unwrap();
        let f = husly_domain::stays::figures(2026, date!(2026 - 12 - 01), &year);
        assert_eq!((f.households, f.stays, f.households_aged_18_to_25), (1, 2, 1));
        assert!(
            store
                .stays_between(other.id, date!(2026 - 01 - 01), date!(2027 - 01 - 01))
                .await
                .unwrap()
                .is_empty()
        );
        let events = store.timeline(m.id, h).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.kind == "household.stay_recorded").count(), 2);
        assert_eq!(events.iter().filter(|e| e.kind == "household.stay_ended").count(), 1);
        let filter = AuditFilter {
            limit: 50,
            ..Default::default()
        };
        let audited = store.audit_entries(m.id, &filter).await.unwrap();
        assert_eq!(audited.iter().filter(|e| e.action == "household.stay").count(), 3);
        assert!(
            audited.iter().all(|e| !e.details.contains("Campingen")),
            "no place in the log"
        );
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        assert!(
            String::from_utf8(archive)
                .unwrap()
                .contains("\"table\":\"temporary_stay\"")
        );
    }
}

/// Two recordings of overlapping stays for one household at the same time: one passes, the other
/// is refused (the household is locked while the overlap is checked).
#[tokio::test]
async fn concurrent_recordings_cannot_both_pass() {
    for db in TestDb::all().await.expect("test databases") {
        let store = db.store.clone();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let h = store
            .create_household(m.id, &household(date!(1980 - 01 - 01)), &cli)
            .await
            .unwrap();
        let worker = store
            .create_user("nav2@kommune.invalid", "Nils Nav", "et langt passord 123", &actor)
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..6 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let actor = Actor::cli("race");
                let by = Change {
                    actor: &actor,
                    user: Some(worker),
                    reason: None,
                };
                let stay = new_stay(
                    &format!("Sted {i}"),
                    date!(2026 - 05 - 01) + time::Duration::days(i),
                    None,
                );
                store.add_stay(m.id, h, &stay, &by).await
            }));
        }
        let mut passed = 0;
        for task in tasks {
            if let Ok(Ok(_)) = task.await.unwrap() {
                passed += 1;
            }
        }
        assert_eq!(passed, 1, "{:?}", db.backend());
        assert_eq!(store.stays(m.id, h).await.unwrap().len(), 1);
    }
}
