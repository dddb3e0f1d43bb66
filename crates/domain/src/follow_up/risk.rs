//! Risk signals on the follow-up caseload: what tells the follow-up worker which household to see
//! first. Each signal is a fact the unit already holds (the rent ledger's arrears, complaints and
//! missed appointments logged, the contract's term, the plan's review day, the last contact);
//! how far back each looks and what each weighs are the municipality's settings
//! (`rules/follow_up.toml`, versioned and cited). A household's risk is the sum of its signals'
//! weights; the caseload shows the signals themselves, in words, beside it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::rules::Period;
use crate::rules::municipal::MunicipalRules;
use crate::stays::add_months;

const EMBEDDED: &str = include_str!("../../../../rules/follow_up.toml");

/// How much each signal weighs when the caseload is ordered (0 to 10 each).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub arrears: u8,
    pub neighbour_complaints: u8,
    pub missed_appointments: u8,
    pub contract_ending: u8,
    pub no_recent_contact: u8,
    pub review_overdue: u8,
    pub no_plan: u8,
}

/// A municipality's settings for the signals.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RiskSettings {
    /// A household with a plan and no contact held for this many weeks.
    pub contact_gap_weeks: u32,
    /// Missed appointments count this many days back.
    pub missed_window_days: u32,
    /// Neighbour complaints count this many days back.
    pub complaint_window_days: u32,
    /// A fixed-term contract ending within this many months (or already run out).
    pub contract_ending_months: u8,
    pub weights: Weights,
}

/// The rule file `rules/follow_up.toml`.
pub type RiskRules = MunicipalRules<RiskSettings>;

/// The embedded rule file, checked when first read.
pub fn embedded_rules() -> &'static RiskRules {
    static RULES: OnceLock<RiskRules> = OnceLock::new();
    RULES.get_or_init(|| rules_from_toml(EMBEDDED).expect("the embedded rules/follow_up.toml is valid"))
}

/// Reads a follow-up rule file: windows of at least a week (a day for the counts) and at most
/// two years, weights 0 to 10.
pub fn rules_from_toml(text: &str) -> Result<RiskRules, String> {
    MunicipalRules::from_toml_str(text, |period: &Period<RiskSettings>| {
        let s = &period.values;
        if !(1..=104).contains(&s.contact_gap_weeks) {
            return Err("contact_gap_weeks is 1 to 104".into());
        }
        if !(1..=730).contains(&s.missed_window_days) || !(1..=730).contains(&s.complaint_window_days) {
            return Err("missed_window_days and complaint_window_days are 1 to 730".into());
        }
        if !(1..=24).contains(&s.contract_ending_months) {
            return Err("contract_ending_months is 1 to 24".into());
        }
        let w = s.weights;
        let all = [
            w.arrears,
            w.neighbour_complaints,
            w.missed_appointments,
            w.contract_ending,
            w.no_recent_contact,
            w.review_overdue,
            w.no_plan,
        ];
        if all.iter().any(|w| *w > 10) {
            return Err("weights are 0 to 10".into());
        }
        Ok(())
    })
}

/// The plan's part of the facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanFacts {
    pub started_on: Date,
    pub review_on: Date,
}

/// What the unit knows of a household that bears on its risk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The active plan, if any.
    pub plan: Option<PlanFacts>,
    /// The last contact held with the household (a missed appointment is no contact).
    pub last_contact: Option<Date>,
    /// Days of missed appointments.
    pub missed: Vec<Date>,
    /// Days of neighbour complaints.
    pub complaints: Vec<Date>,
    /// Arrears that reach the rent-arrears threshold (øre, months unpaid); `None` below it.
    pub arrears: Option<(i64, u32)>,
    /// The last day of the household's open fixed-term contract.
    pub term_end: Option<Date>,
}

