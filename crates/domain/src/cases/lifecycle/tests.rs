use super::*;
use crate::cases::renewal::RenewalTerms;
use crate::cases::requests::{CheckedProposal, ExpiryReason, Step};
use crate::cases::{AppealBodyOutcome, CaseType, Decision, Outcome};
use crate::{CaseId, HouseholdId, MunicipalityId};
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 26);

fn case(case_type: CaseType) -> Case {
    Case {
        id: CaseId::new(),
        municipality_id: MunicipalityId::new(),
        household_id: HouseholdId::new(),
        reference: "2026-000001".into(),
        case_type,
        state: CaseState::Received,
        version: 1,
        form: ApplicationForm::default(),
        overrides: Vec::new(),
        received_on: date!(2026 - 11 - 02),
        assigned_to: None,
        assigned_name: None,
        interim_due: Some(date!(2026 - 12 - 02)),
        interim_sent_on: None,
        information_due: None,
        decided_on: None,
        delivered_on: None,
        appeal_deadline: None,
        valid_until: None,
        renewal_reminder_on: None,
        decide_by: None,
        next_due: Some(date!(2026 - 12 - 02)),
        finance: None,
    }
}

fn step(action: CaseAction) -> Step {
    Step {
        action,
        reason: Some("fordi".into()),
        information_due: (action == CaseAction::RequestInformation).then_some(date!(2026 - 12 - 10)),
        expiry: None,
        appeal: None,
    }
}

fn proposal(outcome: Outcome, amount_ore: Option<i64>) -> CheckedProposal {
    CheckedProposal {
        outcome,
        reasons: "Begrunnelse".into(),
        granted_text: (outcome == Outcome::Granted).then(|| "Plass på ventelisten".into()),
        amount_ore,
        conditions: Vec::new(),
        section6: None,
        renewal: None,
    }
}

/// A proposal for `case_type`: a renewal review's carries its terms.
fn proposal_for(case_type: CaseType, outcome: Outcome, amount_ore: Option<i64>) -> CheckedProposal {
    let mut p = proposal(outcome, amount_ore);
    if case_type == CaseType::TenancyRenewal {
        p.renewal = Some(if outcome.grants() {
            RenewalTerms::Renew {
                until: date!(2030 - 02 - 28),
            }
        } else {
            RenewalTerms::End {
                transition_plan: "Hjelp til å finne bolig".into(),
                startlan_referral: false,
            }
        });
    }
    p
}

/// A case with the decisions written so far, as the store would hold them.
struct Held {
    case: Case,
    latest: Option<LatestDecision>,
}

impl Held {
    fn apply(&mut self, change: CaseChange) {
        match change.decision {
            Some(DecisionChange::Propose {
                id,
                proposal,
                proposed_by,
                ..
            }) => {
                self.latest = Some(LatestDecision {
                    id,
                    proposed_by,
                    outcome: proposal.outcome,
                    status: DecisionStatus::Proposed,
                    amount_ore: proposal.amount_ore,
                    renew_until: match proposal.renewal {
                        Some(RenewalTerms::Renew { until }) => Some(until),
                        _ => None,
                    },
                })
            }
            Some(DecisionChange::Review { status, .. }) => self.latest.as_mut().unwrap().status = status,
            Some(DecisionChange::Send { .. }) => self.latest.as_mut().unwrap().status = DecisionStatus::Sent,
            None => {}
        }
        self.case = change.case;
    }
}

