//! The case workflow as an explicit transition table: (state, action) → state.
//!
//! Handlers never set a state; they ask [`transition`] and store what it returns, with an event
//! saying who, when and why. Anything not in the table is refused with an error that names the
//! state and the action.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The kinds of case, each with its own legal basis, decision, letter and appeal route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    /// Søknad om kommunal bolig: local allocation rules; appeal to the municipal appeal body.
    MunicipalHousing,
    /// Individuelt tilpasset bistand, boligsosialloven § 6; appeal to Statsforvalteren.
    Section6Assistance,
    /// Startlån from Husbanken, lent by the municipality; appeal to the municipal appeal body.
    Startlan,
    /// Tilskudd til etablering i egen bolig; appeal to the municipal appeal body.
    EstablishmentGrant,
    /// Tilskudd til tilpasning av bolig; appeal to the municipal appeal body.
    AdaptationGrant,
    /// Whether a fixed-term tenancy contract is renewed: opened by the office before the term
    /// ends (`super::renewal`); allocation rules; appeal to the municipal appeal body.
    TenancyRenewal,
}

impl CaseType {
    pub const ALL: [CaseType; 6] = [
        CaseType::MunicipalHousing,
        CaseType::Section6Assistance,
        CaseType::Startlan,
        CaseType::EstablishmentGrant,
        CaseType::AdaptationGrant,
        CaseType::TenancyRenewal,
    ];

    /// What a household applies for, or a caseworker registers: all but the renewal review,
    /// which the office opens itself for a contract.
    pub const APPLIED_FOR: [CaseType; 5] = [
        CaseType::MunicipalHousing,
        CaseType::Section6Assistance,
        CaseType::Startlan,
        CaseType::EstablishmentGrant,
        CaseType::AdaptationGrant,
    ];

    /// An application code, as [`Self::from_code`] but only for [`Self::APPLIED_FOR`].
    pub fn applied_for(code: &str) -> Option<CaseType> {
        Self::APPLIED_FOR.into_iter().find(|t| t.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            CaseType::MunicipalHousing => "municipal_housing",
            CaseType::Section6Assistance => "section6_assistance",
            CaseType::Startlan => "startlan",
            CaseType::EstablishmentGrant => "establishment_grant",
            CaseType::AdaptationGrant => "adaptation_grant",
            CaseType::TenancyRenewal => "tenancy_renewal",
        }
    }

    /// Husbanken's instruments, handled with an economy (loan or grant amounts) beside the form.
    pub fn is_finance(self) -> bool {
        matches!(
            self,
            CaseType::Startlan | CaseType::EstablishmentGrant | CaseType::AdaptationGrant
        )
    }

    /// The grant this case draws on the municipality's yearly grant budget, if any.
    pub fn grant(self) -> Option<crate::finance::GrantType> {
        match self {
            CaseType::EstablishmentGrant => Some(crate::finance::GrantType::Establishment),
            CaseType::AdaptationGrant => Some(crate::finance::GrantType::Adaptation),
            _ => None,
        }
    }

    /// The state a granted decision puts the case in once sent: an approved housing application
    /// puts the household on the waiting list; everything else is simply granted.
    pub fn granted_state(self) -> CaseState {
        match self {
            CaseType::MunicipalHousing => CaseState::OnWaitingList,
            _ => CaseState::Granted,
        }
    }

    pub fn from_code(code: &str) -> Option<CaseType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Received,
    UnderAssessment,
    WaitingForInformation,
    DecisionProposed,
    Approved,
    /// Granted and sent: a municipal-housing applicant is on the waiting list.
    OnWaitingList,
    /// Granted and sent: § 6 assistance is given.
    Granted,
    /// Refused and sent.
    Refused,
    AppealReceived,
    /// The appeal was upheld by the municipality and sent to the appeal body with the documents.
    ForwardedToAppealBody,
    /// An approval on the waiting list ran out without renewal.
    Expired,
    Withdrawn,
    /// Finished: the appeal body decided, or the household got a dwelling.
    Closed,
}

