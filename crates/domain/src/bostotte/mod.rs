//! Statlig bostøtte (state housing allowance): an estimator for caseworkers and outreach.
//!
//! Husbanken decides bostøtte; Husly estimates it so that a housing office can see which of its
//! households likely qualify and help them apply. The formula (forskrift om bustøtte §§ 1–7) is
//!
//! ```text
//! monthly = 73.7 % × (min(housing costs, cap) − own share(weighted income)) ÷ 12
//! ```
//!
//! with every amount taken from the versioned tables in `rules/bostotte.toml`. The result explains
//! each step and lists the rule values used that are not verified against a primary source.

pub mod contact;
mod estimate;
mod input;
mod month_rules;
mod outreach;
mod request;
mod rules;

#[cfg(test)]
mod tests;

pub use estimate::{CapLine, Estimate, Exclusion, HousingLine, MemberLine, Outcome, OwnShareLine, age_at, estimate};
pub use input::{CostItems, EstimateInput, Housing, HousingCosts, Income, IncomeBasis, IncomeKind, Member, Tenure};
pub use month_rules::{MonthRules, QuickHousehold, QuickMember};
pub use outreach::{
    Candidate, MemberFacts, OLD_AGE_PENSION_AGE, Outreach, OutreachList, TenancyFacts, check_outreach_month,
};
pub use request::{EstimateRequest, HousingRequest, IncomeRequest, MAX_AMOUNT_KR, MemberRequest};
pub use rules::{BostotteRules, Regime};
