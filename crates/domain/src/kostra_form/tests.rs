//! The figures on a fixed dataset, against values computed by hand (see the comments beside
//! each case for why it counts where it does).

use super::*;
use crate::cases::workflow::CaseState::{Closed, OnWaitingList, Refused};
use crate::kostra::KostraCategory::*;
use time::macros::date;
use uuid::Uuid;

fn household(n: u128) -> HouseholdId {
    HouseholdId(Uuid::from_u128(n))
}

struct Spec {
    n: u128,
    household: u128,
    received: Date,
    existing: bool,
    category: Option<KostraCategory>,
    decision: Option<(Date, Outcome)>,
    state: CaseState,
    history: Vec<(Date, CaseState)>,
}

fn case(s: Spec) -> KostraCase {
    KostraCase {
        id: CaseId(Uuid::from_u128(s.n)),
        reference: format!("2025-{:06}", s.n),
        household: household(s.household),
        received_on: s.received,
        existing_tenant: s.existing,
        category: s.category,
        first_decision: s.decision,
        granted_on: s.decision.filter(|(_, o)| o.grants()).map(|(d, _)| d),
        state: s.state,
        history: s
            .history
            .into_iter()
            .map(|(on, state)| StateEntered { on, state })
            .collect(),
    }
}

fn facts() -> KostraFacts {
    use Outcome::{Granted, Refused as No};
    let cases = vec![
        // A: a refugee who moved in on 1 June 2025, after the grant: a new tenant, refugee.
        case(Spec {
            n: 1,
            household: 1,
            received: date!(2025 - 02 - 01),
            existing: false,
            category: Some(Refugee),
            decision: Some((date!(2025 - 03 - 01), Granted)),
            state: Closed,
            history: vec![(date!(2025 - 03 - 01), OnWaitingList), (date!(2025 - 06 - 10), Closed)],
        }),
        // B: moved in 1 September 2025 but the case was never closed: a new tenant (not
        // classified), not on the waiting list, and a warning.
        case(Spec {
            n: 2,
            household: 2,
            received: date!(2025 - 03 - 01),
            existing: false,
            category: None,
            decision: Some((date!(2025 - 04 - 01), Granted)),
            state: OnWaitingList,
            history: vec![(date!(2025 - 04 - 01), OnWaitingList)],
        }),
        // C: adapted dwelling, waiting at the year's end.
        case(Spec {
            n: 3,
            household: 3,
            received: date!(2025 - 05 - 01),
            existing: false,
            category: Some(AdaptedDwelling),
            decision: Some((date!(2025 - 06 - 01), Granted)),
            state: OnWaitingList,
            history: vec![(date!(2025 - 06 - 01), OnWaitingList)],
        }),
        // D: refused.
        case(Spec {
            n: 4,
            household: 4,
            received: date!(2025 - 07 - 01),
            existing: false,
            category: None,
            decision: Some((date!(2025 - 08 - 01), No)),
            state: Refused,
            history: vec![(date!(2025 - 08 - 01), Refused)],
        }),
        // E: already a tenant (a swap): counted nowhere, though it moved on 1 October.
        case(Spec {
            n: 5,
            household: 5,
            received: date!(2025 - 08 - 01),
            existing: true,
            category: Some(Other),
            decision: Some((date!(2025 - 09 - 01), Granted)),
            state: Closed,
            history: vec![(date!(2025 - 09 - 01), OnWaitingList), (date!(2025 - 10 - 02), Closed)],
        }),
        // F: received and granted in 2024, waiting over new year, moved in January 2026.
        case(Spec {
            n: 6,
            household: 6,
            received: date!(2024 - 11 - 01),
            existing: false,
            category: Some(MentalHealthOrSubstanceUse),
            decision: Some((date!(2024 - 12 - 01), Granted)),
            state: Closed,
            history: vec![(date!(2024 - 12 - 01), OnWaitingList), (date!(2026 - 02 - 01), Closed)],
        }),
        // G: received, not decided.
        case(Spec {
            n: 7,
            household: 7,
            received: date!(2025 - 10 - 01),
            existing: false,
            category: None,
            decision: None,
            state: CaseState::UnderAssessment,
            history: vec![],
        }),
        // I: granted, closed in November without any tenancy recorded: a warning.
        case(Spec {
            n: 8,
            household: 8,
            received: date!(2025 - 01 - 10),
            existing: false,
            category: Some(Other),
            decision: Some((date!(2025 - 02 - 01), Granted)),
            state: Closed,
            history: vec![(date!(2025 - 02 - 01), OnWaitingList), (date!(2025 - 11 - 01), Closed)],
        }),
        // J: a refugee waiting: SSB's waiting list has no refugee line, so "other problems".
        case(Spec {
            n: 9,
            household: 9,
            received: date!(2025 - 04 - 01),
            existing: false,
            category: Some(Refugee),
            decision: Some((date!(2025 - 05 - 01), Granted)),
            state: OnWaitingList,
            history: vec![(date!(2025 - 05 - 01), OnWaitingList)],
        }),
        // K: no recorded history (an import), on the waiting list since its grant on 20
        // December; not classified: a warning.
        case(Spec {
            n: 10,
            household: 10,
            received: date!(2025 - 11 - 01),
            existing: false,
            category: None,
            decision: Some((date!(2025 - 12 - 20), Granted)),
            state: OnWaitingList,
            history: vec![],
        }),
        // L: household 3's second application, also waiting: the household counts once.
        case(Spec {
            n: 11,
            household: 3,
            received: date!(2025 - 09 - 01),
            existing: false,
            category: Some(AdaptedDwelling),
            decision: Some((date!(2025 - 10 - 01), Granted)),
            state: OnWaitingList,
            history: vec![(date!(2025 - 10 - 01), OnWaitingList)],
        }),
    ];
    KostraFacts {
        cases,
        tenancy_starts: vec![
            (household(1), date!(2025 - 06 - 01)),
            (household(2), date!(2025 - 09 - 01)),
            (household(5), date!(2020 - 01 - 01)),
            (household(5), date!(2025 - 10 - 01)),
            (household(6), date!(2026 - 01 - 15)),
            // Before household 9's grant: not a move-in after it.
            (household(9), date!(2019 - 05 - 01)),
        ],
        dwellings: vec![
            DwellingFact {
                registered_on: date!(2020 - 01 - 01),
                adapted: true,
            },
            DwellingFact {
                registered_on: date!(2025 - 05 - 01),
                adapted: false,
            },
            DwellingFact {
                registered_on: date!(2026 - 03 - 01),
                adapted: true,
            },
        ],
    }
}

