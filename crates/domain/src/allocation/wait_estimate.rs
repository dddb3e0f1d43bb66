//! An estimate of how long a household on the waiting list may still wait: a range in months,
//! always labelled as an estimate, or no estimate with the reason.
//!
//! **Method.** Two facts go in:
//!
//! 1. the household's **position** among the households it competes with: its peer position
//!    ([`super::priority::peer_positions_of`]: 1 + the households ranked ahead of it that may get
//!    the same dwelling type with an overlapping bedroom range). When it may get more than one
//!    dwelling type, the best of its places is used (it is served from its shortest queue);
//! 2. the **lettings compatible with it** in each of the last three full calendar years
//!    ([`super::stock::full_years`]): tenancies that began in a dwelling whose bedrooms are within
//!    the household's range, wheelchair accessible when it needs that, and of a type the policy
//!    lets it get. Floor, lift, pets and districts are not known for past lettings and are not
//!    counted, so for a household with such needs the estimate leans to the short side.
//!
//! With `p` the position and `L₁, L₂, L₃` the yearly counts:
//!
//! - **low** = `⌈12·p ÷ max Lᵢ⌉` months: the turnover of the busiest year;
//! - **high** = `⌈12·p ÷ r⌉` months with `r = max(min Lᵢ, ΣLᵢ ÷ 6)`: the quietest year, but never
//!   below half the yearly average, so that one empty year (a building under renovation) does
//!   not make the estimate endless;
//! - **no estimate** when no compatible dwelling was let in the three years (or the policy lets
//!   the household get no dwelling type at all).
//!
//! Both ends grow with the position and shrink (or stay) with more lettings in any year — the
//! property tests check it. It assumes the turnover continues as in the last years and that no one
//! new ranks ahead of the household; the page says it is an estimate, not a promise.

#[cfg(test)]
mod tests;

use time::Date;

use super::dwelling::DwellingType;
use super::needs::bedroom_range;
use super::policy::PriorityPolicy;
use super::priority::{PeerPosition, WaitingHousehold};
use super::stock::{Letting, YEARS, full_years};
use crate::message::Message;

/// Why no estimate can be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoEstimate {
    /// No dwelling that fits the household was let in the last three years.
    NoCompatibleLettings,
    /// The policy lets the household get no dwelling type, so it has no place to count from.
    NoDwellingType,
}

impl NoEstimate {
    pub fn code(self) -> &'static str {
        match self {
            NoEstimate::NoCompatibleLettings => "no_compatible_lettings",
            NoEstimate::NoDwellingType => "no_dwelling_type",
        }
    }
}

/// The estimate for one household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitEstimate {
    /// The place counted from (1 + competitors ahead); None when it has none.
    pub position: Option<u32>,
    /// The years counted, oldest first, and the compatible lettings in each.
    pub years: [i32; YEARS],
    pub lettings: [u32; YEARS],
    pub outcome: Result<MonthRange, NoEstimate>,
}

/// A range of months, `low ≤ high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRange {
    pub low: u32,
    pub high: u32,
}

impl WaitEstimate {
    /// The estimate in words (a catalogue message): "about 8–14 months (estimate)", in years
    /// when even the short end is two years or more, or why there is none.
    pub fn message(&self) -> Message {
        match self.outcome {
            Ok(MonthRange { low, high }) if low >= 24 => Message::new("stock.estimate.years")
                .arg("low", low / 12)
                .arg("high", high.div_ceil(12)),
            Ok(MonthRange { low: 1, high: 1 }) => Message::new("stock.estimate.one_month"),
            Ok(MonthRange { low, high }) if low == high => Message::new("stock.estimate.months_one").arg("months", low),
            Ok(MonthRange { low, high }) => Message::new("stock.estimate.months").arg("low", low).arg("high", high),
            Err(reason) => Message::new(format!("stock.estimate.none.{}", reason.code())),
        }
    }
}

/// The range for a position and yearly compatible lettings (see the module's method).
pub fn estimate_months(position: u32, lettings: [u32; YEARS]) -> Option<MonthRange> {
    let total: u64 = lettings.iter().map(|n| u64::from(*n)).sum();
    let busiest = u64::from(*lettings.iter().max()?);
    if total == 0 {
        return None;
    }
    let p = u64::from(position.max(1));
    // r = max(min, total/6), kept in sixths to stay in whole numbers: 12·p ÷ r = 72·p ÷ (6·r).
    let quietest = u64::from(*lettings.iter().min()?);
    let r6 = (6 * quietest).max(total);
    let clamp = |v: u64| v.min(u64::from(u32::MAX)) as u32;
    Some(MonthRange {
        low: clamp((12 * p).div_ceil(busiest)),
        high: clamp((72 * p).div_ceil(r6)),
    })
}

/// The lettings an estimate counts, grouped by what it compares (year, bedrooms, wheelchair
/// access, dwelling type): a few dozen groups however many lettings, so that a page of
/// estimates does not pass over every letting once per household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LettingTally {
    years: [i32; YEARS],
    /// (index into `years`, bedrooms, wheelchair accessible, type) and how many.
    groups: Vec<((usize, i64, bool, DwellingType), u32)>,
}

impl LettingTally {
    /// The lettings in the [`full_years`] before `today`; others are left out.
    pub fn new(lettings: &[Letting], today: Date) -> LettingTally {
        let years = full_years(today);
        let mut groups: std::collections::BTreeMap<(usize, i64, bool, DwellingType), u32> = Default::default();
        for l in lettings {
            if let Some(i) = years.iter().position(|y| *y == l.on.year()) {
                *groups
                    .entry((i, l.bedrooms, l.wheelchair_accessible, l.dwelling_type))
                    .or_default() += 1;
            }
        }
        LettingTally {
            years,
            groups: groups.into_iter().collect(),
        }
    }
}

/// The compatible lettings per year of [`full_years`].
pub fn compatible_lettings(
    policy: &PriorityPolicy,
    household: &WaitingHousehold,
    tally: &LettingTally,
    today: Date,
) -> [u32; YEARS] {
    let s = household.situation(today);
    let range = bedroom_range(policy, &s);
    let mut out = [0; YEARS];
    for ((i, bedrooms, wheelchair_accessible, dwelling_type), n) in &tally.groups {
        if range.contains(*bedrooms)
            && (!household.wheelchair_need || *wheelchair_accessible)
            && policy.may_get(*dwelling_type, &s)
        {
            out[*i] += n;
        }
    }
    out
}

/// The household's estimate on `today`, from its peer positions and the lettings since
/// [`super::stock::lettings_from`], tallied on the same `today`.
pub fn wait_estimate(
    policy: &PriorityPolicy,
    household: &WaitingHousehold,
    peers: &[PeerPosition],
    lettings: &LettingTally,
    today: Date,
) -> WaitEstimate {
    let years = lettings.years;
    let counted = compatible_lettings(policy, household, lettings, today);
    let position = peers.iter().map(|p| p.position).min();
    let outcome = match position {
        None => Err(NoEstimate::NoDwellingType),
        Some(p) => estimate_months(p, counted).ok_or(NoEstimate::NoCompatibleLettings),
    };
    WaitEstimate {
        position,
        years,
        lettings: counted,
        outcome,
    }
}
