//! Rent arrears (*husleierestanse*) from a tenancy's ledger months, and when they raise a signal
//! for follow-up.
//!
//! **Arrears.** The balance is what fell due less what was paid, over every month on the ledger:
//! an overpayment in one month carries to the others. Payments settle the oldest rent first (as
//! an accounting system settles open items), so the months still unpaid are the latest ones whose
//! rent the payments did not reach; the oldest of them says how long the household has been
//! behind. A balance of zero or less is no arrears at all.
//!
//! **Signal.** Arrears are a signal to follow the household up (contact NAV early, Husbanken's
//! Veiviseren says) when they reach the municipality's threshold: a number of months' rent, an
//! amount, or a number of months with rent unpaid, whichever comes first. The thresholds are data
//! (`rules/rent_arrears.toml`), versioned and cited, with a default and per-municipality
//! periods, like the eligibility rules.

use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rules::municipal::MunicipalRules;
use crate::rules::{Percent, Period, YearMonth};

const EMBEDDED: &str = include_str!("../../../../rules/rent_arrears.toml");

/// One month of a tenancy's ledger (øre).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerMonth {
    pub period: YearMonth,
    pub due_ore: i64,
    pub paid_ore: i64,
}

/// A tenancy's arrears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Arrears {
    /// Due less paid over every month (negative: paid in advance).
    pub balance_ore: i64,
    /// The balance when positive, else 0.
    pub arrears_ore: i64,
    /// Months with rent still unpaid once the payments have settled the oldest rent first.
    pub unpaid_months: u32,
    /// The oldest of them.
    pub oldest_unpaid: Option<YearMonth>,
}

/// The arrears of a tenancy from its ledger months, in any order (a month given twice counts
/// twice; the store keeps one row per month).
pub fn arrears(months: &[LedgerMonth]) -> Arrears {
    let due: i64 = months.iter().map(|m| m.due_ore).sum();
    let paid: i64 = months.iter().map(|m| m.paid_ore).sum();
    let balance_ore = due - paid;
    if balance_ore <= 0 {
        return Arrears {
            balance_ore,
            ..Arrears::default()
        };
    }
    let mut ordered: Vec<&LedgerMonth> = months.iter().collect();
    ordered.sort_by_key(|m| m.period);
    // Paid money settles rent from the oldest month on; a month is unpaid when the rent due up
    // to and including it is more than everything paid.
    let mut due_so_far = 0i64;
    let mut unpaid_months = 0u32;
    let mut oldest_unpaid = None;
    for month in ordered {
        due_so_far += month.due_ore;
        if month.due_ore > 0 && due_so_far > paid {
            unpaid_months += 1;
            oldest_unpaid = oldest_unpaid.or(Some(month.period));
        }
    }
    Arrears {
        balance_ore,
        arrears_ore: balance_ore,
        unpaid_months,
        oldest_unpaid,
    }
}

/// A number of months' rent with up to two decimals ("1", "1.5"), held exactly in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RentMonths(i64);

impl RentMonths {
    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// That many months of a monthly rent, in øre (rounded down).
    pub fn of(self, monthly_rent_ore: i64) -> i64 {
        monthly_rent_ore * self.0 / 100
    }

    /// As written in the rule file: `1`, `1.5`.
    pub fn text(self) -> String {
        Percent::from_basis_points(self.0)
            .to_string()
            .trim_end_matches(" %")
            .to_string()
    }
}

impl Serialize for RentMonths {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.text())
    }
}

impl<'de> Deserialize<'de> for RentMonths {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Percent::parse(&text)
            .filter(|p| !text.contains('%') && p.basis_points() > 0)
            .map(|p| RentMonths(p.basis_points()))
            .ok_or_else(|| {
                serde::de::Error::custom(format!("`{text}` is not a number of months like \"1\" or \"1.5\""))
            })
    }
}

/// When arrears raise a signal: any one of the thresholds given is enough.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ArrearsThreshold {
    /// Arrears of at least this many months of the contract's current rent.
    #[serde(default)]
    pub months_of_rent: Option<RentMonths>,
    /// Arrears of at least this many kroner.
    #[serde(default)]
    pub amount_kr: Option<i64>,
    /// At least this many months with rent unpaid.
    #[serde(default)]
    pub months_behind: Option<u32>,
}

/// The rule file `rules/rent_arrears.toml`.
pub type ArrearsRules = MunicipalRules<ArrearsThreshold>;

/// The embedded rule file, checked when first read.
pub fn embedded_rules() -> &'static ArrearsRules {
    static RULES: OnceLock<ArrearsRules> = OnceLock::new();
    RULES.get_or_init(|| rules_from_toml(EMBEDDED).expect("the embedded rules/rent_arrears.toml is valid"))
}

/// Reads a rent-arrears rule file: every period gives at least one threshold, each at least 1.
pub fn rules_from_toml(text: &str) -> Result<ArrearsRules, String> {
    MunicipalRules::from_toml_str(text, |period: &Period<ArrearsThreshold>| {
        let t = &period.values;
        if t.months_of_rent.is_none() && t.amount_kr.is_none() && t.months_behind.is_none() {
            return Err("give at least one of months_of_rent, amount_kr, months_behind".into());
        }
        if t.amount_kr.is_some_and(|kr| kr <= 0) || t.months_behind == Some(0) {
            return Err("amount_kr and months_behind are at least 1".into());
        }
        Ok(())
    })
}

/// Why arrears raise a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalReason {
    /// The arrears are at least this many months' rent (`threshold_ore` with the current rent).
    RentMonths { months: RentMonths, threshold_ore: i64 },
    /// The arrears are at least this amount.
    Amount { threshold_ore: i64 },
    /// Rent is unpaid in at least this many months.
    MonthsBehind { months: u32 },
}

impl SignalReason {
    /// A stable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            SignalReason::RentMonths { .. } => "months_of_rent",
            SignalReason::Amount { .. } => "amount",
            SignalReason::MonthsBehind { .. } => "months_behind",
        }
    }
}

/// Which thresholds the arrears reach, for a contract with this monthly rent; empty: no signal.
pub fn signal(arrears: &Arrears, monthly_rent_ore: i64, threshold: &ArrearsThreshold) -> Vec<SignalReason> {
    if arrears.arrears_ore <= 0 {
        return Vec::new();
    }
    let mut reasons = Vec::new();
    if let Some(months) = threshold.months_of_rent {
        let threshold_ore = months.of(monthly_rent_ore);
        if threshold_ore > 0 && arrears.arrears_ore >= threshold_ore {
            reasons.push(SignalReason::RentMonths { months, threshold_ore });
        }
    }
    if let Some(kr) = threshold.amount_kr
        && arrears.arrears_ore >= kr * 100
    {
        reasons.push(SignalReason::Amount {
            threshold_ore: kr * 100,
        });
    }
    if let Some(months) = threshold.months_behind
        && arrears.unpaid_months >= months
    {
        reasons.push(SignalReason::MonthsBehind { months });
    }
    reasons
}

#[cfg(test)]
mod tests;
