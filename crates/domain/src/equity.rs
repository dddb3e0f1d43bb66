//! Equity monitoring: how applications for municipal housing received in a year fare at each
//! stage — granted, on the waiting list, offered a dwelling, housed, still housed a year after
//! moving in — by
//! household type and by KOSTRA main reason, as counts and rates, with small numbers suppressed
//! so that no household can be singled out. Pure: the store reads the facts, this counts.
//!
//! Small numbers (`later-modules.md` § 2, after IMDi and SSB practice): a count of 1–4 is shown
//! as "<5"; a further cell is hidden wherever a hidden one could otherwise be worked out from a
//! published total ([`suppress`]); a rate is shown only when its denominator is at least
//! [`MIN_DENOMINATOR`] and neither count is hidden.

use std::collections::BTreeMap;

use time::{Date, Month};

use crate::action_plan::Figure;
use crate::cases::workflow::CaseState;
use crate::kostra::KostraCategory;
use crate::kostra_form::KostraCase;
use crate::{CaseId, HouseholdId};

/// A rate is shown only over at least this many applications: below it, one household more or
/// less moves the rate by five points or more, too little to compare groups on.
pub const MIN_DENOMINATOR: i64 = 20;

/// The household's make-up when it applied: adults (18 or over) and children under 18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdType {
    SingleAdult,
    AdultsWithoutChildren,
    SingleParent,
    AdultsWithChildren,
    /// No adult member recorded.
    Other,
}

impl HouseholdType {
    pub const ALL: [HouseholdType; 5] = [
        HouseholdType::SingleAdult,
        HouseholdType::AdultsWithoutChildren,
        HouseholdType::SingleParent,
        HouseholdType::AdultsWithChildren,
        HouseholdType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HouseholdType::SingleAdult => "single_adult",
            HouseholdType::AdultsWithoutChildren => "adults_without_children",
            HouseholdType::SingleParent => "single_parent",
            HouseholdType::AdultsWithChildren => "adults_with_children",
            HouseholdType::Other => "other",
        }
    }
}

/// The type of a household whose members were born on `births`, on the day `on`.
pub fn household_type(births: &[Date], on: Date) -> HouseholdType {
    let adults = births.iter().filter(|b| crate::bostotte::age_at(**b, on) >= 18).count();
    let children = births.len() - adults;
    match (adults, children) {
        (0, _) => HouseholdType::Other,
        (1, 0) => HouseholdType::SingleAdult,
        (_, 0) => HouseholdType::AdultsWithoutChildren,
        (1, _) => HouseholdType::SingleParent,
        _ => HouseholdType::AdultsWithChildren,
    }
}

/// A tenancy of a household that applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenancyFact {
    pub household: HouseholdId,
    pub from: Date,
    pub to: Option<Date>,
}

/// What equity is computed from: the applications (as for KOSTRA), the offers of a dwelling
/// made to them (not withdrawn: the day each was sent), the tenancies of their households, and
/// their members' birth dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EquityFacts {
    pub cases: Vec<KostraCase>,
    pub offers: Vec<(CaseId, Date)>,
    pub tenancies: Vec<TenancyFact>,
    pub births: Vec<(HouseholdId, Date)>,
}

/// How many stages there are.
pub const STAGES: usize = 6;

/// The stages reached by one application, `None` for one not yet known.
type Reached = [Option<bool>; STAGES];

/// The stages, in order; each after the first is a subset of the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Applied,
    /// The first decision granted, in whole or in part.
    Granted,
    /// Was placed on the waiting list.
    WaitingList,
    /// Was offered a dwelling from the waiting list, or moved in (a tenancy recorded before
    /// allocation was kept in Husly has no offer, but a household that moved in was offered the
    /// dwelling).
    Offered,
    /// Moved in: a tenancy began on or after the grant.
    Housed,
    /// Still had a tenancy twelve months after moving in.
    #[serde(rename = "still_housed_12_months")]
    StillHoused12Months,
}

impl Stage {
    pub const ALL: [Stage; STAGES] = [
        Stage::Applied,
        Stage::Granted,
        Stage::WaitingList,
        Stage::Offered,
        Stage::Housed,
        Stage::StillHoused12Months,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Applied => "applied",
            Stage::Granted => "granted",
            Stage::WaitingList => "waiting_list",
            Stage::Offered => "offered",
            Stage::Housed => "housed",
            Stage::StillHoused12Months => "still_housed_12_months",
        }
    }
}

