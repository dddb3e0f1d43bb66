//! KOSTRA skjema 13 ("Kommunalt disponerte boliger"): the year's figures computed from the
//! cases, tenancies, dwellings and stays, and the data-quality warnings to clear before the
//! figures are submitted. Pure: the store reads the facts ([`KostraFacts`]), this module counts.
//!
//! Definitions (SSB KOMPIS, domain brief `domain-norway.md` § 4.2; see "KOSTRA skjema 13 figures"
//! in `docs/architecture.md`): a *new applicant* did not rent a municipal dwelling when applying;
//! a *new tenant* is a new applicant granted a municipal dwelling whose tenancy began in the year,
//! on or after the day the grant was sent; the *waiting list* holds new applicants with a positive
//! decision on the waiting list who have not moved in. Households are counted once.

use std::collections::BTreeMap;

use time::{Date, Month};

use crate::action_plan::Figure;
use crate::cases::workflow::{CaseState, Outcome};
use crate::kostra::KostraCategory;
use crate::stays::{Stay, figures as stay_figures};
use crate::{CaseId, HouseholdId};

/// A state a case entered on a day, read from its timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateEntered {
    pub on: Date,
    pub state: CaseState,
}

/// What the store knows about one application for municipal housing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KostraCase {
    pub id: CaseId,
    pub reference: String,
    pub household: HouseholdId,
    pub received_on: Date,
    /// The household rented a municipal dwelling when it applied.
    pub existing_tenant: bool,
    pub category: Option<KostraCategory>,
    /// The first decision sent (not a reassessment on appeal): the day and its outcome.
    pub first_decision: Option<(Date, Outcome)>,
    /// The day the first decision that grants (in whole or in part) was sent, on appeal too.
    pub granted_on: Option<Date>,
    /// The state now.
    pub state: CaseState,
    /// The states the case entered, oldest first: each step's new state, and for a sent
    /// decision the state it led to.
    pub history: Vec<StateEntered>,
}

impl KostraCase {
    /// The state at the end of `day`: the last one entered by then. A case without a recorded
    /// history (an older import) is taken to have been in its present state since its decision.
    pub fn state_on(&self, day: Date) -> Option<CaseState> {
        if self.history.is_empty() {
            let since = self.granted_on.or(self.first_decision.map(|(on, _)| on))?;
            return (since <= day).then_some(self.state);
        }
        self.history.iter().rev().find(|e| e.on <= day).map(|e| e.state)
    }
}

/// A municipal dwelling: the day it was registered in Husly and whether it is adapted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DwellingFact {
    pub registered_on: Date,
    pub adapted: bool,
}

/// Everything the figures are computed from, read once for a year and the year before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KostraFacts {
    /// Applications for municipal housing received up to the last day counted.
    pub cases: Vec<KostraCase>,
    /// The first day of each tenancy of the households that applied.
    pub tenancy_starts: Vec<(HouseholdId, Date)>,
    pub dwellings: Vec<DwellingFact>,
}

/// How a figure is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Percent,
}

/// One figure of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureRow {
    /// The figure's key: its name is `kostra.figure.<key>` in the catalogue.
    pub key: &'static str,
    /// SSB's KOMPIS variable code, where the domain brief confirms one.
    pub code: Option<&'static str>,
    pub unit: Unit,
    /// A count, or a percentage in hundredths; `None` for a share of nothing.
    pub value: Option<i64>,
}

/// A data-quality problem that would make a figure wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `kostra.warning.<key>` (what is wrong) and `kostra.warning.<key>.fix` (how to fix it).
    pub key: &'static str,
    pub count: i64,
    /// The cases behind the count (none for stays, which belong to households).
    pub cases: Vec<(CaseId, String)>,
}

/// The year's figures, counted up to `as_of` (31 December, or today for the current year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form13 {
    pub year: i32,
    pub as_of: Date,
    pub rows: Vec<FigureRow>,
    pub warnings: Vec<Warning>,
}

/// The day a year's figures are counted to: 31 December, or `today` while the year runs.
pub fn as_of(year: i32, today: Date) -> Option<Date> {
    let end = Date::from_calendar_date(year, Month::December, 31).ok()?;
    Some(end.min(today))
}

