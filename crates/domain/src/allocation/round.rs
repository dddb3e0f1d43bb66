//! An allocation round: the vacancies of one allocation meeting, the waiting list frozen for it,
//! the draw that settles ties, the saved proposal, and the overrides people make to it.
//!
//! ```text
//!   frozen ──draw──▶ drawn ──close──▶ closed
//!     │                │
//!     └──cancel──▶ cancelled ◀──cancel (while no offer is made)
//! ```
//!
//! *Frozen*: the round has taken its vacancies and the waiting list's entries, hashed them and
//! committed to a secret seed; the commitment and the input hash are shown before anything is
//! drawn. *Drawn*: the seed is revealed, the draw order and the proposal are saved; people may
//! override a line with a reason and make offers from it. The round's answer is reproducible
//! from what it publishes (`husly verify-draw` re-runs the draw).

use super::needs::{DwellingFacts, Mismatch, compatible};
use super::policy::PriorityPolicy;
use super::priority::WaitingHousehold;
use time::Date;

coded! {
    /// Where a round stands.
    RoundState {
        Frozen => "frozen",
        Drawn => "drawn",
        Closed => "closed",
        Cancelled => "cancelled",
    }
}

impl RoundState {
    pub fn key(self) -> String {
        format!("round.state.{}", self.code())
    }
}

/// The shortest reason an override or a cancellation takes: a few words, not a letter.
pub const MIN_REASON_CHARS: usize = 5;

/// Why a round cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundRefusal {
    #[error("the round is {0:?}")]
    WrongState(RoundState),
    #[error("a round needs at least one vacant dwelling")]
    NoVacancies,
    #[error("a reason of at least {MIN_REASON_CHARS} characters is needed")]
    ReasonMissing,
    #[error("offers are made from this round; it can no longer be cancelled")]
    OffersMade,
    #[error("the line has an open or accepted offer")]
    LineOffered,
    #[error("the household is not on this round's list")]
    NotInRound,
    #[error("the household is already proposed for another dwelling in this round")]
    AlreadyProposed,
    #[error("the dwelling does not fit the household")]
    DoesNotFit(Vec<Mismatch>),
    #[error("the priority policy in force the day the round started has changed since")]
    PolicyChanged,
}

impl RoundRefusal {
    pub fn key(&self) -> &'static str {
        match self {
            RoundRefusal::WrongState(_) => "round.refused.wrong_state",
            RoundRefusal::NoVacancies => "round.refused.no_vacancies",
            RoundRefusal::ReasonMissing => "round.refused.reason_missing",
            RoundRefusal::OffersMade => "round.refused.offers_made",
            RoundRefusal::LineOffered => "round.refused.line_offered",
            RoundRefusal::NotInRound => "round.refused.not_in_round",
            RoundRefusal::AlreadyProposed => "round.refused.already_proposed",
            RoundRefusal::DoesNotFit(_) => "round.refused.does_not_fit",
            RoundRefusal::PolicyChanged => "round.refused.policy_changed",
        }
    }
}

/// A reason, trimmed, long enough to say something.
pub fn check_reason(reason: &str) -> Result<String, RoundRefusal> {
    let reason = reason.trim();
    if reason.chars().count() < MIN_REASON_CHARS {
        return Err(RoundRefusal::ReasonMissing);
    }
    Ok(reason.to_string())
}

/// Drawing: only a frozen round.
pub fn draw(state: RoundState) -> Result<RoundState, RoundRefusal> {
    match state {
        RoundState::Frozen => Ok(RoundState::Drawn),
        other => Err(RoundRefusal::WrongState(other)),
    }
}

/// Closing: a drawn round, when the meeting is done with it.
pub fn close(state: RoundState) -> Result<RoundState, RoundRefusal> {
    match state {
        RoundState::Drawn => Ok(RoundState::Closed),
        other => Err(RoundRefusal::WrongState(other)),
    }
}

/// Cancelling: a round nobody has been offered anything from.
pub fn cancel(state: RoundState, offers_made: usize) -> Result<RoundState, RoundRefusal> {
    match state {
        RoundState::Frozen | RoundState::Drawn if offers_made == 0 => Ok(RoundState::Cancelled),
        RoundState::Frozen | RoundState::Drawn => Err(RoundRefusal::OffersMade),
        other => Err(RoundRefusal::WrongState(other)),
    }
}

