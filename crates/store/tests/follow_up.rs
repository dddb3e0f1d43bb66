//! Follow-up plans, measures and the contact log on both backends (SQLite always, PostgreSQL
//! when `HUSLY_TEST_POSTGRES_URL` is set): one active plan per household — also when two start
//! at the same moment —, versions that catch a stale change, close and reopen, each change an
//! event with an audit entry that holds no text, the caseload's facts, and the archive.

use husly_domain::follow_up::{
    CloseReason, EntryFields, EntryKind, MeasureFields, MeasureStatus, Outcome, PartnerKind, PlanFields, PlanState,
};
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::{MunicipalityId, UserId};
use husly_store::audit::{Actor, AuditFilter};
use husly_store::follow_up::Households;
use husly_store::households::Change;
use husly_store::testing::TestDb;
use husly_store::{Store, StoreError};
use time::macros::date;

fn household(serial: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Oppfølgingsveien 3".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1979 - 05 - 17), serial).to_string(),
            given_name: "Frida".into(),
            family_name: "Fulgtopp".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn plan(worker: UserId) -> PlanFields {
    PlanFields {
        goals: "Beholde boligen og betale husleien hver måned".into(),
        responsible: worker,
        partner_kind: Some(PartnerKind::VoluntaryTeam),
        partner_name: Some("Bo-teamet".into()),
        review_on: date!(2027 - 03 - 01),
    }
}

async fn setup(store: &Store, actor: &Actor, email: &str) -> (MunicipalityId, husly_domain::HouseholdId, UserId) {
    let m = store
        .ensure_municipality("3301", "Drammen", false, actor)
        .await
        .unwrap();
    let cli = Change {
        actor,
        user: None,
        reason: None,
    };
    let h = store.create_household(m.id, &household(432), &cli).await.unwrap();
    let worker = store
        .create_user(email, "Bo Oppfølger", "et langt passord 123", actor)
        .await
        .unwrap();
    store
        .grant_role(worker, m.id, husly_domain::authz::Role::FollowUpWorker, actor)
        .await
        .unwrap();
    (m.id, h, worker)
}

#[tokio::test]
async fn a_plan_its_measures_and_log_are_kept_with_events_and_versions() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let backend = store.backend();
        let (m, h, worker) = setup(store, &actor, "bo@kommune.invalid").await;
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        assert_eq!(
            store.follow_up_workers(m).await.unwrap(),
            vec![(worker, "Bo Oppfølger".into())]
        );
        let id = store
            .create_follow_up_plan(m, h, &plan(worker), date!(2026 - 12 - 01), &by)
            .await
            .unwrap();
        // One active plan per household.
        assert!(matches!(
            store
                .create_follow_up_plan(m, h, &plan(worker), date!(2026 - 12 - 01), &by)
                .await,
            Err(StoreError::Conflict { .. })
        ));
        // Another municipality cannot reach the household.
        assert!(matches!(
            store
                .create_follow_up_plan(other.id, h, &plan(worker), date!(2026 - 12 - 01), &by)
                .await,
            Err(StoreError::NotFound)
        ));
        let measure = MeasureFields {
            text: "Søke bostøtte".into(),
            owner: "Husstanden".into(),
            due_on: Some(date!(2027 - 01 - 15)),
        };
        let measure_id = store
            .add_follow_up_measure(m, h, (&id, 1), &measure, &by)
            .await
            .unwrap();
        // The plan moved to version 2: a change from version 1 is stale.
        assert!(matches!(
            store.add_follow_up_measure(m, h, (&id, 1), &measure, &by).await,
            Err(StoreError::Conflict { expected: 2 })
        ));
        store
            .set_follow_up_measure_status(m, h, (&id, 2), &measure_id, MeasureStatus::Done, &by)
            .await
            .unwrap();
        let mut changed = plan(worker);
        changed.review_on = date!(2027 - 02 - 01);
        changed.partner_kind = None;
        changed.partner_name = None;
        store.update_follow_up_plan(m, h, &id, 3, &changed, &by).await.unwrap();
        for (kind, outcome, day) in [
            (EntryKind::HomeVisit, Some(Outcome::Held), date!(2026 - 12 - 02)),
            (EntryKind::HomeVisit, Some(Outcome::Missed), date!(2026 - 12 - 03)),
            (EntryKind::NeighbourComplaint, None, date!(2026 - 11 - 20)),
        ] {
            let entry = EntryFields {
                kind,
                outcome,
                occurred_on: day,
                note: Some("Et notat som ikke skal i loggen".into()),
            };
            store.add_follow_up_entry(m, h, &entry, &by).await.unwrap();
        }
        let plans = store.follow_up_plans(m, h).await.unwrap();
        assert_eq!(plans.len(), 1);
        let kept = &plans[0];
        assert_eq!(
            (kept.state, kept.version, kept.review_on),
            (PlanState::Active, 4, date!(2027 - 02 - 01))
        );
        assert_eq!(kept.partner_kind, None);
        assert_eq!(kept.responsible_name, "Bo Oppfølger");
        assert_eq!(kept.measures.len(), 1);
        assert_eq!(kept.measures[0].status, MeasureStatus::Done);
        let entries = store.follow_up_entries(m, h).await.unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].occurred_on, date!(2026 - 12 - 03), "newest first");
        assert!(entries.iter().all(|e| e.plan_id.as_deref() == Some(id.as_str())));
        // The caseload's facts: complaints and missed visits since a day, and the last contact.
        // Read for the municipality, the worker's plans or the one household alike; another
        // worker's plans hold none of it.
        let nobody = UserId(uuid::Uuid::now_v7());
        for scope in [Households::All, Households::PlansOf(worker), Households::One(h)] {
            let (facts, last) = store.follow_up_facts(m, date!(2026 - 11 - 01), scope).await.unwrap();
            assert_eq!(facts.len(), 2, "{backend:?} {scope:?}");
            assert_eq!(last, vec![(h, date!(2026 - 12 - 02))], "{backend:?} {scope:?}");
            let lines = store.active_follow_up_plans(m, scope).await.unwrap();
            assert_eq!(lines.len(), 1, "{backend:?} {scope:?}");
            assert_eq!((lines[0].household, lines[0].responsible), (h, worker));
        }
        let (facts, last) = store
            .follow_up_facts(m, date!(2026 - 11 - 01), Households::PlansOf(nobody))
            .await
            .unwrap();
        assert!(facts.is_empty() && last.is_empty(), "{backend:?}");
        assert!(
            store
                .active_follow_up_plans(m, Households::PlansOf(nobody))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .active_follow_up_plans(other.id, Households::All)
                .await
                .unwrap()
                .is_empty()
        );
        // The page's names, read only for the households shown, and only the municipality's.
        let names = store.caseload_names(m, &[h]).await.unwrap();
        assert_eq!(
            names[&h],
            ("Frida Fulgtopp".to_string(), "Oppfølgingsveien 3".to_string(), false)
        );
        assert!(store.caseload_names(other.id, &[h]).await.unwrap().is_empty());
        assert!(store.caseload_names(m, &[]).await.unwrap().is_empty());

        // Close, and reopen (undo) with a reason.
        store
            .close_follow_up_plan(
                m,
                h,
                &id,
                4,
                (CloseReason::Other, Some("Flyttet til institusjon")),
                date!(2026 - 12 - 04),
                &by,
            )
            .await
            .unwrap();
        let closed = &store.follow_up_plans(m, h).await.unwrap()[0];
        assert_eq!(
            (closed.state, closed.closed_on, closed.close_reason),
            (PlanState::Closed, Some(date!(2026 - 12 - 04)), Some(CloseReason::Other))
        );
        assert!(
            store
                .active_follow_up_plans(m, Households::All)
                .await
                .unwrap()
                .is_empty()
        );
        // A new plan may start while the old is closed; then the old cannot be reopened.
        let second = store
            .create_follow_up_plan(m, h, &plan(worker), date!(2026 - 12 - 04), &by)
            .await
            .unwrap();
        assert!(matches!(
            store.reopen_follow_up_plan(m, h, &id, 5, &by).await,
            Err(StoreError::Conflict { .. })
        ));
        store
            .close_follow_up_plan(
                m,
                h,
                &second,
                1,
                (CloseReason::GoalsReached, None),
                date!(2026 - 12 - 04),
                &by,
            )
            .await
            .unwrap();
        let reason = Change {
            reason: Some("Kom tilbake"),
            ..by
        };
        store.reopen_follow_up_plan(m, h, &id, 5, &reason).await.unwrap();
        let plans = store.follow_up_plans(m, h).await.unwrap();
        assert_eq!((plans[0].id.as_str(), plans[0].state), (id.as_str(), PlanState::Active));
        assert_eq!(plans[0].close_reason, None);

        let events = store.timeline(m, h).await.unwrap();
        for (kind, n) in [
            ("household.follow_up_plan_created", 2),
            ("household.follow_up_measure_added", 1),
            ("household.follow_up_measure_changed", 1),
            ("household.follow_up_plan_changed", 1),
            ("household.follow_up_logged", 3),
            ("household.follow_up_plan_closed", 2),
            ("household.follow_up_plan_reopened", 1),
        ] {
            assert_eq!(events.iter().filter(|e| e.kind == kind).count(), n, "{kind}");
        }
        let filter = AuditFilter {
            limit: 100,
            ..Default::default()
        };
        let audited = store.audit_entries(m, &filter).await.unwrap();
        assert_eq!(audited.iter().filter(|e| e.action == "household.follow_up").count(), 11);
        assert!(
            audited.iter().all(|e| !e.details.contains("notat")
                && !e.details.contains("Beholde")
                && !e.details.contains("bostøtte")),
            "no goals, measures or notes in the log"
        );
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let archive = String::from_utf8(archive).unwrap();
        for table in ["follow_up_plan", "follow_up_measure", "follow_up_entry"] {
            assert!(archive.contains(&format!("\"table\":\"{table}\"")), "{table}");
        }
    }
}

/// Two plans started for one household at the same moment: one is kept, the other is a conflict
/// (the household is locked while the active plan is looked for; the unique index stands behind).
#[tokio::test]
async fn two_plans_started_at_once_cannot_both_be_active() {
    for db in TestDb::all().await.expect("test databases") {
        let store = db.store.clone();
        let actor = Actor::cli("test");
        let (m, h, worker) = setup(&store, &actor, "bo2@kommune.invalid").await;
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let store = store.clone();
            let actor = actor.clone();
            tasks.push(tokio::spawn(async move {
                let by = Change {
                    actor: &actor,
                    user: Some(worker),
                    reason: None,
                };
                store
                    .create_follow_up_plan(m, h, &plan(worker), date!(2026 - 12 - 01), &by)
                    .await
            }));
        }
        let mut kept = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => kept += 1,
                Err(StoreError::Conflict { .. }) => {}
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(kept, 1);
        assert_eq!(store.follow_up_plans(m, h).await.unwrap().len(), 1);
    }
}
