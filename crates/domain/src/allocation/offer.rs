//! Offers of a dwelling to a waiting household, and their answers.
//!
//! ```text
//!            ┌─▶ accepted   (hand over to the contract)
//!   open ────┼─▶ declined   (a coded reason; the policy says which reasons are reasonable)
//!     ▲      ├─▶ expired    (no answer by the answer date)
//!     │      └─▶ withdrawn  (the municipality takes it back, with a reason)
//!     └───────── reopened   (undo of a decline, an expiry or a withdrawal, with a reason)
//! ```
//!
//! A dwelling carries at most one open offer, and a household at most one: the store enforces
//! both with unique indexes, so two caseworkers offering at the same moment cannot both succeed.
//! How many declines without a reasonable ground a household may make before the municipality
//! may take it off the waiting list is the policy's `[offers]` rule, counted here.

use time::{Date, Duration};

use super::policy::OfferRules;

coded! {
    /// Where an offer stands.
    OfferState {
        Open => "open",
        Accepted => "accepted",
        Declined => "declined",
        Expired => "expired",
        Withdrawn => "withdrawn",
    }
}

coded! {
    /// Why a household declined, as the household or the caseworker records it. Which of these
    /// the municipality counts as reasonable is policy (`[offers] reasonable_decline_reasons`).
    DeclineReason {
        HealthOrAccessibility => "health_or_accessibility",
        Safety => "safety",
        SchoolOrWork => "school_or_work",
        Rent => "rent",
        Size => "size",
        Location => "location",
        Standard => "standard",
        FoundOtherHousing => "found_other_housing",
        Other => "other",
    }
}

impl OfferState {
    /// The catalogue key for the state's name.
    pub fn key(self) -> String {
        format!("offer.state.{}", self.code())
    }

    /// Whether the offer still waits for an answer.
    pub fn is_open(self) -> bool {
        self == OfferState::Open
    }
}

impl DeclineReason {
    pub fn key(self) -> String {
        format!("offer.decline.{}", self.code())
    }

    /// `other` says nothing by itself: the answer must say what.
    pub fn needs_note(self) -> bool {
        self == DeclineReason::Other
    }
}

/// An answer to an open offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline(DeclineReason),
}

/// Why an offer cannot move as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OfferRefusal {
    #[error("the offer is {0:?}, not open")]
    NotOpen(OfferState),
    #[error("only a declined, expired or withdrawn offer can be reopened")]
    NotReopenable(OfferState),
    #[error("the answer date has passed")]
    PastAnswerDate,
    #[error("the answer date is before the offer")]
    AnswerDateBeforeOffer,
}

impl OfferRefusal {
    pub fn key(self) -> &'static str {
        match self {
            OfferRefusal::NotOpen(_) => "offer.refused.not_open",
            OfferRefusal::NotReopenable(_) => "offer.refused.not_reopenable",
            OfferRefusal::PastAnswerDate => "offer.refused.past_answer_date",
            OfferRefusal::AnswerDateBeforeOffer => "offer.refused.answer_date_before_offer",
        }
    }
}

/// The default answer date of an offer made on `sent_on`.
pub fn answer_by(sent_on: Date, rules: &OfferRules) -> Date {
    sent_on + Duration::days(i64::from(rules.answer_days))
}

/// Checks an answer date a caseworker chose: not before the offer is made.
pub fn check_answer_by(sent_on: Date, answer_by: Date) -> Result<(), OfferRefusal> {
    if answer_by < sent_on {
        return Err(OfferRefusal::AnswerDateBeforeOffer);
    }
    Ok(())
}

/// The state after an answer given on `today`. An answer after the answer date is refused: the
/// offer has expired (whether or not the nightly run has marked it yet); the caseworker can
/// reopen it.
pub fn answer(state: OfferState, answer_by: Date, today: Date, answer: Answer) -> Result<OfferState, OfferRefusal> {
    if !state.is_open() {
        return Err(OfferRefusal::NotOpen(state));
    }
    if today > answer_by {
        return Err(OfferRefusal::PastAnswerDate);
    }
    Ok(match answer {
        Answer::Accept => OfferState::Accepted,
        Answer::Decline(_) => OfferState::Declined,
    })
}

/// Withdrawing: only an open offer.
pub fn withdraw(state: OfferState) -> Result<OfferState, OfferRefusal> {
    if !state.is_open() {
        return Err(OfferRefusal::NotOpen(state));
    }
    Ok(OfferState::Withdrawn)
}

/// Reopening undoes a decline, an expiry or a withdrawal. An accepted offer is undone by the
/// contract's own process, not here.
pub fn reopen(state: OfferState) -> Result<OfferState, OfferRefusal> {
    match state {
        OfferState::Declined | OfferState::Expired | OfferState::Withdrawn => Ok(OfferState::Open),
        other => Err(OfferRefusal::NotReopenable(other)),
    }
}

/// Whether an open offer has run out on `today`.
pub fn is_expired(state: OfferState, answer_by: Date, today: Date) -> bool {
    state.is_open() && today > answer_by
}

/// One closed offer of a household, as its standing with the decline rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastAnswer {
    pub state: OfferState,
    pub reason: Option<DeclineReason>,
}

/// Whether a decline or a silence counts against the household under the policy.
pub fn counts_as_unreasonable(past: PastAnswer, rules: &OfferRules) -> bool {
    match past.state {
        OfferState::Declined => past
            .reason
            .is_none_or(|reason| !rules.reasonable_decline_reasons.contains(&reason)),
        OfferState::Expired => rules.expiry_counts_as_decline,
        _ => false,
    }
}

/// A household's declines measured against the municipality's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclineStanding {
    /// Declines (and, if the rule says so, expiries) without a reasonable ground.
    pub unreasonable: u32,
    /// How many the rule allows.
    pub allowed: u32,
}

