use super::risk::*;
use super::*;
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 12 - 04);

fn codes(errors: &[FieldError]) -> Vec<(String, &'static str)> {
    errors.iter().map(|e| (e.field.clone(), e.code)).collect()
}

#[test]
fn a_plan_needs_goals_a_worker_and_a_review_day_within_a_year() {
    let worker = UserId::new();
    let workers = [worker];
    let id = worker.to_string();
    let good = PlanInput {
        goals: "Beholde boligen; betale husleien hver måned",
        responsible: &id,
        partner_kind: "voluntary_team",
        partner_name: "Bo-teamet i Kirkens bymisjon",
        review_on: "04.03.2027",
    };
    let plan = check_plan(&good, &workers, TODAY).unwrap();
    assert_eq!(plan.responsible, worker);
    assert_eq!(plan.partner_kind, Some(PartnerKind::VoluntaryTeam));
    assert_eq!(plan.review_on, date!(2027 - 03 - 04));
    let other = UserId::new().to_string();
    let cases: Vec<(PlanInput, Vec<(&str, &str)>)> = vec![
        (
            PlanInput {
                goals: " ",
                ..good.clone()
            },
            vec![("goals", "required")],
        ),
        (
            PlanInput {
                responsible: "",
                ..good.clone()
            },
            vec![("responsible", "required")],
        ),
        (
            PlanInput {
                responsible: &other,
                ..good.clone()
            },
            vec![("responsible", "follow_up.not_a_worker")],
        ),
        (
            PlanInput {
                partner_kind: "",
                ..good.clone()
            },
            vec![("partner_kind", "follow_up.partner_kind_missing")],
        ),
        (
            PlanInput {
                partner_name: "",
                ..good.clone()
            },
            vec![("partner_name", "follow_up.partner_name_missing")],
        ),
        (
            PlanInput {
                partner_kind: "police",
                ..good.clone()
            },
            vec![("partner_kind", "unknown_value")],
        ),
        (
            PlanInput {
                review_on: "03.12.2026",
                ..good.clone()
            },
            vec![("review_on", "follow_up.review_past")],
        ),
        (
            PlanInput {
                review_on: "06.12.2027",
                ..good.clone()
            },
            vec![("review_on", "follow_up.review_too_far")],
        ),
        (
            PlanInput {
                review_on: "31.02.2027",
                ..good.clone()
            },
            vec![("review_on", "invalid_date")],
        ),
        (
            PlanInput {
                goals: "a\u{7}b",
                ..good.clone()
            },
            vec![("goals", "control_character")],
        ),
    ];
    for (input, expected) in cases {
        let got = check_plan(&input, &workers, TODAY).unwrap_err();
        let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
        assert_eq!(codes(&got), expected, "{input:?}");
    }
    // No partner at all is fine; the review day may be today.
    let alone = PlanInput {
        partner_kind: "",
        partner_name: "",
        review_on: "04.12.2026",
        ..good
    };
    assert_eq!(check_plan(&alone, &workers, TODAY).unwrap().partner_kind, None);
}

#[test]
fn an_entry_needs_its_kind_day_and_note_and_an_appointment_its_outcome() {
    let visit = EntryInput {
        kind: "home_visit",
        outcome: "held",
        occurred_on: "03.12.2026",
        note: "Gikk gjennom budsjettet sammen.",
    };
    let e = check_entry(&visit, TODAY).unwrap();
    assert_eq!((e.kind, e.outcome), (EntryKind::HomeVisit, Some(Outcome::Held)));
    // A missed visit needs no note.
    let missed = EntryInput {
        outcome: "missed",
        note: "",
        ..visit.clone()
    };
    assert_eq!(check_entry(&missed, TODAY).unwrap().note, None);
    let cases: Vec<(EntryInput, Vec<(&str, &str)>)> = vec![
        (
            EntryInput {
                kind: "",
                ..visit.clone()
            },
            vec![("kind", "required")],
        ),
        (
            EntryInput {
                kind: "letter",
                ..visit.clone()
            },
            vec![("kind", "unknown_value")],
        ),
        (
            EntryInput {
                outcome: "",
                ..visit.clone()
            },
            vec![("outcome", "follow_up.outcome_missing")],
        ),
        (
            EntryInput {
                kind: "phone_call",
                ..visit.clone()
            },
            vec![("outcome", "follow_up.outcome_not_appointment")],
        ),
        (
            EntryInput {
                occurred_on: "05.12.2026",
                ..visit.clone()
            },
            vec![("occurred_on", "follow_up.in_future")],
        ),
        (
            EntryInput {
                occurred_on: "01.12.2025",
                ..visit.clone()
            },
            vec![("occurred_on", "follow_up.too_old")],
        ),
        (
            EntryInput {
                occurred_on: "",
                ..visit.clone()
            },
            vec![("occurred_on", "required")],
        ),
        (
            EntryInput {
                note: "  ",
                ..visit.clone()
            },
            vec![("note", "required")],
        ),
        (
            EntryInput {
                kind: "neighbour_complaint",
                outcome: "",
                note: "",
                ..visit.clone()
            },
            vec![("note", "required")],
        ),
    ];
    for (input, expected) in cases {
        let got = check_entry(&input, TODAY).unwrap_err();
        let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
        assert_eq!(codes(&got), expected, "{input:?}");
    }
    let long = "x".repeat(MAX_NOTE_LEN + 1);
    let too_long = EntryInput { note: &long, ..visit };
    assert_eq!(
        codes(&check_entry(&too_long, TODAY).unwrap_err()),
        vec![("note".to_string(), "too_long")]
    );
}

