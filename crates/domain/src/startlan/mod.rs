//! Startlån (Husbanken's start loan, lent on by the municipality): can a household service it?
//!
//! A pure calculator for the affordability test (*betjeningsevne*) in Husbanken's veileder: income
//! after tax minus living costs (at least the state guideline rates for økonomisk sosialhjelp),
//! fixed costs, expected maintenance and the payments on every loan at a stress-tested rate
//! (Norges Bank's policy rate plus a margin). The rule values come from `rules/startlan.toml` and
//! `rules/living_costs.toml`, versioned by month and cited; every value a calculation used is
//! returned with it, flagged when it is not verified.
//!
//! Units: amounts typed by people (the input) are whole kroner in fields ending in `_kr`; amounts
//! the calculator produces are øre in fields ending in `_ore`, so that a monthly payment of
//! 5 995.51 kr is exactly `599551`. Internally everything is øre in `i64`.
//!
//! - [`rules`]: the rule tables and loading them.
//! - [`schedule`]: the payment schedule of one loan (annuity or serial).
//! - [`living_costs`]: the living-cost floor from the household's composition.
//! - [`reference_budget`]: SIFO's reference budget as entered by the municipality.
//! - [`input`]: what a caseworker types, and its validation.
//! - [`extended_term`]: the § 8-5 conditions for a term over 30 years.
//! - [`affordability`]: the assessment itself.

pub mod affordability;
pub mod extended_term;
pub mod input;
pub mod living_costs;
pub mod reference_budget;
pub mod rules;
pub mod schedule;

pub use affordability::{
    AffordabilityResult, GrantNeed, Line, LineCode, LivingCosts, LoanPayment, assess, assess_with_reference,
    living_cost_used,
};
pub use extended_term::{Condition, ConditionResult, ConditionStatus, ExtendedTermConditions};
pub use input::{AffordabilityInput, BankLoan, Financing, FixedCost, FixedCostKind, Loans, StartlanLoan, validate};
pub use living_costs::{
    FloorCategory, FloorLine, HouseholdComposition, LivingCostFloor, LivingCostSource, MemberDetail,
};
pub use reference_budget::{
    Assumption, MemberCost, ReferenceBudget, ReferenceBudgetAmounts, ReferenceBudgetCost, ReferenceBudgetLayout, Sex,
};
pub use rules::{MonthRules, PolicyRate, RulesLoadError, SocialAssistanceRates, StartlanRules, StressTest, Terms};
pub use schedule::{
    LoanKind, LoanTerms, Schedule, ScheduleError, ScheduleRow, ScheduleSummary, first_full_payment, summarize,
};

/// Øre in one krone.
pub const ORE_PER_KR: i64 = 100;

/// Whole kroner to øre. Callers keep amounts within [`input::MAX_AMOUNT_KR`], far from overflow.
pub(crate) fn kr_to_ore(kr: i64) -> i64 {
    kr * ORE_PER_KR
}