impl DeclineStanding {
    pub fn of(history: &[PastAnswer], rules: &OfferRules) -> DeclineStanding {
        DeclineStanding {
            unreasonable: history.iter().filter(|p| counts_as_unreasonable(**p, rules)).count() as u32,
            allowed: rules.unreasonable_declines_allowed,
        }
    }

    /// More than the rule allows: the municipality may take the household off the waiting list
    /// (a decision of its own, with the right to appeal; nothing here does it automatically).
    pub fn limit_exceeded(&self) -> bool {
        self.unreasonable > self.allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::policy::PriorityPolicy;
    use proptest::prelude::*;
    use time::macros::date;

    fn rules() -> OfferRules {
        PriorityPolicy::embedded().offers.clone()
    }

    #[test]
    fn the_shipped_rule_gives_a_week_and_allows_one_unreasonable_decline() {
        let rules = rules();
        assert_eq!(answer_by(date!(2026 - 12 - 03), &rules), date!(2026 - 12 - 10));
        assert_eq!(rules.unreasonable_declines_allowed, 1);
        assert!(rules.expiry_counts_as_decline);
    }

    #[test]
    fn only_an_open_offer_is_answered_and_only_by_its_answer_date() {
        let by = date!(2026 - 12 - 10);
        let today = date!(2026 - 12 - 10);
        assert_eq!(
            answer(OfferState::Open, by, today, Answer::Accept),
            Ok(OfferState::Accepted)
        );
        assert_eq!(
            answer(OfferState::Open, by, today, Answer::Decline(DeclineReason::Location)),
            Ok(OfferState::Declined)
        );
        assert_eq!(
            answer(OfferState::Open, by, date!(2026 - 12 - 11), Answer::Accept),
            Err(OfferRefusal::PastAnswerDate)
        );
        for state in [
            OfferState::Accepted,
            OfferState::Declined,
            OfferState::Expired,
            OfferState::Withdrawn,
        ] {
            assert_eq!(
                answer(state, by, today, Answer::Accept),
                Err(OfferRefusal::NotOpen(state))
            );
            assert_eq!(withdraw(state), Err(OfferRefusal::NotOpen(state)));
        }
    }

    #[test]
    fn a_decline_an_expiry_and_a_withdrawal_can_be_undone_but_not_an_acceptance() {
        for state in [OfferState::Declined, OfferState::Expired, OfferState::Withdrawn] {
            assert_eq!(reopen(state), Ok(OfferState::Open));
        }
        for state in [OfferState::Open, OfferState::Accepted] {
            assert_eq!(reopen(state), Err(OfferRefusal::NotReopenable(state)));
        }
    }

    #[test]
    fn the_answer_date_cannot_come_before_the_offer() {
        assert_eq!(
            check_answer_by(date!(2026 - 12 - 03), date!(2026 - 12 - 02)),
            Err(OfferRefusal::AnswerDateBeforeOffer)
        );
        assert_eq!(check_answer_by(date!(2026 - 12 - 03), date!(2026 - 12 - 03)), Ok(()));
    }

    #[test]
    fn reasonable_grounds_do_not_count_and_silence_does() {
        let rules = rules();
        let declined = |reason| PastAnswer {
            state: OfferState::Declined,
            reason: Some(reason),
        };
        let history = [
            declined(DeclineReason::HealthOrAccessibility),
            declined(DeclineReason::Safety),
            declined(DeclineReason::Location),
        ];
        let standing = DeclineStanding::of(&history, &rules);
        assert_eq!(standing.unreasonable, 1);
        assert!(!standing.limit_exceeded());
        let mut more = history.to_vec();
        more.push(PastAnswer {
            state: OfferState::Expired,
            reason: None,
        });
        assert!(DeclineStanding::of(&more, &rules).limit_exceeded());
        // A withdrawal is the municipality's act, never the household's.
        let withdrawn = [PastAnswer {
            state: OfferState::Withdrawn,
            reason: None,
        }; 5];
        assert_eq!(DeclineStanding::of(&withdrawn, &rules).unreasonable, 0);
    }

    fn any_state() -> impl Strategy<Value = OfferState> {
        prop::sample::select(OfferState::ALL.to_vec())
    }

    fn any_reason() -> impl Strategy<Value = Option<DeclineReason>> {
        prop::option::of(prop::sample::select(DeclineReason::ALL.to_vec()))
    }

    proptest! {
        #[test]
        fn a_longer_history_never_counts_fewer_declines(
            history in prop::collection::vec((any_state(), any_reason()), 0..12),
            extra in (any_state(), any_reason()),
        ) {
            let rules = rules();
            let to_past = |(state, reason): (OfferState, Option<DeclineReason>)| PastAnswer { state, reason };
            let before: Vec<PastAnswer> = history.iter().copied().map(to_past).collect();
            let mut after = before.clone();
            after.push(to_past(extra));
            prop_assert!(DeclineStanding::of(&after, &rules).unreasonable >= DeclineStanding::of(&before, &rules).unreasonable);
        }

        #[test]
        fn every_move_ends_in_a_state_it_may_end_in(state in any_state(), reason in any_reason()) {
            let by = time::macros::date!(2026 - 12 - 10);
            let today = time::macros::date!(2026 - 12 - 09);
            let given = match reason { Some(r) => Answer::Decline(r), None => Answer::Accept };
            if let Ok(next) = answer(state, by, today, given) {
                prop_assert!(state == OfferState::Open && matches!(next, OfferState::Accepted | OfferState::Declined));
            }
            if let Ok(next) = reopen(state) {
                prop_assert!(next == OfferState::Open && !matches!(state, OfferState::Open | OfferState::Accepted));
            }
        }
    }
}