/// The day a household moved in after a grant: its first tenancy beginning on or after it.
fn moved_in(case: &KostraCase, starts: &BTreeMap<HouseholdId, Vec<Date>>) -> Option<Date> {
    let granted = case.granted_on?;
    starts
        .get(&case.household)?
        .iter()
        .copied()
        .filter(|d| *d >= granted)
        .min()
}

/// Each household once: the case that counts for it is its earliest (by the day given, then id).
fn once_per_household<'a>(cases: impl Iterator<Item = (&'a KostraCase, Date)>) -> Vec<&'a KostraCase> {
    let mut first: BTreeMap<HouseholdId, (Date, &'a KostraCase)> = BTreeMap::new();
    for (case, day) in cases {
        let entry = first.entry(case.household).or_insert((day, case));
        if (day, case.id) < (entry.0, entry.1.id) {
            *entry = (day, case);
        }
    }
    first.into_values().map(|(_, c)| c).collect()
}

fn count(key: &'static str, code: Option<&'static str>, n: usize) -> FigureRow {
    FigureRow {
        key,
        code,
        unit: Unit::Count,
        value: Some(n as i64),
    }
}

fn by_category(cases: &[&KostraCase], category: Option<KostraCategory>) -> usize {
    cases.iter().filter(|c| c.category == category).count()
}

fn refs(cases: &[&KostraCase]) -> Vec<(CaseId, String)> {
    let mut out: Vec<(CaseId, String)> = cases.iter().map(|c| (c.id, c.reference.clone())).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup();
    out
}