/// A published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "shown", content = "count")]
pub enum Shown {
    Count(i64),
    /// 1–4: shown as "<5".
    Small,
    /// Hidden so that a small count cannot be worked out from a total.
    Hidden,
    /// Not yet known (twelve months have not passed for every household in it).
    NotYetKnown,
}

impl Shown {
    fn hidden(self) -> bool {
        !matches!(self, Shown::Count(_))
    }
}

/// Small-number suppression of a table whose last row holds the column totals (when
/// `total_row`) and whose last column holds the row totals (when `total_column`). `None` is a
/// value not yet known. Counts of 1–4 become `Small`; then, wherever a line (a row or a column
/// with its total) hides exactly one cell, the smallest shown cell of its parts (else its
/// total) is hidden too, until no line hides exactly one: a single hidden cell of a line could
/// be worked out as the total minus the others.
pub fn suppress(values: &[Vec<Option<i64>>], total_row: bool, total_column: bool) -> Vec<Vec<Shown>> {
    let mut out: Vec<Vec<Shown>> = values
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| match v {
                    None => Shown::NotYetKnown,
                    Some(n) if (1..=4).contains(n) => Shown::Small,
                    Some(n) => Shown::Count(*n),
                })
                .collect()
        })
        .collect();
    let rows = out.len();
    let cols = out.first().map_or(0, Vec::len);
    let mut lines: Vec<Vec<(usize, usize)>> = Vec::new();
    if total_row && rows > 1 {
        lines.extend((0..cols).map(|c| (0..rows).map(|r| (r, c)).collect()));
    }
    if total_column && cols > 1 {
        lines.extend((0..rows).map(|r| (0..cols).map(|c| (r, c)).collect()));
    }
    loop {
        let mut changed = false;
        for line in &lines {
            if line.iter().filter(|(r, c)| out[*r][*c].hidden()).count() != 1 {
                continue;
            }
            // The parts come first, the total last.
            let (parts, total) = line.split_at(line.len() - 1);
            let smallest = parts
                .iter()
                .filter_map(|(r, c)| match out[*r][*c] {
                    Shown::Count(n) => Some((n == 0, n, *r, *c)),
                    _ => None,
                })
                .min();
            let (r, c) = smallest.map_or(total[0], |(_, _, r, c)| (r, c));
            out[r][c] = Shown::Hidden;
            changed = true;
        }
        if !changed {
            return out;
        }
    }
}

/// `numerator` over `denominator` in percent, when both are shown and the denominator is at
/// least [`MIN_DENOMINATOR`].
pub fn rate(numerator: Shown, denominator: Shown) -> Option<Figure> {
    match (numerator, denominator) {
        (Shown::Count(n), Shown::Count(d)) if d >= MIN_DENOMINATOR => Figure::percent(n, d),
        _ => None,
    }
}

/// A row of a published table: the group, each stage's cell and its rate over the stage before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquityRow {
    /// `household_type.<code>`, `kostra_category.<code>`, `not_classified` or `total`.
    pub group: String,
    pub cells: Vec<Shown>,
    /// Per stage: the rate over the stage before (none for the first stage).
    pub rates: Vec<Option<Figure>>,
}

/// One table: groups of one kind, and the total row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquityTable {
    /// `household_type` or `kostra_category`.
    pub by: &'static str,
    pub rows: Vec<EquityRow>,
}

/// The year's equity figures, as known `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equity {
    pub year: i32,
    pub as_of: Date,
    pub tables: Vec<EquityTable>,
}

/// The day twelve months after `day` (the month's last day when shorter).
fn twelve_months_after(day: Date) -> Date {
    let year = day.year() + 1;
    let last = time::util::days_in_month(day.month(), year);
    Date::from_calendar_date(year, day.month(), day.day().min(last)).unwrap_or(day)
}