#[test]
fn measures_close_and_reopen_are_checked() {
    let m = check_measure(&MeasureInput {
        text: "Søke bostøtte",
        owner: "Husstanden med bo-oppfølger",
        due_on: "15.01.2027",
    })
    .unwrap();
    assert_eq!(m.due_on, Some(date!(2027 - 01 - 15)));
    let bad = check_measure(&MeasureInput {
        text: "",
        owner: "",
        due_on: "15.13.2027",
    })
    .unwrap_err();
    assert_eq!(
        codes(&bad),
        vec![
            ("text".into(), "required"),
            ("owner".into(), "required"),
            ("due_on".into(), "invalid_date")
        ]
    );
    assert_eq!(check_measure_status("done"), Ok(MeasureStatus::Done));
    assert_eq!(
        codes(&check_measure_status("").unwrap_err()),
        vec![("status".into(), "required")]
    );
    assert_eq!(
        check_close(&CloseInput {
            reason: "goals_reached",
            note: ""
        }),
        Ok((CloseReason::GoalsReached, None))
    );
    assert_eq!(
        codes(
            &check_close(&CloseInput {
                reason: "other",
                note: ""
            })
            .unwrap_err()
        ),
        vec![("note".into(), "required")]
    );
    assert_eq!(
        codes(&check_close(&CloseInput::default()).unwrap_err()),
        vec![("reason".into(), "required")]
    );
    assert_eq!(
        codes(&check_reopen(" ").unwrap_err()),
        vec![("reason".into(), "required")]
    );
    assert_eq!(check_reopen(" Flyttet tilbake ").unwrap(), "Flyttet tilbake");
}

fn settings() -> RiskSettings {
    embedded_rules()
        .in_force("follow_up", "3301", crate::rules::YearMonth::of(TODAY))
        .unwrap()
        .values
}

fn plan() -> Option<PlanFacts> {
    Some(PlanFacts {
        started_on: date!(2026 - 09 - 01),
        review_on: date!(2027 - 03 - 01),
    })
}

#[test]
fn the_embedded_settings_are_the_proposal() {
    let s = settings();
    assert_eq!(
        (
            s.contact_gap_weeks,
            s.missed_window_days,
            s.complaint_window_days,
            s.contract_ending_months
        ),
        (6, 90, 180, 6)
    );
    let period = embedded_rules()
        .in_force("follow_up", "0301", crate::rules::YearMonth::of(TODAY))
        .unwrap();
    assert!(!period.meta.verified, "the proposal is marked unverified");
}

#[test]
fn signals_by_table() {
    let s = settings();
    let recent = Some(date!(2026 - 11 - 20));
    let cases: Vec<(&str, Facts, Vec<&str>, u32)> = vec![
        (
            "a plan with recent contact and nothing else: no signal",
            Facts {
                plan: plan(),
                last_contact: recent,
                ..Facts::default()
            },
            vec![],
            0,
        ),
        (
            "no contact in six weeks (23.10 is six weeks before 04.12)",
            Facts {
                plan: plan(),
                last_contact: Some(date!(2026 - 10 - 23)),
                ..Facts::default()
            },
            vec!["no_recent_contact"],
            2,
        ),
        (
            "a day less than six weeks: no signal",
            Facts {
                plan: plan(),
                last_contact: Some(date!(2026 - 10 - 24)),
                ..Facts::default()
            },
            vec![],
            0,
        ),
        (
            "never contacted since the plan began in September",
            Facts {
                plan: plan(),
                ..Facts::default()
            },
            vec!["no_recent_contact"],
            2,
        ),
        (
            "complaints inside the window count, older ones not",
            Facts {
                plan: plan(),
                last_contact: recent,
                complaints: vec![date!(2026 - 11 - 01), date!(2026 - 06 - 07), date!(2026 - 06 - 06)],
                ..Facts::default()
            },
            vec!["neighbour_complaints"],
            3,
        ),
        (
            "arrears, a missed visit and a contract ending in March, without a plan",
            Facts {
                missed: vec![date!(2026 - 11 - 30)],
                arrears: Some((1_250_000, 2)),
                term_end: Some(date!(2027 - 03 - 31)),
                ..Facts::default()
            },
            vec!["arrears", "missed_appointments", "contract_ending", "no_plan"],
            4 + 2 + 2 + 1,
        ),
        (
            "a contract ending after the window is no signal; no signal, no plan needed",
            Facts {
                term_end: Some(date!(2027 - 06 - 05)),
                ..Facts::default()
            },
            vec![],
            0,
        ),
        (
            "a review day passed",
            Facts {
                plan: Some(PlanFacts {
                    started_on: date!(2026 - 11 - 01),
                    review_on: date!(2026 - 12 - 03),
                }),
                last_contact: recent,
                ..Facts::default()
            },
            vec!["review_overdue"],
            1,
        ),
    ];
    for (what, facts, expected, score) in cases {
        let risk = assess(&facts, &s, TODAY);
        let got: Vec<&str> = risk.signals.iter().map(|x| x.code()).collect();
        assert_eq!(got, expected, "{what}");
        assert_eq!(risk.score, score, "{what}");
    }
    let expired = assess(
        &Facts {
            term_end: Some(date!(2026 - 11 - 30)),
            ..Facts::default()
        },
        &s,
        TODAY,
    );
    assert_eq!(
        expired.signals[0],
        Signal::ContractEnding {
            term_end: date!(2026 - 11 - 30),
            expired: true
        }
    );
}