impl CaseState {
    pub const ALL: [CaseState; 13] = [
        CaseState::Received,
        CaseState::UnderAssessment,
        CaseState::WaitingForInformation,
        CaseState::DecisionProposed,
        CaseState::Approved,
        CaseState::OnWaitingList,
        CaseState::Granted,
        CaseState::Refused,
        CaseState::AppealReceived,
        CaseState::ForwardedToAppealBody,
        CaseState::Expired,
        CaseState::Withdrawn,
        CaseState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseState::Received => "received",
            CaseState::UnderAssessment => "under_assessment",
            CaseState::WaitingForInformation => "waiting_for_information",
            CaseState::DecisionProposed => "decision_proposed",
            CaseState::Approved => "approved",
            CaseState::OnWaitingList => "on_waiting_list",
            CaseState::Granted => "granted",
            CaseState::Refused => "refused",
            CaseState::AppealReceived => "appeal_received",
            CaseState::ForwardedToAppealBody => "forwarded_to_appeal_body",
            CaseState::Expired => "expired",
            CaseState::Withdrawn => "withdrawn",
            CaseState::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseState> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still waiting for the first decision: the one-month interim-answer rule applies.
    pub fn awaits_decision(self) -> bool {
        matches!(
            self,
            CaseState::Received
                | CaseState::UnderAssessment
                | CaseState::WaitingForInformation
                | CaseState::DecisionProposed
        )
    }

    /// A decision has been sent and may be appealed.
    pub fn appealable(self) -> bool {
        matches!(self, CaseState::OnWaitingList | CaseState::Granted | CaseState::Refused)
    }

    pub fn is_final(self) -> bool {
        matches!(self, CaseState::Expired | CaseState::Withdrawn | CaseState::Closed)
    }
}

/// The decision's outcome, fixed when it is proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Granted,
    Refused,
    /// Granted in part: some of what was applied for (guidance but not a dwelling, a smaller
    /// grant than asked); the reasons say what is refused and why. A grant for the lifecycle.
    PartlyGranted,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Granted, Outcome::PartlyGranted, Outcome::Refused];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::Refused => "refused",
            Outcome::PartlyGranted => "partly_granted",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether the party is granted something: in whole or in part.
    pub fn grants(self) -> bool {
        matches!(self, Outcome::Granted | Outcome::PartlyGranted)
    }
}

/// What the appeal body decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealBodyOutcome {
    /// The municipality's decision stands.
    Upheld,
    /// The appeal body changed the decision in the applicant's favour.
    Reversed,
    /// Sent back to the municipality to be decided again.
    ReturnedForNewAssessment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    StartAssessment,
    RequestInformation,
    InformationReceived,
    ProposeDecision(Outcome),
    SendBack,
    Approve,
    /// The approved decision's letter is sent; the outcome decides the state.
    SendDecision(Outcome),
    RegisterAppeal,
    /// The municipality finds for the applicant: a new decision is proposed.
    ReverseOnAppeal,
    UpholdAndForward,
    RecordAppealBodyOutcome(AppealBodyOutcome),
    Expire,
    /// An approval expired by mistake or too early is restored, with the reason.
    Reinstate,
    Renew,
    Withdraw,
    Close,
}

impl CaseAction {
    /// Every action, with each outcome it can carry.
    pub fn all() -> Vec<CaseAction> {
        let mut actions = vec![
            CaseAction::StartAssessment,
            CaseAction::RequestInformation,
            CaseAction::InformationReceived,
            CaseAction::SendBack,
            CaseAction::Approve,
            CaseAction::RegisterAppeal,
            CaseAction::ReverseOnAppeal,
            CaseAction::UpholdAndForward,
            CaseAction::Expire,
            CaseAction::Reinstate,
            CaseAction::Renew,
            CaseAction::Withdraw,
            CaseAction::Close,
        ];
        for o in Outcome::ALL {
            actions.push(CaseAction::ProposeDecision(o));
            actions.push(CaseAction::SendDecision(o));
        }
        for o in [
            AppealBodyOutcome::Upheld,
            AppealBodyOutcome::Reversed,
            AppealBodyOutcome::ReturnedForNewAssessment,
        ] {
            actions.push(CaseAction::RecordAppealBodyOutcome(o));
        }
        actions
    }

