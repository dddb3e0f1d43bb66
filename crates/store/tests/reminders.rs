//! Reminders on both backends (SQLite always, PostgreSQL when `HUSLY_TEST_POSTGRES_URL` is set):
//! the candidates of each kind read once and not again after they are raised, raised once
//! whatever runs twice; each reader sees only what is for them (the housing manager the
//! contract, the plan's responsible worker the review, the case's caseworker — or any caseworker
//! while it has none — the approval); a reminder whose matter was dealt with is not listed, and
//! comes back when that is undone; marks from a stale version are conflicts; the audit entries
//! name no one's words.

use husly_domain::cases::{ApplicationForm, CaseType};
use husly_domain::follow_up::PlanFields;
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::reminder::{self, ReminderKind, ReminderState};
use husly_domain::{HouseholdId, MunicipalityId, UserId};
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::reminders::{CandidateBounds, Reader};
use husly_store::testing::{TestDb, execute_raw};
use husly_store::{Store, StoreError};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 12 - 05);

fn household(seq: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Minneveien 3".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1981 - 06 - 01), seq).to_string(),
            given_name: "Rita".into(),
            family_name: "Påminnesen".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn bounds(today: Date) -> CandidateBounds {
    CandidateBounds {
        term_ended_before: today,
        review_between: (today, today + time::Duration::days(reminder::PLAN_REVIEW_LEAD_DAYS)),
        approvals_on: today,
    }
}

/// The night's run for one municipality, as the use case does it.
async fn raise(store: &Store, m: MunicipalityId, today: Date, change: &Change<'_>) -> usize {
    let candidates = store.reminder_candidates(m, bounds(today)).await.unwrap();
    let due = reminder::due(candidates, today);
    store.raise_reminders(m, &due, today, change).await.unwrap()
}

fn reader(user: UserId, housing_manager: bool, caseworker: bool) -> Reader {
    Reader {
        user,
        housing_manager,
        caseworker,
    }
}

async fn user(store: &Store, email: &str, actor: &Actor) -> UserId {
    store
        .create_user(email, "Test Testesen", "et langt passord 123", actor)
        .await
        .unwrap()
}

/// A fixed-term contract of `h` whose term ended on `term_end`.
async fn contract(store: &Store, m: MunicipalityId, h: HouseholdId, term_end: Date) -> String {
    let dwelling = uuid::Uuid::now_v7();
    let id = uuid::Uuid::now_v7().to_string();
    execute_raw(
        store,
        &format!(
            "INSERT INTO dwelling (id, municipality_id, address_line, postal_code, postal_city, bedrooms, adapted, created_at) \
             VALUES ('{dwelling}', '{m}', 'Kommunegata 9', '3015', 'Drammen', 2, 0, 1700000000000000)"
        ),
    )
    .await
    .unwrap();
    execute_raw(
        store,
        &format!(
            "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, monthly_rent_ore, \
             heating_included, created_at, term, term_end, security_kind, security_ore, version) \
             VALUES ('{id}', '{m}', '{dwelling}', '{h}', '2023-12-01', '{term_end}', 810000, 0, 1700000000000000, \
             'fixed', '{term_end}', 'deposit', 2430000, 1)"
        ),
    )
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn reminders_are_raised_once_and_read_by_those_they_are_for() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap()
            .id;
        let other = store
            .ensure_municipality("0301", "Oslo", false, &actor)
            .await
            .unwrap()
            .id;
        let system = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let manager = user(store, "forvalter@kommune.invalid", &actor).await;
        let worker = user(store, "oppfolger@kommune.invalid", &actor).await;
        let caseworker = user(store, "saksbehandler@kommune.invalid", &actor).await;
        let tenant = store.create_household(m, &household(10), &system).await.unwrap();
        let followed = store.create_household(m, &household(20), &system).await.unwrap();
        let waiting = store.create_household(m, &household(30), &system).await.unwrap();
        let elsewhere = store.create_household(other, &household(40), &system).await.unwrap();

        // A contract past its term (yesterday was its last day), one still running, one in
        // another municipality.
        let past = contract(store, m, tenant, TODAY - time::Duration::days(1)).await;
        contract(store, m, followed, TODAY + time::Duration::days(30)).await;
        contract(store, other, elsewhere, TODAY - time::Duration::days(10)).await;
        // A plan with its review in five days, and one in three weeks.
        let by_worker = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let plan = |review_on: Date| PlanFields {
            goals: "Beholde boligen".into(),
            responsible: worker,
            partner_kind: None,
            partner_name: None,
            review_on,
        };
        let review = store
            .create_follow_up_plan(m, followed, &plan(TODAY + time::Duration::days(5)), TODAY, &by_worker)
            .await
            .unwrap();
        store
            .create_follow_up_plan(m, tenant, &plan(TODAY + time::Duration::days(21)), TODAY, &by_worker)
            .await
            .unwrap();
        // An approval on the waiting list whose reminder day has come, nobody's case yet.
        let (case, _) = store
            .register_application(
                m,
                waiting,
                CaseType::MunicipalHousing,
                &ApplicationForm::default(),
                TODAY - time::Duration::days(300),
                &system,
            )
            .await
            .unwrap();
        let valid_until = TODAY + time::Duration::days(20);
        execute_raw(
            store,
            &format!(
                "UPDATE application_case SET state = 'on_waiting_list', valid_until = '{valid_until}', \
                 renewal_reminder_on = '{}' WHERE id = '{case}'",
                TODAY - time::Duration::days(10)
            ),
        )
        .await
        .unwrap();

        let candidates = store.reminder_candidates(m, bounds(TODAY)).await.unwrap();
        let mut kinds: Vec<ReminderKind> = candidates.iter().map(|c| c.kind).collect();
        kinds.sort();
        assert_eq!(
            kinds,
            [
                ReminderKind::ContractPastTerm,
                ReminderKind::PlanReview,
                ReminderKind::ApprovalRenewal
            ],
            "{backend:?}"
        );
        assert_eq!(raise(store, m, TODAY, &system).await, 3, "{backend:?}");
        // Raised once: the next run, today or tomorrow, finds nothing new to raise.
        assert!(
            store.reminder_candidates(m, bounds(TODAY)).await.unwrap().is_empty(),
            "{backend:?}"
        );
        assert_eq!(raise(store, m, TODAY + time::Duration::days(1), &system).await, 0);
        assert_eq!(raise(store, other, TODAY, &system).await, 1, "{backend:?}");

        // Each reads only what is for them.
        let of = |r: Reader| async move {
            let list = store.reminders_for(m, r, 0, 100).await.unwrap();
            list.iter().map(|x| (x.kind, x.subject.clone())).collect::<Vec<_>>()
        };
        assert_eq!(
            of(reader(manager, true, false)).await,
            [(ReminderKind::ContractPastTerm, past.clone())],
            "{backend:?}"
        );
        assert_eq!(
            of(reader(worker, false, false)).await,
            [(ReminderKind::PlanReview, review.clone())],
            "{backend:?}"
        );
        assert_eq!(
            of(reader(caseworker, false, true)).await,
            [(ReminderKind::ApprovalRenewal, case.to_string())],
            "{backend:?}"
        );
        assert_eq!(
            store.open_reminder_count(m, reader(manager, true, true)).await.unwrap(),
            2
        );
        // A case given to another caseworker is theirs alone.
        execute_raw(
            store,
            &format!("UPDATE application_case SET assigned_to = '{worker}' WHERE id = '{case}'"),
        )
        .await
        .unwrap();
        assert!(of(reader(caseworker, false, true)).await.is_empty(), "{backend:?}");
        assert_eq!(of(reader(worker, false, false)).await.len(), 2, "{backend:?}");
        execute_raw(
            store,
            &format!("UPDATE application_case SET assigned_to = NULL WHERE id = '{case}'"),
        )
        .await
        .unwrap();

        // Marked done by the manager, from the version read; a stale version is a conflict.
        let by_manager = Change {
            actor: &actor,
            user: Some(manager),
            reason: None,
        };
        let r = reader(manager, true, false);
        let kept = store.reminders_for(m, r, 0, 100).await.unwrap().remove(0);
        store
            .mark_reminder(m, &kept, ReminderState::Done, &by_manager)
            .await
            .unwrap();
        let done = store.reminder_for(m, r, &kept.id).await.unwrap();
        assert_eq!(done.state, ReminderState::Done);
        assert!(done.done_at.is_some() && done.done_by_name.is_some());
        assert_eq!(store.open_reminder_count(m, r).await.unwrap(), 0);
        assert!(matches!(
            store.mark_reminder(m, &kept, ReminderState::Open, &by_manager).await,
            Err(StoreError::Conflict { .. })
        ));
        // Done ones stay on the list while they are recent enough.
        assert!(
            store
                .reminders_for(m, r, husly_store::now_micros() + 1, 100)
                .await
                .unwrap()
                .is_empty()
        );
        store
            .mark_reminder(m, &done, ReminderState::Open, &by_manager)
            .await
            .unwrap();
        assert_eq!(store.open_reminder_count(m, r).await.unwrap(), 1);

        // The contract ended: its reminder no longer matters, nor can it be marked; undoing the
        // end brings it back. A renewed term (another last day) ends it too.
        execute_raw(
            store,
            &format!("UPDATE tenancy SET ended_on = '{TODAY}' WHERE id = '{past}'"),
        )
        .await
        .unwrap();
        assert_eq!(store.open_reminder_count(m, r).await.unwrap(), 0);
        assert!(matches!(
            store.reminder_for(m, r, &kept.id).await,
            Err(StoreError::NotFound)
        ));
        execute_raw(
            store,
            &format!("UPDATE tenancy SET ended_on = NULL WHERE id = '{past}'"),
        )
        .await
        .unwrap();
        assert_eq!(store.open_reminder_count(m, r).await.unwrap(), 1);
        execute_raw(
            store,
            &format!(
                "UPDATE tenancy SET term_end = '{}' WHERE id = '{past}'",
                TODAY + time::Duration::days(365)
            ),
        )
        .await
        .unwrap();
        assert_eq!(store.open_reminder_count(m, r).await.unwrap(), 0, "{backend:?}");
        // A plan handed over takes its reminder along; a closed plan's is gone.
        execute_raw(
            store,
            &format!("UPDATE follow_up_plan SET responsible_user_id = '{caseworker}' WHERE id = '{review}'"),
        )
        .await
        .unwrap();
        assert!(of(reader(worker, false, false)).await.is_empty());
        assert_eq!(
            store
                .open_reminder_count(m, reader(caseworker, false, false))
                .await
                .unwrap(),
            1
        );

        // The audit entries: the run's count, each mark's ids and codes.
        let entries = store
            .audit_entries(
                m,
                &AuditFilter {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"reminders.raise"), "{actions:?}");
        assert_eq!(actions.iter().filter(|a| **a == "reminders.mark").count(), 2);
        let marked = entries.iter().find(|e| e.action == "reminders.mark").unwrap();
        assert!(!marked.details.to_string().contains("Påminnesen"));
    }
}