#[test]
fn a_housing_application_from_received_to_the_waiting_list_and_an_appeal() {
    let caseworker = UserId::new();
    let approver = UserId::new();
    let mut held = Held {
        case: case(CaseType::MunicipalHousing),
        latest: None,
    };
    let change = held
        .case
        .take_step(&step(CaseAction::StartAssessment), TODAY, 12)
        .unwrap();
    assert_eq!(change.event, "case.start_assessment");
    held.apply(change);
    let change = held
        .case
        .propose(
            DecisionId::new(),
            &proposal(Outcome::Granted, None),
            caseworker,
            Value::Null,
        )
        .unwrap();
    assert_eq!(change.case.state, CaseState::DecisionProposed);
    held.apply(change);
    assert_eq!(
        held.case.review(held.latest.as_ref(), caseworker, true, None),
        Err(Refusal::OwnProposal),
        "four eyes"
    );
    assert_eq!(
        held.case.send_decision(
            held.latest.as_ref(),
            TODAY,
            crate::cases::requests::Delivery::digital(TODAY),
            12
        ),
        Err(Refusal::NotApproved)
    );
    let change = held.case.review(held.latest.as_ref(), approver, true, None).unwrap();
    held.apply(change);
    let change = held
        .case
        .send_decision(
            held.latest.as_ref(),
            TODAY,
            crate::cases::requests::Delivery {
                channel: crate::cases::requests::DeliveryChannel::Paper,
                on: date!(2026 - 11 - 27),
            },
            12,
        )
        .unwrap();
    assert_eq!(change.case.state, CaseState::OnWaitingList);
    assert_eq!(
        change.details["delivery"], "paper",
        "the event says how the letter went out"
    );
    assert_eq!(change.details["delivered_on"], "2026-11-27");
    assert_eq!(change.case.appeal_deadline, Some(date!(2026 - 12 - 18)));
    assert_eq!(change.case.valid_until, Some(date!(2027 - 11 - 26)));
    assert!(change.ledger.is_empty(), "a housing decision touches no grant budget");
    held.apply(change);
    assert_eq!(
        held.case.send_decision(
            held.latest.as_ref(),
            TODAY,
            crate::cases::requests::Delivery::digital(TODAY),
            12
        ),
        Err(Refusal::NotApproved),
        "a sent decision is not sent twice"
    );
    let change = held
        .case
        .take_step(&step(CaseAction::RegisterAppeal), TODAY, 12)
        .unwrap();
    held.apply(change);
    let change = held
        .case
        .propose(
            DecisionId::new(),
            &proposal(Outcome::Refused, None),
            caseworker,
            Value::Null,
        )
        .unwrap();
    assert_eq!(change.event, "case.reversed_on_appeal");
    assert!(matches!(
        change.decision,
        Some(DecisionChange::Propose { on_appeal: true, .. })
    ));
}

#[test]
fn a_valid_approval_ends_early_only_with_a_reason_the_rules_allow_and_can_be_restored() {
    let mut c = case(CaseType::MunicipalHousing);
    c.state = CaseState::OnWaitingList;
    c.valid_until = Some(date!(2027 - 11 - 26));
    assert_eq!(
        c.take_step(&step(CaseAction::Expire), TODAY, 12),
        Err(Refusal::StillValid(date!(2027 - 11 - 26))),
        "no reason: only after the validity date"
    );
    let early = Step {
        expiry: Some(ExpiryReason::HousedElsewhere),
        ..step(CaseAction::Expire)
    };
    let expired = c.take_step(&early, TODAY, 12).unwrap();
    assert_eq!(expired.case.state, CaseState::Expired);
    assert_eq!(expired.details["expiry_reason"], "housed_elsewhere");
    // Restored by a caseworker with a reason: the approval keeps its period while it lasts …
    let restored = expired.case.take_step(&step(CaseAction::Reinstate), TODAY, 12).unwrap();
    assert_eq!(restored.case.state, CaseState::OnWaitingList);
    assert_eq!(restored.case.valid_until, Some(date!(2027 - 11 - 26)));
    // … and gets a new one when it had run out.
    let mut lapsed = expired.case.clone();
    lapsed.valid_until = Some(date!(2026 - 01 - 01));
    let renewed = lapsed.take_step(&step(CaseAction::Reinstate), TODAY, 12).unwrap();
    assert_eq!(renewed.case.valid_until, Some(date!(2027 - 11 - 26)));
    let mut ran_out = c.clone();
    ran_out.valid_until = Some(date!(2026 - 11 - 25));
    assert!(ran_out.take_step(&step(CaseAction::Expire), TODAY, 12).is_ok());
}

