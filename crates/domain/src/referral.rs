//! Referrals (*henvisninger*) between the housing unit and its partner organisations: one
//! service asks another to do something for a household by a day; the receiver accepts,
//! declines with a reason, or completes it with an outcome. Sending one shares that the
//! household exists and what it needs, so a referral to an organisation needs the household's
//! consent in force to it (the caller says whether there is one).

use time::Date;

use crate::allocation::coded;
use crate::consent::text;
use crate::tenancy::{coded_field, date_field};
use crate::validation::{Errors, FieldError};

/// The longest purpose, in characters.
pub const MAX_PURPOSE_LEN: usize = 500;
/// The longest request, in characters.
pub const MAX_REQUEST_LEN: usize = 2_000;
/// The longest answer (a reason or an outcome), in characters.
pub const MAX_ANSWER_LEN: usize = 2_000;

coded! {
    /// Where a referral stands.
    ReferralState {
        /// Sent; the receiver has not answered.
        Sent => "sent",
        /// The receiver has taken it on.
        Accepted => "accepted",
        /// The receiver will not take it on, and said why.
        Declined => "declined",
        /// Done, with the outcome.
        Completed => "completed",
    }
}

coded! {
    /// What the receiver does with a referral.
    ReferralStep {
        Accept => "accept",
        Decline => "decline",
        Complete => "complete",
    }
}

/// A party to a referral: the housing unit itself, or one of the municipality's partner
/// organisations (by id).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Party {
    Unit,
    Organisation(String),
}

impl Party {
    /// The organisation's id, or `None` for the unit (as stored).
    pub fn organisation(&self) -> Option<&str> {
        match self {
            Party::Unit => None,
            Party::Organisation(id) => Some(id),
        }
    }

    pub fn of(organisation: Option<&str>) -> Party {
        organisation.map_or(Party::Unit, |id| Party::Organisation(id.to_string()))
    }
}

/// The code a form or the API uses for the unit as a receiver.
pub const UNIT: &str = "unit";

/// A referral as typed. `to` is an organisation's id or [`UNIT`]; the caller says which
/// organisations are the municipality's and which the household has a consent in force to.
#[derive(Debug, Clone, Default)]
pub struct ReferralInput<'a> {
    pub to: &'a str,
    pub purpose: &'a str,
    pub request: &'a str,
    pub due_on: &'a str,
}

/// A referral that passed [`check_referral`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralFields {
    pub from: Party,
    pub to: Party,
    pub purpose: String,
    pub request: String,
    pub due_on: Date,
}

/// What the caller knows of the organisations: the municipality's, and those the household has
/// a consent in force to today.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    pub organisations: &'a [String],
    pub consented: &'a [String],
}

/// Checks a referral from `from`: a receiver that is not the sender (a referral to oneself is
/// refused), the unit or one of the municipality's organisations with the household's consent in
/// force to it, a purpose, a request, and a due day from `today` on. Every problem at once,
/// each named by its field.
pub fn check_referral(
    from: &Party,
    input: &ReferralInput<'_>,
    known: Known<'_>,
    today: Date,
) -> Result<ReferralFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    let to = match input.to.trim() {
        "" => {
            errors.push(FieldError::required("to"));
            None
        }
        UNIT => Some(Party::Unit),
        id if known.organisations.iter().any(|o| o == id) => Some(Party::Organisation(id.to_string())),
        _ => {
            errors.push(FieldError::new(
                "to",
                "referral.unknown_receiver",
                "error.referral.unknown_receiver",
            ));
            None
        }
    };
    let to = match to {
        Some(to) if &to == from => {
            errors.push(FieldError::new(
                "to",
                "referral.to_oneself",
                "error.referral.to_oneself",
            ));
            None
        }
        Some(Party::Organisation(id)) if !known.consented.contains(&id) => {
            errors.push(FieldError::new(
                "to",
                "referral.no_consent",
                "error.referral.no_consent",
            ));
            None
        }
        other => other,
    };
    let purpose = text(&mut errors, "purpose", input.purpose, MAX_PURPOSE_LEN);
    let request = text(&mut errors, "request", input.request, MAX_REQUEST_LEN);
    let due_on = date_field(&mut errors, "due_on", input.due_on, true);
    if let Some(due) = due_on
        && due < today
    {
        errors.push(FieldError::new(
            "due_on",
            "referral.due_passed",
            "error.referral.due_passed",
        ));
    }
    match (to, purpose, request, due_on) {
        (Some(to), Some(purpose), Some(request), Some(due_on)) if errors.is_empty() => Ok(ReferralFields {
            from: from.clone(),
            to,
            purpose,
            request,
            due_on,
        }),
        _ => Err(errors.0),
    }
}

