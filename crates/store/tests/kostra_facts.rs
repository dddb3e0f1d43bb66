//! The facts KOSTRA skjema 13 is computed from, on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): applications with their first decision, the day of the
//! grant and the states entered from the timeline, tenancies of the households that applied,
//! and dwellings, and the facts equity monitoring reads; nothing of another municipality.

use husly_domain::DecisionId;
use husly_domain::cases::requests::{CheckedProposal, Delivery, Step};
use husly_domain::cases::{ApplicationForm, CaseAction, CaseState, CaseType, Outcome};
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::kostra::KostraCategory;
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::testing::{TestDb, execute_raw};
use time::macros::date;

fn household(individual: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Prøvestien 4".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1985 - 03 - 04), individual).to_string(),
            given_name: "Tale".into(),
            family_name: "Telling".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn step(action: CaseAction) -> Step {
    Step {
        action,
        reason: Some("test".into()),
        information_due: None,
        expiry: None,
        appeal: None,
    }
}

/// Takes a registered case through assessment, proposal and approval to a sent decision.
async fn decide(
    store: &Store,
    m: husly_domain::MunicipalityId,
    id: husly_domain::CaseId,
    outcome: Outcome,
    by: &Change<'_>,
    approve: &Change<'_>,
) {
    let today = date!(2026 - 11 - 02);
    let proposer = by.user.unwrap();
    let approver = approve.user.unwrap();
    store
        .change_case(m, id, 1, None, by, |c, _| {
            c.take_step(&step(CaseAction::StartAssessment), today, 12)
        })
        .await
        .unwrap();
    let proposal = CheckedProposal {
        outcome,
        reasons: "Vurdert.".into(),
        granted_text: None,
        amount_ore: None,
        conditions: vec![],
        section6: None,
        renewal: None,
    };
    store
        .change_case(m, id, 2, None, by, |c, _| {
            c.propose(DecisionId::new(), &proposal, proposer, serde_json::json!({}))
        })
        .await
        .unwrap();
    store
        .change_case(m, id, 3, None, approve, |c, latest| {
            c.review(latest, approver, true, None)
        })
        .await
        .unwrap();
    let letter = husly_store::cases::NewLetter {
        kind: "decision",
        language: "nb",
        html: "<p>Vedtak</p>",
        pdf: b"%PDF-1.7 test",
    };
    store
        .change_case(m, id, 4, Some(&letter), by, |c, latest| {
            c.send_decision(latest, today, Delivery::digital(today), 12)
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn the_facts_of_applications_tenancies_and_dwellings() {
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
        let worker = store
            .create_user("saks@kommune.invalid", "Sara Saks", "et langt passord 123", &actor)
            .await
            .unwrap();
        let boss = store
            .create_user("leder@kommune.invalid", "Lars Leder", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: Some("test"),
        };
        let approve = Change {
            actor: &actor,
            user: Some(boss),
            reason: Some("test"),
        };
        let housed = store.create_household(m.id, &household(201), &cli).await.unwrap();
        let refused = store.create_household(m.id, &household(202), &cli).await.unwrap();
        let received = date!(2026 - 10 - 01);
        let form = ApplicationForm::default();
        let register = |h, t| store.register_application(m.id, h, t, &form, received, &by);
        let (granted_case, granted_ref) = register(housed, CaseType::MunicipalHousing).await.unwrap();
        let (refused_case, _) = register(refused, CaseType::MunicipalHousing).await.unwrap();
        // Not municipal housing: not counted.
        register(housed, CaseType::Section6Assistance).await.unwrap();
        decide(store, m.id, granted_case, Outcome::Granted, &by, &approve).await;
        decide(store, m.id, refused_case, Outcome::Refused, &by, &approve).await;
        store
            .change_case(m.id, granted_case, 5, None, &by, |c, _| {
                c.take_step(&step(CaseAction::Close), date!(2026 - 11 - 02), 12)
            })
            .await
            .unwrap();
        store
            .classify_kostra(m.id, granted_case, KostraCategory::Refugee, &by)
            .await
            .unwrap();
        execute_raw(
            store,
            &format!(
                "INSERT INTO dwelling (id, municipality_id, address_line, postal_code, postal_city, bedrooms, adapted, created_at) \
                 VALUES ('01900000-0000-7000-8000-00000000d001', '{}', 'Kommunegata 1', '3015', 'Drammen', 2, 1, 1700000000000000)",
                m.id
            ),
        )
        .await
        .unwrap();
        execute_raw(
            store,
            &format!(
                "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, monthly_rent_ore, heating_included, created_at) \
                 VALUES ('01900000-0000-7000-8000-00000000e001', '{}', '01900000-0000-7000-8000-00000000d001', '{housed}', '2026-11-15', NULL, 900000, 0, 1700000000000000)",
                m.id
            ),
        )
        .await
        .unwrap();

        // Later decisions: the granted case refused again (not its first), the refused one
        // granted on appeal (not a first decision, but the day it was granted).
        let now = time::OffsetDateTime::now_utc();
        let tomorrow = now + time::Duration::days(1);
        let micros = (tomorrow.unix_timestamp_nanos() / 1_000) as i64;
        for (id, case, outcome, on_appeal) in [
            ("01900000-0000-7000-8000-00000000c001", granted_case, "refused", 0),
            ("01900000-0000-7000-8000-00000000c002", refused_case, "granted", 1),
        ] {
            execute_raw(
                store,
                &format!(
                    "INSERT INTO case_decision (id, municipality_id, case_id, outcome, reasons, assessment, status, \
                     proposed_by, proposed_at, decided_by, decided_at, sent_at, on_appeal) \
                     VALUES ('{id}', '{}', '{case}', '{outcome}', 'test', '{{}}', 'sent', '{worker}', {micros}, \
                     '{boss}', {micros}, {micros}, {on_appeal})",
                    m.id
                ),
            )
            .await
            .unwrap();
        }

        let today = husly_domain::oslo::date_at(now);
        let facts = store.kostra_facts(m.id, date!(2026 - 12 - 31)).await.unwrap();
        assert_eq!(
            facts.cases.len(),
            2,
            "each case once, whatever its decisions: {}",
            db.url
        );
        let granted = facts.cases.iter().find(|c| c.id == granted_case).unwrap();
        assert_eq!(granted.reference, granted_ref);
        assert_eq!(granted.household, housed);
        assert_eq!(granted.received_on, received);
        assert_eq!(granted.category, Some(KostraCategory::Refugee));
        assert_eq!(granted.first_decision, Some((today, Outcome::Granted)));
        assert_eq!(granted.granted_on, Some(today));
        assert_eq!(granted.state, CaseState::Closed);
        let states: Vec<CaseState> = granted.history.iter().map(|e| e.state).collect();
        assert_eq!(
            states,
            vec![CaseState::UnderAssessment, CaseState::OnWaitingList, CaseState::Closed]
        );
        let no = facts.cases.iter().find(|c| c.id == refused_case).unwrap();
        assert_eq!(no.first_decision, Some((today, Outcome::Refused)));
        assert_eq!(
            no.granted_on,
            Some(husly_domain::oslo::date_at(tomorrow)),
            "granted on appeal"
        );
        assert_eq!(no.category, None);
        assert_eq!(no.history.last().map(|e| e.state), Some(CaseState::Refused));
        assert_eq!(facts.tenancy_starts, vec![(housed, date!(2026 - 11 - 15))]);
        assert_eq!(facts.dwellings.len(), 1);
        assert!(facts.dwellings[0].adapted);
        assert_eq!(facts.dwellings[0].registered_on, date!(2023 - 11 - 14));

        // Up to a day before they were received: no applications, no tenancy.
        let before = store.kostra_facts(m.id, date!(2026 - 09 - 30)).await.unwrap();
        assert!(before.cases.is_empty() && before.tenancy_starts.is_empty());
        let theirs = store.kostra_facts(other.id, date!(2026 - 12 - 31)).await.unwrap();
        assert!(theirs.cases.is_empty() && theirs.tenancy_starts.is_empty() && theirs.dwellings.is_empty());

        // The action plan's reading: only the household that moved in during 2026, with its
        // tenancies, and the same new-tenant counts as the whole form.
        let year = (date!(2026 - 01 - 01), date!(2027 - 01 - 01));
        let movers = store
            .kostra_move_in_facts(m.id, year, date!(2026 - 12 - 31))
            .await
            .unwrap();
        assert!(movers.cases.iter().all(|c| c.household == housed), "{:?}", db.backend());
        assert!(movers.cases.iter().any(|c| c.id == granted.id));
        assert_eq!(movers.tenancy_starts, facts.tenancy_starts);
        let full = husly_domain::kostra_form::compute(2026, date!(2026 - 12 - 31), &facts, &[]).unwrap();
        let part = husly_domain::kostra_form::compute(2026, date!(2026 - 12 - 31), &movers, &[]).unwrap();
        for key in husly_domain::indicators::KOSTRA_MOVE_IN_FIGURES {
            let value =
                |form: &husly_domain::kostra_form::Form13| form.rows.iter().find(|r| r.key == key).unwrap().value;
            assert_eq!(value(&part), value(&full), "{key}");
        }
        // Every application of a household that moved in, and none other.
        let ids = |cases: &[husly_domain::kostra_form::KostraCase]| {
            let mut ids: Vec<_> = cases.iter().map(|c| c.id).collect();
            ids.sort();
            ids
        };
        let of_movers: Vec<_> = facts.cases.iter().filter(|c| c.household == housed).cloned().collect();
        assert_eq!(ids(&movers.cases), ids(&of_movers), "{:?}", db.backend());
        let none = store
            .kostra_move_in_facts(
                m.id,
                (date!(2025 - 01 - 01), date!(2026 - 01 - 01)),
                date!(2025 - 12 - 31),
            )
            .await
            .unwrap();
        assert!(none.cases.is_empty() && none.tenancy_starts.is_empty());
    }
}

/// Equity's facts: the year's applications, their households' tenancies with their ends and
/// the members' birth dates; nothing of another year or municipality.
#[tokio::test]
async fn the_equity_facts_of_a_year() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let worker = store
            .create_user("saks@kommune.invalid", "Sara Saks", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: Some("test"),
        };
        let mut input = HouseholdInput {
            address_line: "Prøvestien 4".into(),
            postal_code: "3015".into(),
            postal_city: "Drammen".into(),
            from_date: "01.02.2024".into(),
            to_date: String::new(),
            members: vec![MemberInput {
                national_id: synthetic_tenor_next(date!(1985 - 03 - 04), 211).to_string(),
                given_name: "Mor".into(),
                family_name: "Telling".into(),
                relation: "main_applicant".into(),
                ..Default::default()
            }],
        };
        input.members.push(MemberInput {
            national_id: synthetic_tenor_next(date!(2015 - 05 - 06), 212).to_string(),
            given_name: "Barn".into(),
            family_name: "Telling".into(),
            relation: "child".into(),
            ..Default::default()
        });
        let valid = validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid");
        let family = store.create_household(m.id, &valid, &by).await.unwrap();
        let form = ApplicationForm::default();
        let (case, _) = store
            .register_application(
                m.id,
                family,
                CaseType::MunicipalHousing,
                &form,
                date!(2026 - 10 - 01),
                &by,
            )
            .await
            .unwrap();
        execute_raw(
            store,
            &format!(
                "INSERT INTO dwelling (id, municipality_id, address_line, postal_code, postal_city, bedrooms, adapted, created_at) \
                 VALUES ('01900000-0000-7000-8000-00000000d201', '{}', 'Kommunegata 3', '3015', 'Drammen', 3, 0, 1700000000000000)",
                m.id
            ),
        )
        .await
        .unwrap();
        execute_raw(
            store,
            &format!(
                "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, monthly_rent_ore, heating_included, created_at) \
                 VALUES ('01900000-0000-7000-8000-00000000e201', '{}', '01900000-0000-7000-8000-00000000d201', '{family}', '2026-11-01', '2026-11-20', 900000, 0, 1700000000000000)",
                m.id
            ),
        )
        .await
        .unwrap();
        let today = date!(2026 - 12 - 03);
        let facts = store.equity_facts(m.id, 2026, today).await.unwrap();
        assert_eq!(facts.cases.len(), 1, "{}", db.url);
        assert_eq!(facts.cases[0].id, case);
        assert_eq!(
            facts.tenancies,
            vec![husly_domain::equity::TenancyFact {
                household: family,
                from: date!(2026 - 11 - 01),
                to: Some(date!(2026 - 11 - 20)),
            }]
        );
        let mut births: Vec<_> = facts.births.iter().map(|(h, b)| (*h, *b)).collect();
        births.sort();
        assert_eq!(
            births,
            vec![(family, date!(1985 - 03 - 04)), (family, date!(2015 - 05 - 06))]
        );
        let earlier = store.equity_facts(m.id, 2025, today).await.unwrap();
        assert!(earlier.cases.is_empty() && earlier.tenancies.is_empty() && earlier.births.is_empty());
        let theirs = store.equity_facts(other.id, 2026, today).await.unwrap();
        assert!(theirs.cases.is_empty() && theirs.tenancies.is_empty() && theirs.births.is_empty());
    }
}