/// A risk signal, with what the caseload shows of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Rent arrears reach the threshold.
    Arrears { arrears_ore: i64, unpaid_months: u32 },
    /// Neighbour complaints within the window.
    NeighbourComplaints { count: u32 },
    /// Appointments missed within the window.
    MissedAppointments { count: u32 },
    /// The fixed-term contract ends within the window, or has run out (`expired`).
    ContractEnding { term_end: Date, expired: bool },
    /// No contact held for the gap (`since`: the last contact, or none since the plan began).
    NoRecentContact { since: Option<Date> },
    /// The plan's review day has passed.
    ReviewOverdue { review_on: Date },
    /// Signals, but no plan: the household is not followed up.
    NoPlan,
}

impl Signal {
    /// A stable code for the API and the catalogue (`follow_up.signal.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Signal::Arrears { .. } => "arrears",
            Signal::NeighbourComplaints { .. } => "neighbour_complaints",
            Signal::MissedAppointments { .. } => "missed_appointments",
            Signal::ContractEnding { .. } => "contract_ending",
            Signal::NoRecentContact { .. } => "no_recent_contact",
            Signal::ReviewOverdue { .. } => "review_overdue",
            Signal::NoPlan => "no_plan",
        }
    }

    /// What the signal weighs with these weights.
    pub fn weight(self, w: &Weights) -> u32 {
        u32::from(match self {
            Signal::Arrears { .. } => w.arrears,
            Signal::NeighbourComplaints { .. } => w.neighbour_complaints,
            Signal::MissedAppointments { .. } => w.missed_appointments,
            Signal::ContractEnding { .. } => w.contract_ending,
            Signal::NoRecentContact { .. } => w.no_recent_contact,
            Signal::ReviewOverdue { .. } => w.review_overdue,
            Signal::NoPlan => w.no_plan,
        })
    }
}

/// A household's signals and their summed weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    pub signals: Vec<Signal>,
    pub score: u32,
}

fn within(days: &[Date], today: Date, window_days: u32) -> u32 {
    let from = today - Duration::days(i64::from(window_days));
    days.iter().filter(|d| **d > from && **d <= today).count() as u32
}

/// The last term end that raises the contract signal on `today`: a reader of the facts need
/// read no contract ending later.
pub fn contract_horizon(settings: &RiskSettings, today: Date) -> Date {
    add_months(today, settings.contract_ending_months)
}

/// The household's signals on `today`, in the order the caseload shows them.
pub fn assess(facts: &Facts, settings: &RiskSettings, today: Date) -> Risk {
    let mut signals = Vec::new();
    if let Some((arrears_ore, unpaid_months)) = facts.arrears {
        signals.push(Signal::Arrears {
            arrears_ore,
            unpaid_months,
        });
    }
    let complaints = within(&facts.complaints, today, settings.complaint_window_days);
    if complaints > 0 {
        signals.push(Signal::NeighbourComplaints { count: complaints });
    }
    let missed = within(&facts.missed, today, settings.missed_window_days);
    if missed > 0 {
        signals.push(Signal::MissedAppointments { count: missed });
    }
    if let Some(term_end) = facts.term_end
        && term_end <= contract_horizon(settings, today)
    {
        signals.push(Signal::ContractEnding {
            term_end,
            expired: term_end < today,
        });
    }
    if let Some(plan) = facts.plan {
        let gap_start = today - Duration::weeks(i64::from(settings.contact_gap_weeks));
        let quiet_since = facts.last_contact.unwrap_or(plan.started_on);
        if quiet_since <= gap_start {
            signals.push(Signal::NoRecentContact {
                since: facts.last_contact,
            });
        }
        if plan.review_on < today {
            signals.push(Signal::ReviewOverdue {
                review_on: plan.review_on,
            });
        }
    } else if !signals.is_empty() {
        signals.push(Signal::NoPlan);
    }
    let score = signals.iter().map(|s| s.weight(&settings.weights)).sum();
    Risk { signals, score }
}

/// The caseload's order: the highest risk first; among equals the longest without contact
/// (never contacted first), then `key` (stable).
pub fn caseload_order<K: Ord>(a: (&Risk, Option<Date>, K), b: (&Risk, Option<Date>, K)) -> std::cmp::Ordering {
    b.0.score
        .cmp(&a.0.score)
        .then_with(|| a.1.cmp(&b.1))
        .then_with(|| a.2.cmp(&b.2))
}