/// The state a step leads to from `state`, if it may be taken there.
pub fn next_state(state: ReferralState, step: ReferralStep) -> Option<ReferralState> {
    use ReferralState::*;
    match (state, step) {
        (Sent, ReferralStep::Accept) => Some(Accepted),
        (Sent, ReferralStep::Decline) => Some(Declined),
        (Sent | Accepted, ReferralStep::Complete) => Some(Completed),
        _ => None,
    }
}

/// An answer that passed [`check_answer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub step: ReferralStep,
    pub state: ReferralState,
    /// The reason (decline) or the outcome (complete).
    pub text: Option<String>,
}

/// Checks an answer to a referral in `state` addressed to `receiver`, given by `by`: only the
/// receiver answers (`referral.not_receiver` on `step`), only with a step the state allows
/// (`referral.step_not_allowed`), with a reason to decline and an outcome to complete (`text`).
pub fn check_answer(
    state: ReferralState,
    receiver: &Party,
    by: &Party,
    step: &str,
    answer: &str,
) -> Result<Answer, Vec<FieldError>> {
    let mut errors = Errors::default();
    let step = coded_field(
        &mut errors,
        "step",
        step,
        ReferralStep::from_code,
        &ReferralStep::codes(),
    );
    if receiver != by {
        errors.push(FieldError::new(
            "step",
            "referral.not_receiver",
            "error.referral.not_receiver",
        ));
        return Err(errors.0);
    }
    let Some(step) = step else {
        return Err(errors.0);
    };
    let Some(next) = next_state(state, step) else {
        errors.push(FieldError::new(
            "step",
            "referral.step_not_allowed",
            "error.referral.step_not_allowed",
        ));
        return Err(errors.0);
    };
    let text = match step {
        ReferralStep::Accept => None,
        ReferralStep::Decline | ReferralStep::Complete => text(&mut errors, "text", answer, MAX_ANSWER_LEN),
    };
    if errors.is_empty() {
        Ok(Answer {
            step,
            state: next,
            text,
        })
    } else {
        Err(errors.0)
    }
}