    pub fn code(self) -> &'static str {
        match self {
            CaseAction::StartAssessment => "start_assessment",
            CaseAction::RequestInformation => "request_information",
            CaseAction::InformationReceived => "information_received",
            CaseAction::ProposeDecision(_) => "propose_decision",
            CaseAction::SendBack => "send_back",
            CaseAction::Approve => "approve",
            CaseAction::SendDecision(_) => "send_decision",
            CaseAction::RegisterAppeal => "register_appeal",
            CaseAction::ReverseOnAppeal => "reverse_on_appeal",
            CaseAction::UpholdAndForward => "uphold_and_forward",
            CaseAction::RecordAppealBodyOutcome(_) => "record_appeal_body_outcome",
            CaseAction::Expire => "expire",
            CaseAction::Reinstate => "reinstate",
            CaseAction::Renew => "renew",
            CaseAction::Withdraw => "withdraw",
            CaseAction::Close => "close",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("«{action}» is not possible when the case is «{state}»")]
pub struct TransitionError {
    pub state: &'static str,
    pub action: &'static str,
}

/// The transition table. The case type matters in one place: a granted housing application puts
/// the household `OnWaitingList`; every other granted case is `Granted`.
pub fn transition(case_type: CaseType, state: CaseState, action: CaseAction) -> Result<CaseState, TransitionError> {
    use CaseAction as A;
    use CaseState as S;
    let next = match (state, action) {
        (S::Received, A::StartAssessment) => S::UnderAssessment,
        (S::UnderAssessment, A::RequestInformation) => S::WaitingForInformation,
        (S::WaitingForInformation, A::InformationReceived) => S::UnderAssessment,
        (S::UnderAssessment, A::ProposeDecision(_)) => S::DecisionProposed,
        (S::DecisionProposed, A::SendBack) => S::UnderAssessment,
        (S::DecisionProposed, A::Approve) => S::Approved,
        (S::Approved, A::SendDecision(Outcome::Granted | Outcome::PartlyGranted)) => case_type.granted_state(),
        (S::Approved, A::SendDecision(Outcome::Refused)) => S::Refused,
        (S::OnWaitingList | S::Granted | S::Refused, A::RegisterAppeal) => S::AppealReceived,
        (S::AppealReceived, A::ReverseOnAppeal) => S::DecisionProposed,
        (S::AppealReceived, A::UpholdAndForward) => S::ForwardedToAppealBody,
        (S::ForwardedToAppealBody, A::RecordAppealBodyOutcome(AppealBodyOutcome::ReturnedForNewAssessment)) => {
            S::UnderAssessment
        }
        (S::ForwardedToAppealBody, A::RecordAppealBodyOutcome(_)) => S::Closed,
        (S::OnWaitingList, A::Expire) => S::Expired,
        (S::Expired, A::Reinstate) => S::OnWaitingList,
        (S::OnWaitingList, A::Renew) => S::OnWaitingList,
        // Boligsosialloven § 6 help, once granted, is ended or reduced only by a new decision
        // (with its letter and appeal right), never by closing the case.
        (S::Granted, A::ProposeDecision(_)) if case_type == CaseType::Section6Assistance => S::DecisionProposed,
        (S::Granted, A::Close) if case_type == CaseType::Section6Assistance => {
            return Err(TransitionError {
                state: state.code(),
                action: action.code(),
            });
        }
        (S::OnWaitingList | S::Granted, A::Close) => S::Closed,
        (s, A::Withdraw) if !s.is_final() && s != S::ForwardedToAppealBody => S::Withdrawn,
        _ => {
            return Err(TransitionError {
                state: state.code(),
                action: action.code(),
            });
        }
    };
    Ok(next)
}

/// Why a user may not approve a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FourEyesError {
    #[error("the person who proposed a decision cannot approve it")]
    SameAsProposer,
}