/// What happened to one application: the stages reached, `None` for one not yet known.
fn stages(case: &KostraCase, facts: &EquityFacts, today: Date) -> Reached {
    let tenancies = &facts.tenancies;
    let granted = case.first_decision.is_some_and(|(_, o)| o.grants());
    let waiting = case.history.iter().any(|e| e.state == CaseState::OnWaitingList)
        || (case.history.is_empty() && case.granted_on.is_some() && case.state == CaseState::OnWaitingList);
    let housed_on = case.granted_on.and_then(|g| {
        tenancies
            .iter()
            .filter(|t| t.household == case.household && t.from >= g && t.from <= today)
            .map(|t| t.from)
            .min()
    });
    let still = match housed_on {
        None => Some(false),
        Some(day) => {
            let after = twelve_months_after(day);
            (after <= today).then(|| {
                tenancies
                    .iter()
                    .any(|t| t.household == case.household && t.from <= after && t.to.is_none_or(|to| to >= after))
            })
        }
    };
    // Offers go to the waiting list; an offer on record for a case never on it is an error in
    // the data, and counting it would break the stages' order.
    let offered = housed_on.is_some()
        || (waiting
            && facts
                .offers
                .iter()
                .any(|(offered_to, sent_on)| *offered_to == case.id && *sent_on <= today));
    [
        Some(true),
        Some(granted),
        Some(waiting),
        Some(offered),
        Some(housed_on.is_some()),
        still,
    ]
}

fn count(cases: &[Reached]) -> Vec<Option<i64>> {
    (0..STAGES)
        .map(|i| {
            cases
                .iter()
                .try_fold(0i64, |sum, s| s[i].map(|reached| sum + i64::from(reached)))
        })
        .collect()
}

fn table(by: &'static str, groups: Vec<(String, Vec<Reached>)>, all: &[Reached]) -> EquityTable {
    let mut values: Vec<Vec<Option<i64>>> = groups.iter().map(|(_, cases)| count(cases)).collect();
    values.push(count(all));
    let shown = suppress(&values, true, false);
    let names = groups
        .into_iter()
        .map(|(g, _)| g)
        .chain(std::iter::once("total".to_string()));
    EquityTable {
        by,
        rows: names
            .zip(shown)
            .map(|(group, cells)| {
                let rates = (0..cells.len())
                    .map(|i| if i == 0 { None } else { rate(cells[i], cells[i - 1]) })
                    .collect();
                EquityRow { group, cells, rates }
            })
            .collect(),
    }
}

/// The equity figures of applications for municipal housing received in `year`, as known
/// `today`; `None` for a year that has not begun.
pub fn compute(year: i32, today: Date, facts: &EquityFacts) -> Option<Equity> {
    let first = Date::from_calendar_date(year, Month::January, 1).ok()?;
    if first > today {
        return None;
    }
    let mut births: BTreeMap<HouseholdId, Vec<Date>> = BTreeMap::new();
    for (household, born) in &facts.births {
        births.entry(*household).or_default().push(*born);
    }
    let cohort: Vec<(&KostraCase, Reached)> = facts
        .cases
        .iter()
        .filter(|c| c.received_on.year() == year)
        .map(|c| (c, stages(c, facts, today)))
        .collect();
    let all: Vec<Reached> = cohort.iter().map(|(_, s)| *s).collect();
    let by_type = HouseholdType::ALL
        .iter()
        .map(|t| {
            let cases = cohort
                .iter()
                .filter(|(c, _)| {
                    household_type(births.get(&c.household).map_or(&[][..], Vec::as_slice), c.received_on) == *t
                })
                .map(|(_, s)| *s)
                .collect();
            (format!("household_type.{}", t.code()), cases)
        })
        .collect();
    let categories = KostraCategory::ALL
        .iter()
        .map(|k| Some(*k))
        .chain(std::iter::once(None));
    let by_category = categories
        .map(|k| {
            let cases = cohort
                .iter()
                .filter(|(c, _)| c.category == k)
                .map(|(_, s)| *s)
                .collect();
            let group = k.map_or("not_classified".to_string(), |k| {
                format!("kostra_category.{}", k.code())
            });
            (group, cases)
        })
        .collect();
    Some(Equity {
        year,
        as_of: today,
        tables: vec![
            table("household_type", by_type, &all),
            table("kostra_category", by_category, &all),
        ],
    })
}

#[cfg(test)]
#[path = "equity/tests.rs"]
mod tests;