/// Whether a referral is past its due day unanswered or unfinished on `today`.
pub fn is_overdue(state: ReferralState, due_on: Date, today: Date) -> bool {
    matches!(state, ReferralState::Sent | ReferralState::Accepted) && due_on < today
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn orgs() -> Vec<String> {
        vec!["nav".into(), "bo-team".into()]
    }

    fn input() -> ReferralInput<'static> {
        ReferralInput {
            to: "nav",
            purpose: "Husleierestanse",
            request: "Vurder økonomisk sosialhjelp til restansen for oktober.",
            due_on: "18.12.2026",
        }
    }

    fn codes(from: &Party, input: &ReferralInput<'_>, consented: &[String]) -> Vec<(String, &'static str)> {
        let organisations = orgs();
        let known = Known {
            organisations: &organisations,
            consented,
        };
        match check_referral(from, input, known, TODAY) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn a_referral_from_the_unit_to_a_consented_partner_passes() {
        let organisations = orgs();
        let fields = check_referral(
            &Party::Unit,
            &input(),
            Known {
                organisations: &organisations,
                consented: &["nav".to_string()],
            },
            TODAY,
        )
        .unwrap();
        assert_eq!(fields.to, Party::Organisation("nav".into()));
        assert_eq!(fields.due_on, date!(2026 - 12 - 18));
    }

    #[test]
    fn bad_referrals_are_refused_by_field() {
        let all = orgs();
        let nav = Party::Organisation("nav".into());
        // (sender, input, the organisations consented to, the refusals expected)
        type Case<'a> = (
            Party,
            ReferralInput<'static>,
            &'a [String],
            Vec<(&'static str, &'static str)>,
        );
        let cases: Vec<Case<'_>> = vec![
            (
                Party::Unit,
                ReferralInput { to: "", ..input() },
                &all,
                vec![("to", "required")],
            ),
            (
                Party::Unit,
                ReferralInput {
                    to: "oslo-nav",
                    ..input()
                },
                &all,
                vec![("to", "referral.unknown_receiver")],
            ),
            (nav.clone(), input(), &all, vec![("to", "referral.to_oneself")]),
            (
                Party::Unit,
                ReferralInput { to: UNIT, ..input() },
                &all,
                vec![("to", "referral.to_oneself")],
            ),
            (Party::Unit, input(), &[], vec![("to", "referral.no_consent")]),
            (
                Party::Unit,
                ReferralInput {
                    purpose: " ",
                    request: "",
                    ..input()
                },
                &all,
                vec![("purpose", "required"), ("request", "required")],
            ),
            (
                Party::Unit,
                ReferralInput {
                    due_on: "03.12.2026",
                    ..input()
                },
                &all,
                vec![("due_on", "referral.due_passed")],
            ),
            (
                Party::Unit,
                ReferralInput {
                    due_on: "snart",
                    ..input()
                },
                &all,
                vec![("due_on", "invalid_date")],
            ),
        ];
        for (from, input, consented, expected) in cases {
            let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
            assert_eq!(codes(&from, &input, consented), expected, "{from:?} {input:?}");
        }
        // A partner refers to the unit without naming a consent: its own consent let it in.
        assert!(codes(&nav, &ReferralInput { to: UNIT, ..input() }, &[]).is_empty());
    }

    #[test]
    fn the_lifecycle_table() {
        use ReferralState::*;
        use ReferralStep::*;
        let table = [
            (Sent, Accept, Some(Accepted)),
            (Sent, Decline, Some(Declined)),
            (Sent, Complete, Some(Completed)),
            (Accepted, Complete, Some(Completed)),
            (Accepted, Accept, None),
            (Accepted, Decline, None),
            (Declined, Accept, None),
            (Declined, Complete, None),
            (Completed, Decline, None),
            (Completed, Complete, None),
        ];
        for (state, step, want) in table {
            assert_eq!(next_state(state, step), want, "{state:?} {step:?}");
        }
    }

    #[test]
    fn only_the_receiver_answers_and_a_decline_says_why() {
        let nav = Party::Organisation("nav".into());
        let sent = ReferralState::Sent;
        assert_eq!(
            check_answer(sent, &nav, &nav, "accept", "").unwrap().state,
            ReferralState::Accepted
        );
        assert_eq!(
            check_answer(sent, &nav, &Party::Unit, "accept", "").unwrap_err()[0].code,
            "referral.not_receiver"
        );
        assert_eq!(
            check_answer(sent, &nav, &nav, "decline", " ").unwrap_err()[0].field,
            "text"
        );
        let done = check_answer(ReferralState::Accepted, &nav, &nav, "complete", "Innvilget").unwrap();
        assert_eq!(done.text.as_deref(), Some("Innvilget"));
        assert_eq!(
            check_answer(ReferralState::Declined, &nav, &nav, "complete", "x").unwrap_err()[0].code,
            "referral.step_not_allowed"
        );
        assert_eq!(
            check_answer(sent, &nav, &nav, "maybe", "").unwrap_err()[0].code,
            "unknown_value"
        );
    }

    fn state() -> impl Strategy<Value = ReferralState> {
        proptest::sample::select(ReferralState::ALL.to_vec())
    }

    fn step() -> impl Strategy<Value = ReferralStep> {
        proptest::sample::select(ReferralStep::ALL.to_vec())
    }

    proptest! {
        /// Any run of steps only moves forward: a final state stays final, and a referral is
        /// overdue only while open.
        #[test]
        fn steps_never_leave_a_final_state(steps in proptest::collection::vec(step(), 0..6), start in state(), days in -30i64..30) {
            let mut now = start;
            for s in steps {
                if let Some(next) = next_state(now, s) {
                    prop_assert!(!matches!(now, ReferralState::Declined | ReferralState::Completed));
                    now = next;
                }
            }
            let due = TODAY + time::Duration::days(days);
            let open = matches!(now, ReferralState::Sent | ReferralState::Accepted);
            prop_assert_eq!(is_overdue(now, due, TODAY), open && days < 0);
        }
    }
}