#[test]
fn a_grant_commits_its_amount_when_sent_and_releases_it_when_closed() {
    let mut held = Held {
        case: case(CaseType::AdaptationGrant),
        latest: None,
    };
    held.case.state = CaseState::UnderAssessment;
    assert_eq!(
        held.case.propose(
            DecisionId::new(),
            &proposal(Outcome::Granted, None),
            UserId::new(),
            Value::Null
        ),
        Err(Refusal::AmountMissing)
    );
    assert_eq!(
        held.case.propose(
            DecisionId::new(),
            &proposal(Outcome::Refused, Some(100)),
            UserId::new(),
            Value::Null
        ),
        Err(Refusal::AmountNotApplicable)
    );
    let change = held
        .case
        .propose(
            DecisionId::new(),
            &proposal(Outcome::Granted, Some(5_000_000)),
            UserId::new(),
            Value::Null,
        )
        .unwrap();
    held.apply(change);
    let change = held
        .case
        .review(held.latest.as_ref(), UserId::new(), true, None)
        .unwrap();
    held.apply(change);
    let change = held
        .case
        .send_decision(
            held.latest.as_ref(),
            TODAY,
            crate::cases::requests::Delivery::digital(TODAY),
            12,
        )
        .unwrap();
    let decision = held.latest.unwrap().id;
    assert_eq!(
        change.ledger,
        [
            LedgerEffect::ReleaseOutstanding {
                grant: GrantType::Adaptation,
                on: TODAY,
                note: "replaced by a new decision"
            },
            LedgerEffect::Commit {
                grant: GrantType::Adaptation,
                amount_ore: 5_000_000,
                on: TODAY,
                decision
            }
        ]
    );
    held.apply(change);
    let close = held.case.take_step(&step(CaseAction::Close), TODAY, 12).unwrap();
    assert_eq!(
        close.ledger,
        [LedgerEffect::ReleaseOutstanding {
            grant: GrantType::Adaptation,
            on: TODAY,
            note: "close"
        }]
    );
}

#[test]
fn the_form_and_overrides_change_only_while_the_case_is_assessed() {
    let mut c = case(CaseType::Section6Assistance);
    let change = c
        .set_override("income_cap", Some(RuleOutcome::Met), "Engangsinntekt", &["income_cap"])
        .unwrap();
    assert_eq!(change.case.overrides.len(), 1);
    assert_eq!(
        c.set_override("no_such_rule", None, "", &["income_cap"]),
        Err(Refusal::UnknownRule)
    );
    c.state = CaseState::DecisionProposed;
    assert_eq!(
        c.save_form(&ApplicationForm::default()),
        Err(Refusal::NotEditable(CaseState::DecisionProposed))
    );
    c.state = CaseState::Refused;
    assert_eq!(c.send_interim_answer(TODAY), Err(Refusal::AlreadyDecided));
}

#[test]
fn steps_that_carry_a_decision_have_their_own_commands() {
    let mut c = case(CaseType::MunicipalHousing);
    c.state = CaseState::DecisionProposed;
    for action in [CaseAction::Approve, CaseAction::SendBack] {
        assert!(matches!(
            c.take_step(&step(action), TODAY, 12),
            Err(Refusal::NotNow { .. })
        ));
    }
}

#[test]
fn a_decision_round_trips_to_what_the_commands_check() {
    let d = Decision {
        id: DecisionId::new(),
        outcome: Outcome::Granted,
        reasons: String::new(),
        granted_text: None,
        assessment: Value::Null,
        status: DecisionStatus::Approved,
        proposed_by: UserId::new(),
        proposed_by_name: String::new(),
        proposed_at: 0,
        decided_by: None,
        decided_at: None,
        sent_at: None,
        on_appeal: false,
        amount_ore: None,
        conditions: Vec::new(),
        section6: None,
        renewal: None,
    };
    assert_eq!(d.latest().status, DecisionStatus::Approved);
    for status in DecisionStatus::ALL {
        assert_eq!(DecisionStatus::from_code(status.code()), Some(status));
        assert_eq!(serde_json::to_value(status).unwrap(), json!(status.code()));
    }
}