/// Two people decide: whoever proposed may not approve.
pub fn check_four_eyes(proposer: crate::UserId, approver: crate::UserId) -> Result<(), FourEyesError> {
    if proposer == approver {
        Err(FourEyesError::SameAsProposer)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseAction as A;
    use CaseState as S;

    fn all_actions() -> Vec<CaseAction> {
        CaseAction::all()
    }

    /// The whole table, written out once more by hand: every (state, action) pair of both case
    /// types is either here with its result or refused.
    #[test]
    fn the_transition_table_exhaustively() {
        let allowed: &[(S, A, S)] = &[
            (S::Received, A::StartAssessment, S::UnderAssessment),
            (S::UnderAssessment, A::RequestInformation, S::WaitingForInformation),
            (S::WaitingForInformation, A::InformationReceived, S::UnderAssessment),
            (
                S::UnderAssessment,
                A::ProposeDecision(Outcome::Granted),
                S::DecisionProposed,
            ),
            (
                S::UnderAssessment,
                A::ProposeDecision(Outcome::Refused),
                S::DecisionProposed,
            ),
            (
                S::UnderAssessment,
                A::ProposeDecision(Outcome::PartlyGranted),
                S::DecisionProposed,
            ),
            (S::DecisionProposed, A::SendBack, S::UnderAssessment),
            (S::DecisionProposed, A::Approve, S::Approved),
            (S::Approved, A::SendDecision(Outcome::Refused), S::Refused),
            (S::OnWaitingList, A::RegisterAppeal, S::AppealReceived),
            (S::Granted, A::RegisterAppeal, S::AppealReceived),
            (S::Refused, A::RegisterAppeal, S::AppealReceived),
            (S::AppealReceived, A::ReverseOnAppeal, S::DecisionProposed),
            (S::AppealReceived, A::UpholdAndForward, S::ForwardedToAppealBody),
            (
                S::ForwardedToAppealBody,
                A::RecordAppealBodyOutcome(AppealBodyOutcome::Upheld),
                S::Closed,
            ),
            (
                S::ForwardedToAppealBody,
                A::RecordAppealBodyOutcome(AppealBodyOutcome::Reversed),
                S::Closed,
            ),
            (
                S::ForwardedToAppealBody,
                A::RecordAppealBodyOutcome(AppealBodyOutcome::ReturnedForNewAssessment),
                S::UnderAssessment,
            ),
            (S::OnWaitingList, A::Expire, S::Expired),
            (S::Expired, A::Reinstate, S::OnWaitingList),
            (S::OnWaitingList, A::Renew, S::OnWaitingList),
            (S::OnWaitingList, A::Close, S::Closed),
            (S::Granted, A::Close, S::Closed),
        ];
        for case_type in CaseType::ALL {
            for state in CaseState::ALL {
                for action in all_actions() {
                    let got = transition(case_type, state, action);
                    let grant = matches!(action, A::SendDecision(o) if o.grants());
                    let expected = if grant && state == S::Approved {
                        Some(match case_type {
                            CaseType::MunicipalHousing => S::OnWaitingList,
                            CaseType::Section6Assistance
                            | CaseType::Startlan
                            | CaseType::EstablishmentGrant
                            | CaseType::AdaptationGrant
                            | CaseType::TenancyRenewal => S::Granted,
                        })
                    } else if action == A::Withdraw {
                        (!state.is_final() && state != S::ForwardedToAppealBody).then_some(S::Withdrawn)
                    } else if case_type == CaseType::Section6Assistance && state == S::Granted {
                        // § 6 help is ended or changed by a new decision, never closed.
                        match action {
                            A::ProposeDecision(_) => Some(S::DecisionProposed),
                            A::Close => None,
                            _ => allowed
                                .iter()
                                .find(|(s, a, _)| *s == state && *a == action)
                                .map(|(_, _, n)| *n),
                        }
                    } else {
                        allowed
                            .iter()
                            .find(|(s, a, _)| *s == state && *a == action)
                            .map(|(_, _, n)| *n)
                    };
                    match (got, expected) {
                        (Ok(next), Some(want)) => assert_eq!(next, want, "{case_type:?} {state:?} {action:?}"),
                        (Err(e), None) => {
                            assert_eq!(e.state, state.code());
                            assert_eq!(e.action, action.code());
                        }
                        (got, want) => panic!("{case_type:?} {state:?} {action:?}: got {got:?}, expected {want:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn final_states_accept_nothing_but_a_reinstated_approval() {
        for state in CaseState::ALL.into_iter().filter(|s| s.is_final()) {
            for action in all_actions() {
                if (state, action) == (S::Expired, A::Reinstate) {
                    continue;
                }
                assert!(
                    transition(CaseType::MunicipalHousing, state, action).is_err(),
                    "{state:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn every_state_is_reachable_from_received() {
        let mut reached = std::collections::BTreeSet::from([S::Received]);
        loop {
            let before = reached.len();
            for state in reached.clone() {
                for case_type in CaseType::ALL {
                    for action in all_actions() {
                        if let Ok(next) = transition(case_type, state, action) {
                            reached.insert(next);
                        }
                    }
                }
            }
            if reached.len() == before {
                break;
            }
        }
        assert_eq!(reached.len(), CaseState::ALL.len());
    }

    #[test]
    fn codes_round_trip() {
        for state in CaseState::ALL {
            assert_eq!(CaseState::from_code(state.code()), Some(state));
        }
        for t in CaseType::ALL {
            assert_eq!(CaseType::from_code(t.code()), Some(t));
        }
    }

    #[test]
    fn the_proposer_cannot_approve() {
        let a = crate::UserId::new();
        let b = crate::UserId::new();
        assert_eq!(check_four_eyes(a, a), Err(FourEyesError::SameAsProposer));
        assert_eq!(check_four_eyes(a, b), Ok(()));
    }
}
