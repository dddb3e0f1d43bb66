//! Cases: applications for municipal housing and for § 6 assistance, their workflow and deadlines.

pub mod application;
pub mod case;
pub mod deadlines;
pub mod lifecycle;
pub mod renewal;
pub mod requests;
pub mod section6;
pub mod workflow;

pub use application::{ApplicationForm, Consent, CurrentHousing, MemberEconomy, Reason};
pub use case::{Case, Decision, DecisionStatus, LatestDecision};
pub use lifecycle::{CaseChange, DecisionChange, LedgerEffect, Refusal, TenancyEffect};
pub use workflow::{
    AppealBodyOutcome, CaseAction, CaseState, CaseType, FourEyesError, Outcome, TransitionError, check_four_eyes,
    transition,
};