fn stays() -> Vec<Stay> {
    let stay = |h: u128, from: Date, to: Option<Date>, children: bool| Stay {
        id: format!("s{h}"),
        household: household(h),
        place: "Hospitset".into(),
        from,
        to,
        end_reason: to.map(|_| crate::stays::EndReason::OwnDwelling),
        with_children: children,
        main_person_born: Some(date!(1980 - 01 - 01)),
        provider: None,
        address_protected: false,
        nightly_cost_ore: None,
        quality_remarks: None,
        main_person_name: None,
    };
    vec![
        // Begun in December 2024 and never ended: a warning in 2025.
        stay(1, date!(2024 - 12 - 20), None, false),
        stay(2, date!(2025 - 03 - 01), Some(date!(2025 - 03 - 05)), true),
    ]
}

const TODAY: Date = date!(2026 - 12 - 03);

fn value(form: &Form13, key: &str) -> Option<i64> {
    form.rows
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("{key}"))
        .value
}

#[test]
fn the_year_2025_by_hand() {
    let form = compute(2025, TODAY, &facts(), &stays()).unwrap();
    assert_eq!(form.as_of, date!(2025 - 12 - 31));
    let expected: &[(&str, Option<i64>)] = &[
        // A B C D G I J K L (E is a tenant already; F came in 2024).
        ("new_applications", Some(9)),
        // First decisions sent in 2025: A B C D I J K L.
        ("new_applications_decided", Some(8)),
        ("new_applications_refused", Some(1)),
        ("new_applications_refused_share", Some(1_250)),
        // A (refugee) and B (not classified).
        ("new_tenants", Some(2)),
        ("new_tenants_refugee", Some(1)),
        ("new_tenants_mental_health_or_substance_use", Some(0)),
        ("new_tenants_adapted_dwelling", Some(0)),
        ("new_tenants_other", Some(0)),
        ("new_tenants_unclassified", Some(1)),
        // Households 3 (C and L), 6 (F), 9 (J), 10 (K); B moved in.
        ("waiting_list", Some(4)),
        ("waiting_list_adapted_dwelling", Some(1)),
        ("waiting_list_mental_health_or_substance_use", Some(1)),
        ("waiting_list_other", Some(1)),
        ("waiting_list_unclassified", Some(1)),
        ("stay_households", Some(2)),
        ("stay_households_14_days_or_fewer_share", Some(5_000)),
        ("stay_households_with_children", Some(1)),
        ("stay_households_with_children_over_3_months_share", Some(0)),
        ("stay_households_aged_18_to_25", Some(0)),
        ("dwellings", Some(2)),
        ("dwellings_adapted", Some(1)),
    ];
    for (key, want) in expected {
        assert_eq!(value(&form, key), *want, "{key}");
    }
    assert_eq!(form.rows.len(), expected.len(), "every row is checked");
    let warnings: Vec<(&str, i64, Vec<String>)> = form
        .warnings
        .iter()
        .map(|w| (w.key, w.count, w.cases.iter().map(|(_, r)| r.clone()).collect()))
        .collect();
    assert_eq!(
        warnings,
        vec![
            ("new_tenants_unclassified", 1, vec!["2025-000002".to_string()]),
            ("waiting_list_unclassified", 1, vec!["2025-000010".to_string()]),
            ("moved_in_still_waiting", 1, vec!["2025-000002".to_string()]),
            ("closed_without_move_in", 1, vec!["2025-000008".to_string()]),
            ("open_stays_from_earlier_years", 1, vec![]),
        ]
    );
}