/// Every command a user can give, with its inputs.
#[derive(Debug, Clone)]
enum Command {
    Step(CaseAction),
    Propose(Outcome, Option<i64>, bool),
    Review { approve: bool, by_proposer: bool },
    Send,
    Interim,
    SaveForm,
    Override,
    Assign,
}

fn command() -> impl Strategy<Value = Command> {
    let actions = prop_oneof![
        Just(CaseAction::StartAssessment),
        Just(CaseAction::RequestInformation),
        Just(CaseAction::InformationReceived),
        Just(CaseAction::RegisterAppeal),
        Just(CaseAction::UpholdAndForward),
        Just(CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::Upheld)),
        Just(CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::Reversed)),
        Just(CaseAction::RecordAppealBodyOutcome(
            AppealBodyOutcome::ReturnedForNewAssessment
        )),
        Just(CaseAction::Renew),
        Just(CaseAction::Expire),
        Just(CaseAction::Reinstate),
        Just(CaseAction::Withdraw),
        Just(CaseAction::Close),
        Just(CaseAction::Approve),
        Just(CaseAction::SendBack),
    ];
    prop_oneof![
        4 => actions.prop_map(Command::Step),
        2 => (
            prop_oneof![Just(Outcome::Granted), Just(Outcome::Refused)],
            proptest::option::of(-10i64..10_000_000),
            any::<bool>()
        )
            .prop_map(|(o, a, c)| Command::Propose(o, a, c)),
        2 => (any::<bool>(), any::<bool>()).prop_map(|(approve, by_proposer)| Command::Review { approve, by_proposer }),
        2 => Just(Command::Send),
        1 => Just(Command::Interim),
        1 => Just(Command::SaveForm),
        1 => Just(Command::Override),
        1 => Just(Command::Assign),
    ]
}

fn case_type() -> impl Strategy<Value = CaseType> {
    proptest::sample::select(CaseType::ALL.to_vec())
}

proptest! {
    /// Whatever a user tries, in whatever order: an accepted command moves the case only along
    /// the transition table (or not at all), a refused one changes nothing, a decision is only
    /// approved by someone other than its proposer, and only an approved decision is sent.
    #[test]
    fn no_command_sequence_leaves_the_transition_table(
        case_type in case_type(),
        commands in proptest::collection::vec(command(), 1..40),
    ) {
        let proposer = UserId::new();
        let other = UserId::new();
        let mut held = Held { case: case(case_type), latest: None };
        for command in commands {
            let before = held.case.clone();
            let latest_before = held.latest;
            let result = match &command {
                Command::Step(action) => held.case.take_step(&step(*action), TODAY, 12),
                Command::Propose(outcome, amount, with_condition) => {
                    let mut p = proposal_for(case_type, *outcome, *amount);
                    if *with_condition {
                        p.conditions.push("Pant".into());
                    }
                    held.case.propose(DecisionId::new(), &p, proposer, Value::Null)
                }
                Command::Review { approve, by_proposer } => held.case.review(
                    held.latest.as_ref(),
                    if *by_proposer { proposer } else { other },
                    *approve,
                    None,
                ),
                Command::Send => held.case.send_decision(held.latest.as_ref(), TODAY, crate::cases::requests::Delivery::digital(TODAY), 12),
                Command::Interim => held.case.send_interim_answer(TODAY),
                Command::SaveForm => held.case.save_form(&ApplicationForm::default()),
                Command::Override => held.case.set_override("age", Some(RuleOutcome::Met), "x", &["age"]),
                Command::Assign => held.case.assign(Some(other)),
            };
            prop_assert_eq!(&held.case, &before, "a command never changes the case it is given");
            let Ok(change) = result else { continue };
            let to = change.case.state;
            if to != before.state || matches!(command, Command::Step(_) | Command::Propose(..) | Command::Review { .. } | Command::Send) {
                let allowed = CaseAction::all()
                    .into_iter()
                    .any(|a| transition(case_type, before.state, a) == Ok(to));
                prop_assert!(allowed, "{:?} → {:?} by {:?} is not in the table", before.state, to, command);
            }
            prop_assert_eq!(change.case.id, before.id);
            prop_assert_eq!(change.case.version, before.version, "the store bumps the version, not the command");
            match &change.decision {
                Some(DecisionChange::Review { status: DecisionStatus::Approved, by, .. }) => {
                    prop_assert_ne!(Some(*by), latest_before.map(|d| d.proposed_by));
                }
                Some(DecisionChange::Send { .. }) => {
                    prop_assert_eq!(latest_before.map(|d| d.status), Some(DecisionStatus::Approved));
                }
                _ => {}
            }
            if let Some(DecisionChange::Propose { proposal, .. }) = &change.decision {
                prop_assert!(proposal.outcome == Outcome::Granted || (proposal.amount_ore.is_none() && proposal.conditions.is_empty()));
                prop_assert_eq!(case_type.is_finance() && proposal.outcome == Outcome::Granted, proposal.amount_ore.is_some());
            }
            match change.tenancy {
                Some(TenancyEffect::Renew { .. }) => prop_assert!(
                    case_type == CaseType::TenancyRenewal && latest_before.is_some_and(|d| d.outcome.grants()),
                    "only a granted renewal renews a contract"
                ),
                Some(TenancyEffect::NotRenewed) => prop_assert!(
                    case_type == CaseType::TenancyRenewal && latest_before.is_some_and(|d| !d.outcome.grants())
                ),
                None => prop_assert!(
                    case_type != CaseType::TenancyRenewal || !matches!(change.decision, Some(DecisionChange::Send { .. })),
                    "every renewal decision sent says what it does to the contract"
                ),
            }
            for effect in &change.ledger {
                prop_assert!(case_type.grant().is_some(), "only grants touch the budget");
                if let LedgerEffect::Commit { amount_ore, .. } = effect {
                    prop_assert!(*amount_ore > 0);
                }
            }
            held.apply(change);
        }
    }
}

