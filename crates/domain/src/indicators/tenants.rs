//! Figures of today over the municipality's running rental contracts: how many there are, how
//! many run out soon with no renewal decision, how many tenants owe rent over the arrears
//! threshold, and how many households have a follow-up plan. What a year's figure would mean for
//! these is what the daily snapshot saw, so they have a value for the current year only.

use serde::Deserialize;
use time::Date;

use crate::cases::deadlines::add_months;

/// The farthest ahead a definition's `within_months` may look.
pub const MAX_WITHIN_MONTHS: u32 = 12;

/// The last term end whose renewal decision a figure of `today` may ask about.
pub fn decided_horizon(today: Date) -> Date {
    add_months(today, MAX_WITHIN_MONTHS)
}

/// A running municipal rental contract as it stands today (no names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantFact {
    /// The last day of a fixed term; `None` for an indefinite contract.
    pub term_end: Option<Date>,
    /// The present period's renewal review has a decision (renew, not renew, move on); known
    /// for a term ending within [`MAX_WITHIN_MONTHS`] of today, false beyond (no figure looks
    /// further ahead).
    pub renewal_decided: bool,
    /// The rent ledger shows arrears that reach the municipality's threshold
    /// (`rules/rent_arrears.toml`).
    pub arrears_over_threshold: bool,
    /// The household has an active follow-up plan.
    pub follow_up_plan: bool,
}

/// A figure of today over the running contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantFigure {
    Running,
    /// A fixed term that ends within the definition's `within_months` (or has run out while the
    /// contract is still open) and whose present period has no renewal decision.
    ExpiringWithoutRenewalDecision,
    InArrears,
    WithFollowUpPlan,
}

impl TenantFigure {
    /// Whether `fact` counts on `today`; `within_months` is the expiry horizon.
    pub fn counts(self, fact: &TenantFact, today: Date, within_months: u32) -> bool {
        match self {
            TenantFigure::Running => true,
            TenantFigure::ExpiringWithoutRenewalDecision => {
                !fact.renewal_decided && fact.term_end.is_some_and(|end| end <= add_months(today, within_months))
            }
            TenantFigure::InArrears => fact.arrears_over_threshold,
            TenantFigure::WithFollowUpPlan => fact.follow_up_plan,
        }
    }

    /// Whether the figure needs an expiry horizon.
    pub fn needs_horizon(self) -> bool {
        self == TenantFigure::ExpiringWithoutRenewalDecision
    }
}

/// How many of `tenants` count for `figure` on `today`.
pub fn count(figure: TenantFigure, tenants: &[TenantFact], today: Date, within_months: u32) -> i64 {
    tenants
        .iter()
        .filter(|t| figure.counts(t, today, within_months))
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn tenant(term_end: Option<Date>, renewal_decided: bool) -> TenantFact {
        TenantFact {
            term_end,
            renewal_decided,
            arrears_over_threshold: false,
            follow_up_plan: false,
        }
    }

    #[test]
    fn a_contract_expires_without_decision_inside_the_horizon_or_once_run_out() {
        let expiring = |t: TenantFact| TenantFigure::ExpiringWithoutRenewalDecision.counts(&t, TODAY, 3);
        // Three months from 4 December is 4 March: that day is inside, the next is not.
        assert!(expiring(tenant(Some(date!(2027 - 03 - 04)), false)));
        assert!(!expiring(tenant(Some(date!(2027 - 03 - 05)), false)));
        // Run out but still open: the most urgent of all.
        assert!(expiring(tenant(Some(date!(2026 - 11 - 30)), false)));
        // Decided, or indefinite: not counted.
        assert!(!expiring(tenant(Some(date!(2027 - 01 - 31)), true)));
        assert!(!expiring(tenant(None, false)));
    }

    #[test]
    fn the_horizon_from_the_last_day_of_a_month_stays_in_the_month() {
        // 30 November + 3 months = 28 February (2027 is no leap year), 29 February in 2028.
        let on = date!(2026 - 11 - 30);
        let t = tenant(Some(date!(2027 - 02 - 28)), false);
        assert!(TenantFigure::ExpiringWithoutRenewalDecision.counts(&t, on, 3));
        let leap = tenant(Some(date!(2028 - 02 - 29)), false);
        assert!(TenantFigure::ExpiringWithoutRenewalDecision.counts(&leap, date!(2027 - 11 - 30), 3));
        assert!(!TenantFigure::ExpiringWithoutRenewalDecision.counts(&leap, date!(2027 - 11 - 28), 3));
    }

    #[test]
    fn arrears_and_plans_count_as_recorded() {
        let mut owing = tenant(None, false);
        owing.arrears_over_threshold = true;
        let mut followed = tenant(None, false);
        followed.follow_up_plan = true;
        let all = [owing, followed, tenant(None, false)];
        assert_eq!(count(TenantFigure::Running, &all, TODAY, 0), 3);
        assert_eq!(count(TenantFigure::InArrears, &all, TODAY, 0), 1);
        assert_eq!(count(TenantFigure::WithFollowUpPlan, &all, TODAY, 0), 1);
    }
}