/// What an override of one line asks for.
pub struct Override<'a> {
    pub state: RoundState,
    /// Whether the line already has an open or accepted offer.
    pub line_offered: bool,
    /// The household chosen instead, and whether it is on the round's frozen list; `None` leaves
    /// the dwelling without a proposal.
    pub household: Option<(&'a WaitingHousehold, bool)>,
    /// Whether the chosen household is already on another line of the round.
    pub proposed_elsewhere: bool,
    pub dwelling: &'a DwellingFacts,
    pub reason: &'a str,
}

/// Checks an override: the round is drawn, the line not yet offered, a reason is given, and the
/// household chosen instead is on the round's list, on no other line, and fits the dwelling —
/// a person may weigh things the policy does not, but not break its hard constraints.
pub fn check_override(policy: &PriorityPolicy, change: &Override<'_>, today: Date) -> Result<String, RoundRefusal> {
    if change.state != RoundState::Drawn {
        return Err(RoundRefusal::WrongState(change.state));
    }
    if change.line_offered {
        return Err(RoundRefusal::LineOffered);
    }
    let reason = check_reason(change.reason)?;
    if let Some((household, in_round)) = change.household {
        if !in_round {
            return Err(RoundRefusal::NotInRound);
        }
        if change.proposed_elsewhere {
            return Err(RoundRefusal::AlreadyProposed);
        }
        compatible(policy, household, change.dwelling, today).map_err(RoundRefusal::DoesNotFit)?;
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::dwelling::{DwellingStatus, DwellingType};
    use crate::allocation::fixtures::{TODAY, single};

    fn flat(bedrooms: i64) -> DwellingFacts {
        DwellingFacts {
            status: DwellingStatus::Vacant,
            dwelling_type: DwellingType::OrdinaryRental,
            bedrooms,
            floor: Some(0),
            lift: false,
            wheelchair_accessible: false,
            pets_allowed: true,
            district: None,
        }
    }

    #[test]
    fn a_round_moves_frozen_drawn_closed_and_is_cancelled_only_before_offers() {
        assert_eq!(draw(RoundState::Frozen), Ok(RoundState::Drawn));
        assert_eq!(
            draw(RoundState::Drawn),
            Err(RoundRefusal::WrongState(RoundState::Drawn))
        );
        assert_eq!(close(RoundState::Drawn), Ok(RoundState::Closed));
        assert_eq!(
            close(RoundState::Frozen),
            Err(RoundRefusal::WrongState(RoundState::Frozen))
        );
        assert_eq!(cancel(RoundState::Frozen, 0), Ok(RoundState::Cancelled));
        assert_eq!(cancel(RoundState::Drawn, 0), Ok(RoundState::Cancelled));
        assert_eq!(cancel(RoundState::Drawn, 1), Err(RoundRefusal::OffersMade));
        assert_eq!(
            cancel(RoundState::Closed, 0),
            Err(RoundRefusal::WrongState(RoundState::Closed))
        );
    }

    #[test]
    fn an_override_needs_a_reason_and_a_household_that_fits() {
        let policy = PriorityPolicy::embedded();
        let today = TODAY;
        let single = single("a");
        let studio = flat(1);
        let base = |household, reason| Override {
            state: RoundState::Drawn,
            line_offered: false,
            household,
            proposed_elsewhere: false,
            dwelling: &studio,
            reason,
        };
        assert_eq!(
            check_override(
                policy,
                &base(Some((&single, true)), "Kjent fra møtet: trenger å bo nær skolen"),
                today
            ),
            Ok("Kjent fra møtet: trenger å bo nær skolen".to_string())
        );
        assert_eq!(
            check_override(policy, &base(Some((&single, true)), "  ok "), today),
            Err(RoundRefusal::ReasonMissing)
        );
        assert_eq!(
            check_override(policy, &base(Some((&single, false)), "Ikke på listen"), today),
            Err(RoundRefusal::NotInRound)
        );
        let mut elsewhere = base(Some((&single, true)), "Allerede foreslått");
        elsewhere.proposed_elsewhere = true;
        assert_eq!(
            check_override(policy, &elsewhere, today),
            Err(RoundRefusal::AlreadyProposed)
        );
        let mut offered = base(None, "Boligen står tom");
        offered.line_offered = true;
        assert_eq!(check_override(policy, &offered, today), Err(RoundRefusal::LineOffered));
        let big = flat(4);
        let mut misfit = base(Some((&single, true)), "For stor bolig");
        misfit.dwelling = &big;
        assert!(matches!(
            check_override(policy, &misfit, today),
            Err(RoundRefusal::DoesNotFit(_))
        ));
    }
}