#[test]
fn a_renewal_review_renews_or_ends_the_contract_when_its_decision_is_sent() {
    let caseworker = UserId::new();
    let approver = UserId::new();
    let review = Case::received(
        CaseId::new(),
        MunicipalityId::new(),
        HouseholdId::new(),
        "2026-000001".into(),
        CaseType::TenancyRenewal,
        ApplicationForm::default(),
        TODAY,
    );
    assert_eq!(
        review.interim_due, None,
        "the office's own review needs no interim answer"
    );
    let assessing = review
        .take_step(&step(CaseAction::StartAssessment), TODAY, 12)
        .unwrap()
        .case;
    assert_eq!(
        assessing.propose(
            DecisionId::new(),
            &proposal(Outcome::Granted, None),
            caseworker,
            Value::Null
        ),
        Err(Refusal::RenewalTermMissing),
        "a renewal decision says what it decides"
    );
    for (outcome, effect) in [
        (
            Outcome::Granted,
            TenancyEffect::Renew {
                until: date!(2030 - 02 - 28),
            },
        ),
        (Outcome::Refused, TenancyEffect::NotRenewed),
    ] {
        let mut held = Held {
            case: assessing.clone(),
            latest: None,
        };
        let p = proposal_for(CaseType::TenancyRenewal, outcome, None);
        let change = held
            .case
            .propose(DecisionId::new(), &p, caseworker, Value::Null)
            .unwrap();
        assert_eq!(
            change.tenancy, None,
            "nothing happens to the contract before the letter goes"
        );
        held.apply(change);
        let change = held.case.review(held.latest.as_ref(), approver, true, None).unwrap();
        held.apply(change);
        let change = held
            .case
            .send_decision(
                held.latest.as_ref(),
                TODAY,
                crate::cases::requests::Delivery::digital(TODAY),
                12,
            )
            .unwrap();
        assert_eq!(change.tenancy, Some(effect));
        let state = if outcome.grants() {
            CaseState::Granted
        } else {
            CaseState::Refused
        };
        assert_eq!(change.case.state, state);
        assert_eq!(
            change.case.valid_until, None,
            "a renewal is not a place on the waiting list"
        );
    }
}