/// The figures of `year` as known `today`, or `None` for a year that has not begun.
pub fn compute(year: i32, today: Date, facts: &KostraFacts, stays: &[Stay]) -> Option<Form13> {
    let first_day = Date::from_calendar_date(year, Month::January, 1).ok()?;
    if first_day > today {
        return None;
    }
    let as_of = as_of(year, today)?;
    let in_year = |d: Date| d >= first_day && d <= as_of;
    let mut starts: BTreeMap<HouseholdId, Vec<Date>> = BTreeMap::new();
    for (household, from) in &facts.tenancy_starts {
        starts.entry(*household).or_default().push(*from);
    }
    let new: Vec<&KostraCase> = facts.cases.iter().filter(|c| !c.existing_tenant).collect();

    let received = new.iter().filter(|c| in_year(c.received_on)).count();
    let decided: Vec<Outcome> = new
        .iter()
        .filter_map(|c| c.first_decision)
        .filter(|(on, _)| in_year(*on))
        .map(|(_, o)| o)
        .collect();
    let refused = decided.iter().filter(|o| **o == Outcome::Refused).count();

    let moved_in_year = once_per_household(
        new.iter()
            .filter_map(|c| moved_in(c, &starts).filter(|d| in_year(*d)).map(|d| (*c, d))),
    );
    let waiting_all: Vec<&KostraCase> = new
        .iter()
        .copied()
        .filter(|c| c.state_on(as_of) == Some(CaseState::OnWaitingList))
        .collect();
    let already_in: Vec<&KostraCase> = waiting_all
        .iter()
        .copied()
        .filter(|c| moved_in(c, &starts).is_some_and(|d| d <= as_of))
        .collect();
    let waiting = once_per_household(
        waiting_all
            .iter()
            .filter(|c| !already_in.iter().any(|a| a.id == c.id))
            .map(|c| (*c, c.granted_on.unwrap_or(c.received_on))),
    );
    let waiting_other = waiting
        .iter()
        .filter(|c| matches!(c.category, Some(KostraCategory::Other | KostraCategory::Refugee)))
        .count();

    let stay = stay_figures(year, today, stays);
    let share = |n: i64, of: i64| Figure::percent(n, of).map(|f| f.0);
    let percent = |key, code, value| FigureRow {
        key,
        code,
        unit: Unit::Percent,
        value,
    };
    let dwellings: Vec<&DwellingFact> = facts.dwellings.iter().filter(|d| d.registered_on <= as_of).collect();

    let rows = vec![
        count("new_applications", None, received),
        count("new_applications_decided", None, decided.len()),
        count("new_applications_refused", None, refused),
        percent(
            "new_applications_refused_share",
            Some("KOSandelnyavslag0000"),
            share(refused as i64, decided.len() as i64),
        ),
        count("new_tenants", Some("KOSantnyinnflytt0000"), moved_in_year.len()),
        count(
            "new_tenants_refugee",
            Some("KOSnyinnflyttfly0000"),
            by_category(&moved_in_year, Some(KostraCategory::Refugee)),
        ),
        count(
            "new_tenants_mental_health_or_substance_use",
            Some("KOSandnyinnflytt0001"),
            by_category(&moved_in_year, Some(KostraCategory::MentalHealthOrSubstanceUse)),
        ),
        count(
            "new_tenants_adapted_dwelling",
            None,
            by_category(&moved_in_year, Some(KostraCategory::AdaptedDwelling)),
        ),
        count(
            "new_tenants_other",
            None,
            by_category(&moved_in_year, Some(KostraCategory::Other)),
        ),
        count("new_tenants_unclassified", None, by_category(&moved_in_year, None)),
        count("waiting_list", None, waiting.len()),
        count(
            "waiting_list_adapted_dwelling",
            Some("KOSventelistetil0000"),
            by_category(&waiting, Some(KostraCategory::AdaptedDwelling)),
        ),
        count(
            "waiting_list_mental_health_or_substance_use",
            Some("KOSventelistepsy0001"),
            by_category(&waiting, Some(KostraCategory::MentalHealthOrSubstanceUse)),
        ),
        count("waiting_list_other", Some("KOSandandrevente0000"), waiting_other),
        count("waiting_list_unclassified", None, by_category(&waiting, None)),
        count("stay_households", Some("KOStotmidlbo0000"), stay.households as usize),
        percent(
            "stay_households_14_days_or_fewer_share",
            Some("KOSandmidlbo14d0000"),
            share(stay.households_14_days_or_fewer, stay.households),
        ),
        count(
            "stay_households_with_children",
            None,
            stay.households_with_children as usize,
        ),
        percent(
            "stay_households_with_children_over_3_months_share",
            Some("KOSandbarn3m0000"),
            share(
                stay.households_with_children_over_3_months,
                stay.households_with_children,
            ),
        ),
        count(
            "stay_households_aged_18_to_25",
            None,
            stay.households_aged_18_to_25 as usize,
        ),
        count("dwellings", Some("KOSboligSper10000000"), dwellings.len()),
        count(
            "dwellings_adapted",
            None,
            dwellings.iter().filter(|d| d.adapted).count(),
        ),
    ];

    let closed_without_move: Vec<&KostraCase> = new
        .iter()
        .copied()
        .filter(|c| c.granted_on.is_some_and(|g| g <= as_of))
        .filter(|c| c.state_on(as_of) == Some(CaseState::Closed))
        .filter(|c| moved_in(c, &starts).is_none_or(|d| d > as_of))
        .collect();
    let open_old_stays = stays.iter().filter(|s| s.to.is_none() && s.from < first_day).count();
    let warnings = vec![
        Warning {
            key: "new_tenants_unclassified",
            count: by_category(&moved_in_year, None) as i64,
            cases: refs(
                &moved_in_year
                    .iter()
                    .copied()
                    .filter(|c| c.category.is_none())
                    .collect::<Vec<_>>(),
            ),
        },
        Warning {
            key: "waiting_list_unclassified",
            count: by_category(&waiting, None) as i64,
            cases: refs(
                &waiting
                    .iter()
                    .copied()
                    .filter(|c| c.category.is_none())
                    .collect::<Vec<_>>(),
            ),
        },
        Warning {
            key: "moved_in_still_waiting",
            count: already_in.len() as i64,
            cases: refs(&already_in),
        },
        Warning {
            key: "closed_without_move_in",
            count: closed_without_move.len() as i64,
            cases: refs(&closed_without_move),
        },
        Warning {
            key: "open_stays_from_earlier_years",
            count: open_old_stays as i64,
            cases: Vec::new(),
        },
    ];
    Some(Form13 {
        year,
        as_of,
        rows,
        warnings,
    })
}

/// A figure beside the year before, with the change (counts: the difference; percentages: in
/// percentage points, hundredths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compared {
    pub row: FigureRow,
    pub previous: Option<i64>,
    pub change: Option<i64>,
}

/// The rows of `this` beside the same rows of `previous`.
pub fn compare(this: &Form13, previous: &Form13) -> Vec<Compared> {
    this.rows
        .iter()
        .map(|row| {
            let previous = previous.rows.iter().find(|p| p.key == row.key).and_then(|p| p.value);
            Compared {
                row: *row,
                previous,
                change: row.value.zip(previous).map(|(a, b)| a - b),
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "kostra_form/tests.rs"]
mod tests;
