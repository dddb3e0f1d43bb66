use super::*;
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 12 - 05);

fn orgs() -> Vec<String> {
    vec!["nav".into(), "bo-team".into(), "helse".into()]
}

fn input() -> MeetingInput<'static> {
    MeetingInput {
        kind: "collaboration",
        held_on: "04.12.2026",
        summary: "Gikk gjennom husleierestansen og planen for vinteren.",
        organisations: vec!["nav"],
        household_present: true,
        others: "Fastlegen",
        actions: vec![
            ActionInput {
                description: "Søke om økonomisk sosialhjelp til restansen",
                owner: "nav",
                due_on: "18.12.2026",
            },
            ActionInput::default(),
            ActionInput {
                description: "Hjemmebesøk før jul",
                owner: UNIT,
                due_on: "2026-12-20",
            },
        ],
    }
}

fn codes(by: &Party, input: &MeetingInput<'_>, consented: &[String]) -> Vec<(String, &'static str)> {
    let organisations = orgs();
    let known = Known {
        organisations: &organisations,
        consented,
    };
    match check_meeting(by, input, known, TODAY) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
    }
}

#[test]
fn a_meeting_with_actions_passes_and_blank_rows_are_skipped() {
    let all = orgs();
    let known = Known {
        organisations: &all,
        consented: &all,
    };
    let by = Party::Organisation("bo-team".into());
    let fields = check_meeting(&by, &input(), known, TODAY).unwrap();
    assert_eq!(fields.kind, MeetingKind::Collaboration);
    assert_eq!(fields.held_on, date!(2026 - 12 - 04));
    assert_eq!(fields.actions.len(), 2);
    assert_eq!(fields.actions[0].owner, Party::Organisation("nav".into()));
    assert_eq!(fields.actions[1].owner, Party::Unit);
    assert_eq!(fields.actions[1].due_on, date!(2026 - 12 - 20));
    // The recording organisation took part.
    assert_eq!(fields.organisations, vec!["bo-team".to_string(), "nav".to_string()]);
    assert_eq!(fields.others.as_deref(), Some("Fastlegen"));
}

#[test]
fn an_owner_takes_part_even_when_not_ticked() {
    let all = orgs();
    let mut typed = input();
    typed.organisations = Vec::new();
    typed.actions[2].owner = "helse";
    let fields = check_meeting(
        &Party::Unit,
        &typed,
        Known {
            organisations: &all,
            consented: &all,
        },
        TODAY,
    )
    .unwrap();
    assert_eq!(fields.organisations, vec!["helse".to_string(), "nav".to_string()]);
}

#[test]
fn bad_meetings_are_refused_by_field() {
    let all = orgs();
    let nav_only = vec!["nav".to_string()];
    type Case<'a> = (MeetingInput<'static>, &'a [String], Vec<(&'static str, &'static str)>);
    let mut no_kind = input();
    no_kind.kind = "";
    let mut odd_kind = input();
    odd_kind.kind = "fest";
    let mut future = input();
    future.held_on = "06.12.2026";
    let mut old = input();
    old.held_on = "01.12.2025";
    let mut no_date = input();
    no_date.held_on = "forrige uke";
    let mut no_summary = input();
    no_summary.summary = "  ";
    let mut stranger = input();
    stranger.organisations = vec!["oslo-nav"];
    let mut too_many_others = input();
    too_many_others.others = Box::leak("x".repeat(MAX_OTHERS_LEN + 1).into_boxed_str());
    let mut half_row = input();
    half_row.actions[1] = ActionInput {
        description: "Ringe utleier",
        owner: "",
        due_on: "",
    };
    let mut early = input();
    early.actions[2].due_on = "03.12.2026";
    let mut unconsented_owner = input();
    unconsented_owner.actions[2].owner = "helse";
    let cases: Vec<Case<'_>> = vec![
        (no_kind, &all, vec![("kind", "required")]),
        (odd_kind, &all, vec![("kind", "unknown_value")]),
        (future, &all, vec![("held_on", "meeting.in_future")]),
        (old, &all, vec![("held_on", "meeting.too_old")]),
        (no_date, &all, vec![("held_on", "invalid_date")]),
        (no_summary, &all, vec![("summary", "required")]),
        (stranger, &all, vec![("organisations", "meeting.unknown_organisation")]),
        (
            input(),
            &[],
            vec![
                ("organisations", "meeting.no_consent"),
                ("actions[0].owner", "meeting.no_consent"),
            ],
        ),
        (too_many_others, &all, vec![("others", "too_long")]),
        (
            half_row,
            &all,
            vec![("actions[1].owner", "required"), ("actions[1].due_on", "required")],
        ),
        (early, &all, vec![("actions[2].due_on", "meeting.due_before_meeting")]),
        (
            unconsented_owner,
            &nav_only,
            vec![("actions[2].owner", "meeting.no_consent")],
        ),
    ];
    for (input, consented, expected) in cases {
        let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
        assert_eq!(codes(&Party::Unit, &input, consented), expected, "{input:?}");
    }
}