#[test]
fn broken_rule_files_are_refused() {
    let file = include_str!("../../../../rules/follow_up.toml");
    for (from, to, complaint) in [
        ("contact_gap_weeks = 6", "contact_gap_weeks = 0", "contact_gap_weeks"),
        ("arrears = 4", "arrears = 11", "weights"),
        (
            "contract_ending_months = 6",
            "contract_ending_months = 30",
            "contract_ending_months",
        ),
        ("number = \"default\"", "number = \"3301\"", "default"),
        ("source = \"husly-proposal\"", "source = \"nowhere\"", "unknown source"),
    ] {
        let error = rules_from_toml(&file.replace(from, to)).unwrap_err();
        assert!(error.contains(complaint), "{from} → {to}: {error}");
    }
}

fn facts() -> impl Strategy<Value = Facts> {
    let day = (0i64..500).prop_map(|n| TODAY - Duration::days(n));
    (
        prop::option::of((day.clone(), 0i64..400)),
        prop::option::of(day.clone()),
        prop::collection::vec(day.clone(), 0..4),
        prop::collection::vec(day.clone(), 0..4),
        prop::option::of((1i64..5_000_000, 0u32..12)),
        prop::option::of((-100i64..800).prop_map(|n| TODAY + Duration::days(n))),
    )
        .prop_map(|(plan, last_contact, missed, complaints, arrears, term_end)| Facts {
            plan: plan.map(|(started_on, ahead)| PlanFacts {
                started_on,
                review_on: started_on + Duration::days(ahead),
            }),
            last_contact,
            missed,
            complaints,
            arrears,
            term_end,
        })
}

proptest! {
    #[test]
    fn the_score_is_the_sum_of_the_signals_weights(f in facts()) {
        let s = settings();
        let risk = assess(&f, &s, TODAY);
        prop_assert_eq!(risk.score, risk.signals.iter().map(|x| x.weight(&s.weights)).sum::<u32>());
        // Each signal at most once; "no plan" only without a plan and beside another signal.
        let mut seen: Vec<&str> = risk.signals.iter().map(|x| x.code()).collect();
        seen.dedup();
        prop_assert_eq!(seen.len(), risk.signals.len());
        if risk.signals.contains(&Signal::NoPlan) {
            prop_assert!(f.plan.is_none() && risk.signals.len() >= 2);
        }
    }

    #[test]
    fn another_complaint_or_missed_visit_never_lowers_the_risk(f in facts(), back in 0i64..30) {
        let s = settings();
        let before = assess(&f, &s, TODAY).score;
        let mut more = f.clone();
        more.complaints.push(TODAY - Duration::days(back));
        prop_assert!(assess(&more, &s, TODAY).score >= before);
        let mut missed = f.clone();
        missed.missed.push(TODAY - Duration::days(back));
        prop_assert!(assess(&missed, &s, TODAY).score >= before);
    }

    #[test]
    fn a_contact_today_clears_the_quiet_signal(f in facts()) {
        let s = settings();
        let mut seen = f.clone();
        seen.last_contact = Some(TODAY);
        let risk = assess(&seen, &s, TODAY);
        prop_assert!(!risk.signals.iter().any(|x| x.code() == "no_recent_contact"));
    }

    #[test]
    fn the_caseload_order_is_total_and_puts_higher_risk_first(a in facts(), b in facts()) {
        let s = settings();
        let (ra, rb) = (assess(&a, &s, TODAY), assess(&b, &s, TODAY));
        let ab = caseload_order((&ra, a.last_contact, 1), (&rb, b.last_contact, 2));
        let ba = caseload_order((&rb, b.last_contact, 2), (&ra, a.last_contact, 1));
        prop_assert_eq!(ab, ba.reverse());
        if ra.score > rb.score {
            prop_assert_eq!(ab, std::cmp::Ordering::Less);
        }
    }
}