#[test]
fn the_year_before_and_the_change() {
    let facts = facts();
    let previous = compute(2024, TODAY, &facts, &stays()).unwrap();
    let expected: &[(&str, Option<i64>)] = &[
        ("new_applications", Some(1)),
        ("new_applications_decided", Some(1)),
        ("new_applications_refused_share", Some(0)),
        ("new_tenants", Some(0)),
        // F, waiting since 1 December 2024; K's grant came a year later.
        ("waiting_list", Some(1)),
        ("waiting_list_mental_health_or_substance_use", Some(1)),
        ("stay_households", Some(1)),
        ("dwellings", Some(1)),
        ("dwellings_adapted", Some(1)),
    ];
    for (key, want) in expected {
        assert_eq!(value(&previous, key), *want, "{key}");
    }
    let this = compute(2025, TODAY, &facts, &stays()).unwrap();
    let compared = compare(&this, &previous);
    let tenants = compared.iter().find(|c| c.row.key == "new_tenants").unwrap();
    assert_eq!(
        (tenants.row.value, tenants.previous, tenants.change),
        (Some(2), Some(0), Some(2))
    );
    let share = compared
        .iter()
        .find(|c| c.row.key == "new_applications_refused_share")
        .unwrap();
    assert_eq!(share.change, Some(1_250), "percentage points, in hundredths");
}

#[test]
fn the_current_year_counts_to_today_and_a_future_year_has_no_figures() {
    let facts = facts();
    let now = compute(2026, TODAY, &facts, &stays()).unwrap();
    assert_eq!(now.as_of, TODAY);
    // F moved in on 15 January 2026: a new tenant this year, no longer waiting.
    assert_eq!(value(&now, "new_tenants"), Some(1));
    assert_eq!(value(&now, "new_tenants_mental_health_or_substance_use"), Some(1));
    assert_eq!(value(&now, "dwellings"), Some(3));
    assert_eq!(
        value(&now, "new_applications_refused_share"),
        None,
        "nothing decided: no share"
    );
    assert!(compute(2027, TODAY, &facts, &stays()).is_none());
}

#[test]
fn a_state_is_read_from_the_history_on_the_day() {
    let f = facts();
    let a = &f.cases[0];
    assert_eq!(a.state_on(date!(2025 - 02 - 28)), None);
    assert_eq!(a.state_on(date!(2025 - 03 - 01)), Some(OnWaitingList));
    assert_eq!(a.state_on(date!(2025 - 06 - 10)), Some(Closed));
}

#[test]
fn every_row_has_a_key_once() {
    let form = compute(2025, TODAY, &facts(), &stays()).unwrap();
    let keys: std::collections::BTreeSet<&str> = form.rows.iter().map(|r| r.key).collect();
    assert_eq!(keys.len(), form.rows.len());
}