#[test]
fn too_many_actions_are_refused() {
    let all = orgs();
    let mut typed = input();
    typed.actions = vec![
        ActionInput {
            description: "Ringe",
            owner: UNIT,
            due_on: "20.12.2026",
        };
        MAX_ACTIONS + 1
    ];
    assert_eq!(
        codes(&Party::Unit, &typed, &all),
        vec![("actions".to_string(), "meeting.too_many_actions")]
    );
}

#[test]
fn only_the_owner_marks_an_action_done_or_open_again() {
    let nav = Party::Organisation("nav".into());
    let done = check_action_step(ActionState::Open, &nav, &nav, "done", " Innvilget ").unwrap();
    assert_eq!(done.state, ActionState::Done);
    assert_eq!(done.outcome.as_deref(), Some("Innvilget"));
    assert_eq!(
        check_action_step(ActionState::Open, &nav, &nav, "done", "")
            .unwrap()
            .outcome,
        None
    );
    let reopened = check_action_step(ActionState::Done, &nav, &nav, "open", "ignored").unwrap();
    assert_eq!(
        reopened,
        ActionChange {
            state: ActionState::Open,
            outcome: None
        }
    );
    let code = |r: Result<ActionChange, Vec<FieldError>>| r.unwrap_err()[0].code;
    assert_eq!(
        code(check_action_step(ActionState::Open, &nav, &Party::Unit, "done", "")),
        "meeting.not_owner"
    );
    assert_eq!(
        code(check_action_step(ActionState::Done, &nav, &nav, "done", "")),
        "meeting.already"
    );
    assert_eq!(
        code(check_action_step(ActionState::Open, &nav, &nav, "maybe", "")),
        "unknown_value"
    );
    let long = "x".repeat(MAX_OUTCOME_LEN + 1);
    assert_eq!(
        code(check_action_step(ActionState::Open, &nav, &nav, "done", &long)),
        "too_long"
    );
}

fn state() -> impl Strategy<Value = ActionState> {
    proptest::sample::select(ActionState::ALL.to_vec())
}

proptest! {
    /// Whoever asks and whatever is typed, a step is allowed exactly when the owner moves the
    /// action to the other state; an action is overdue only while open and past its day.
    #[test]
    fn a_step_is_allowed_only_for_the_owner_to_the_other_state(
        from in state(), to in state(), owner_is_unit: bool, by_is_unit: bool, days in -30i64..30,
    ) {
        let party = |unit: bool| if unit { Party::Unit } else { Party::Organisation("nav".into()) };
        let allowed = check_action_step(from, &party(owner_is_unit), &party(by_is_unit), to.code(), "").is_ok();
        prop_assert_eq!(allowed, owner_is_unit == by_is_unit && from != to);
        let due = TODAY + time::Duration::days(days);
        prop_assert_eq!(is_overdue(from, due, TODAY), from == ActionState::Open && days < 0);
    }

    /// Every organisation a checked meeting names took part with the household's consent.
    #[test]
    fn every_organisation_of_a_meeting_is_consented(
        ticked in proptest::collection::vec(proptest::sample::select(vec!["nav", "bo-team", "helse", "oslo"]), 0..4),
        consented in proptest::collection::vec(proptest::sample::select(vec!["nav", "bo-team", "helse"]), 0..3),
    ) {
        let all = orgs();
        let consented: Vec<String> = consented.into_iter().map(String::from).collect();
        let mut typed = input();
        typed.organisations = ticked;
        typed.actions.clear();
        if let Ok(fields) = check_meeting(&Party::Unit, &typed, Known { organisations: &all, consented: &consented }, TODAY) {
            prop_assert!(fields.organisations.iter().all(|o| consented.contains(o)));
        }
    }
}
