//! Cases: applications for municipal housing and for § 6 assistance, their workflow and deadlines.

pub mod application;
pub mod deadlines;
pub mod workflow;

pub use application::{ApplicationForm, Consent, CurrentHousing, MemberEconomy, Reason};
pub use workflow::{
    AppealBodyOutcome, CaseAction, CaseState, CaseType, FourEyesError, Outcome, TransitionError, check_four_eyes,
    transition,
};
