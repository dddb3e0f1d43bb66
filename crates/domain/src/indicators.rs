//! The action plan's built-in indicators: each a definition in a small, closed vocabulary over the
//! facts of a municipality's cases (`rules/indicators.toml`), evaluated here without I/O. The store
//! supplies the facts ([`CaseFact`]); what the vocabulary can say is what this module can compute,
//! so a definition can never reach data a user could not otherwise see in aggregate.

use std::sync::LazyLock;

use serde::Deserialize;
use time::Date;

use crate::CaseId;
use crate::action_plan::{Direction, Figure, Unit};
use crate::cases::workflow::{CaseState, CaseType, Outcome};
use crate::kostra_form::{self, KostraFacts};
use crate::stays::{Stay, StayFigures};

pub mod tenants;

pub use tenants::{TenantFact, TenantFigure};

const EMBEDDED: &str = include_str!("../../../rules/indicators.toml");

/// What the store knows about one case that an indicator may count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub case: CaseId,
    /// The case's reference (e.g. 2026-000123), for a drill-down list.
    pub reference: String,
    pub case_type: CaseType,
    pub state: CaseState,
    pub received_on: Date,
    /// The day the first decision was sent.
    pub decided_on: Option<Date>,
    /// That first decision's outcome.
    pub outcome: Option<Outcome>,
    pub interim_due: Option<Date>,
    pub interim_sent_on: Option<Date>,
    /// Children under 18 in the household when the case was registered.
    pub children: bool,
    /// The household already rented a municipal dwelling when it applied (KOSTRA counts only
    /// new applicants).
    pub existing_tenant: bool,
    /// An appeal against a decision in the case was registered.
    pub appealed: bool,
}

impl CaseFact {
    /// Forvaltningsloven § 11 a missed: neither an interim answer nor a decision by the day the
    /// interim answer was due (seen on `today` for a case still open).
    pub fn interim_missed(&self, today: Date) -> bool {
        let Some(due) = self.interim_due else {
            return false;
        };
        let answered = match (self.interim_sent_on, self.decided_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match answered {
            Some(day) => day > due,
            None => today > due,
        }
    }
}

/// A condition a case meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Decided,
    Granted,
    Refused,
    Children,
    NewApplicant,
    InterimMissed,
    OnWaitingList,
    Appealed,
}

impl Condition {
    fn holds(self, fact: &CaseFact, today: Date) -> bool {
        match self {
            Condition::Decided => fact.decided_on.is_some(),
            Condition::Granted => matches!(fact.outcome, Some(Outcome::Granted | Outcome::PartlyGranted)),
            Condition::Refused => fact.outcome == Some(Outcome::Refused),
            Condition::Children => fact.children,
            Condition::NewApplicant => !fact.existing_tenant,
            Condition::InterimMissed => fact.interim_missed(today),
            Condition::OnWaitingList => fact.state == CaseState::OnWaitingList,
            Condition::Appealed => fact.appealed,
        }
    }
}

/// What is computed over the cases counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Count,
    Share,
    MedianDays,
    /// The median of days waited since the grant, over the cases on the waiting list today.
    MedianDaysWaiting,
}

/// Which date places a case in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearBy {
    Received,
    Decided,
    /// The state today: a value for the current year only.
    Now,
}

/// What a definition counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Population {
    /// Applications (the default).
    #[default]
    Cases,
    /// Households in temporary accommodation (sosialtjenesteloven § 27) during the year, each
    /// counted once, as KOSTRA skjema 13 counts them.
    Stays,
    /// Municipal rental contracts that ended during the year, and how: the move from renting
    /// to owning ("leie til eie").
    Tenancies,
    /// The running rental contracts today ([`tenants`]): a value for the current year only.
    Tenants,
    /// A count on KOSTRA skjema 13 ([`crate::kostra_form`]), e.g. new tenants by main reason:
    /// the same figure the KOSTRA page shows for the year.
    Kostra,
    /// The households on the bostøtte outreach list reached in the year (a contact recorded
    /// whose outcome is not "not reached"), each once.
    Outreach,
}

/// A contact recorded from the bostøtte outreach list: with whom, on which day, and whether
/// the household was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutreachContactFact {
    pub household: crate::HouseholdId,
    pub contacted_on: Date,
    pub reached: bool,
}

/// A municipal rental contract that ended: on which day, whether the household bought a home
/// of its own, and whether the end names the household's startlån case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndedTenancy {
    pub ended_on: Date,
    pub bought_own_home: bool,
    pub with_startlan_case: bool,
}

/// A yearly figure over the contracts ended in the year (up to today).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenancyFigure {
    Ended,
    BoughtOwnHome,
    BoughtOwnHomeWithStartlan,
}

impl TenancyFigure {
    fn counts(self, t: &EndedTenancy) -> bool {
        match self {
            TenancyFigure::Ended => true,
            TenancyFigure::BoughtOwnHome => t.bought_own_home,
            TenancyFigure::BoughtOwnHomeWithStartlan => t.bought_own_home && t.with_startlan_case,
        }
    }
}

/// A yearly figure over stays in temporary accommodation ([`crate::stays::StayFigures`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StayFigure {
    Households,
    #[serde(rename = "households_14_days_or_fewer")]
    Households14DaysOrFewer,
    #[serde(rename = "households_over_3_months")]
    HouseholdsOver3Months,
    HouseholdsWithChildren,
    #[serde(rename = "households_with_children_over_3_months")]
    HouseholdsWithChildrenOver3Months,
    #[serde(rename = "households_aged_18_to_25")]
    HouseholdsAged18To25,
}

impl StayFigure {
    fn of(self, f: &StayFigures) -> i64 {
        match self {
            StayFigure::Households => f.households,
            StayFigure::Households14DaysOrFewer => f.households_14_days_or_fewer,
            StayFigure::HouseholdsOver3Months => f.households_over_3_months,
            StayFigure::HouseholdsWithChildren => f.households_with_children,
            StayFigure::HouseholdsWithChildrenOver3Months => f.households_with_children_over_3_months,
            StayFigure::HouseholdsAged18To25 => f.households_aged_18_to_25,
        }
    }
}

/// One built-in indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub key: String,
    pub measure: Measure,
    #[serde(default)]
    pub over: Population,
    /// Over stays: the figure counted (a share's numerator).
    pub figure: Option<StayFigure>,
    /// Over stays, for a share: the figure it is a share of.
    pub of: Option<StayFigure>,
    /// Over tenancies: the figure counted (a share's numerator).
    pub tenancy_figure: Option<TenancyFigure>,
    /// Over tenancies, for a share: the figure it is a share of.
    pub tenancy_of: Option<TenancyFigure>,
    /// Over running contracts: the figure counted (a share's numerator).
    pub tenant_figure: Option<TenantFigure>,
    /// Over running contracts, for a share: the figure it is a share of.
    pub tenant_of: Option<TenantFigure>,
    /// Over running contracts: how many months ahead a term end counts as expiring.
    pub within_months: Option<u32>,
    /// Over KOSTRA skjema 13: the key of the count (`kostra.figure.<key>` in the catalogue).
    pub kostra_figure: Option<String>,
    #[serde(default, deserialize_with = "case_types")]
    pub types: Vec<CaseType>,
    #[serde(default = "received")]
    pub year_by: YearBy,
    #[serde(rename = "where", default)]
    pub conditions: Vec<Condition>,
    #[serde(default)]
    pub share_of: Vec<Condition>,
    #[serde(deserialize_with = "direction")]
    pub better: Direction,
    pub source: String,
}

fn received() -> YearBy {
    YearBy::Received
}

fn case_types<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<CaseType>, D::Error> {
    let codes = Vec::<String>::deserialize(d)?;
    codes
        .iter()
        .map(|c| CaseType::from_code(c).ok_or_else(|| serde::de::Error::custom(format!("unknown case type {c:?}"))))
        .collect()
}

fn direction<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Direction, D::Error> {
    let code = String::deserialize(d)?;
    Direction::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown direction {code:?}")))
}

impl Definition {
    /// Whether the definition names what its population counts, and nothing another one does.
    fn check_shape(&self) -> Result<(), &'static str> {
        let d = self;
        let stays = d.figure.is_some() || d.of.is_some();
        let tenancies = d.tenancy_figure.is_some() || d.tenancy_of.is_some();
        let tenants = d.tenant_figure.is_some() || d.tenant_of.is_some() || d.within_months.is_some();
        let kostra = d.kostra_figure.is_some();
        let cases = !d.conditions.is_empty() || !d.share_of.is_empty();
        // A count names its figure, a share its figure and what it is a share of.
        let counted = |figure: bool, of: bool| match d.measure {
            Measure::Count => figure && !of,
            Measure::Share => figure && of,
            Measure::MedianDays | Measure::MedianDaysWaiting => false,
        };
        match d.over {
            Population::Tenancies => {
                if !counted(d.tenancy_figure.is_some(), d.tenancy_of.is_some()) || stays || tenants || kostra || cases {
                    return Err(
                        "over tenancies, a count names a tenancy_figure and a share a tenancy_figure and its tenancy_of",
                    );
                }
            }
            Population::Stays => {
                if !counted(d.figure.is_some(), d.of.is_some()) || tenancies || tenants || kostra || cases {
                    return Err("over stays, a count names a figure and a share a figure and what it is of");
                }
            }
            Population::Tenants => {
                if !counted(d.tenant_figure.is_some(), d.tenant_of.is_some()) || stays || tenancies || kostra || cases {
                    return Err(
                        "over tenants, a count names a tenant_figure and a share a tenant_figure and its tenant_of",
                    );
                }
                let needs_horizon = [d.tenant_figure, d.tenant_of]
                    .into_iter()
                    .flatten()
                    .any(TenantFigure::needs_horizon);
                if needs_horizon != d.within_months.is_some() {
                    return Err("within_months belongs to expiring contracts, and they need it");
                }
                if d.within_months
                    .is_some_and(|m| m == 0 || m > tenants::MAX_WITHIN_MONTHS)
                {
                    return Err("within_months is from 1 to 12");
                }
            }
            Population::Kostra => {
                if d.measure != Measure::Count || stays || tenancies || tenants || cases {
                    return Err("over KOSTRA, a definition is a count that names a kostra_figure");
                }
                let known = d
                    .kostra_figure
                    .as_deref()
                    .is_some_and(|key| KOSTRA_MOVE_IN_FIGURES.contains(&key));
                if !known {
                    return Err("kostra_figure names no new-tenant count on KOSTRA skjema 13");
                }
            }
            Population::Outreach => {
                if d.measure != Measure::Count || stays || tenancies || tenants || kostra || cases {
                    return Err("over outreach, a definition is a count of the households reached");
                }
            }
            Population::Cases => {
                if stays {
                    return Err("figure and of belong to stays");
                }
                if tenancies {
                    return Err("tenancy_figure and tenancy_of belong to tenancies");
                }
                if tenants || kostra {
                    return Err("tenant_figure, within_months and kostra_figure belong to their populations");
                }
                if (d.measure == Measure::Share) == d.share_of.is_empty() {
                    return Err("share_of belongs to a share, and a share needs it");
                }
                if d.measure == Measure::MedianDays && !d.conditions.contains(&Condition::Decided) {
                    return Err("a median of days to decision counts decided cases");
                }
                if d.measure == Measure::MedianDaysWaiting
                    && (d.year_by != YearBy::Now || !d.conditions.contains(&Condition::OnWaitingList))
                {
                    return Err("a median of days waited counts the waiting list now");
                }
                // The store reads, besides this year's cases, only those on the waiting list now.
                if d.year_by == YearBy::Now && !d.conditions.contains(&Condition::OnWaitingList) {
                    return Err("a figure of today counts the waiting list");
                }
            }
        }
        Ok(())
    }

    pub fn unit(&self) -> Unit {
        match self.measure {
            Measure::Count => Unit::Count,
            Measure::Share => Unit::Percent,
            Measure::MedianDays | Measure::MedianDaysWaiting => Unit::Days,
        }
    }
}

/// A source a definition cites.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// The built-in definitions and their sources.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definitions {
    pub sources: Vec<Source>,
    #[serde(rename = "indicator")]
    pub all: Vec<Definition>,
}

static DEFINITIONS: LazyLock<Definitions> =
    LazyLock::new(|| Definitions::parse(EMBEDDED).expect("rules/indicators.toml is valid"));

impl Definitions {
    /// The definitions shipped with this build.
    pub fn embedded() -> &'static Definitions {
        &DEFINITIONS
    }

    /// Reads a definitions file and checks it: unique keys, cited sources, a share with a
    /// numerator, a median over decided cases.
    pub fn parse(text: &str) -> Result<Definitions, String> {
        let definitions: Definitions = toml::from_str(text).map_err(|e| e.to_string())?;
        for (index, definition) in definitions.all.iter().enumerate() {
            let key = &definition.key;
            if definitions.all[..index].iter().any(|d| &d.key == key) {
                return Err(format!("indicator {key}: defined twice"));
            }
            if !definitions.sources.iter().any(|s| s.id == definition.source) {
                return Err(format!("indicator {key}: unknown source {:?}", definition.source));
            }
            definition
                .check_shape()
                .map_err(|why| format!("indicator {key}: {why}"))?;
        }
        Ok(definitions)
    }

    pub fn get(&self, key: &str) -> Option<&Definition> {
        self.all.iter().find(|d| d.key == key)
    }

    /// Key, unit and better direction of each: what an indicator form offers.
    pub fn choices(&self) -> Vec<(&str, Unit, Direction)> {
        self.all.iter().map(|d| (d.key.as_str(), d.unit(), d.better)).collect()
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// An indicator's value for a year, with what it was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value {
    pub figure: Figure,
    /// The cases counted (the denominator of a share).
    pub cases: i64,
    /// For a share: the cases in the numerator.
    pub numerator: Option<i64>,
}

/// What the definitions count: the cases' facts, the stays in temporary accommodation, the
/// ended and the running rental contracts, and what KOSTRA skjema 13 is computed from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    pub cases: &'a [CaseFact],
    pub stays: &'a [Stay],
    pub tenancies: &'a [EndedTenancy],
    pub tenants: &'a [TenantFact],
    pub kostra: Option<&'a KostraFacts>,
    pub outreach: &'a [OutreachContactFact],
}

/// The counts of KOSTRA skjema 13 a definition over KOSTRA may name: the new tenants, which
/// the store reads from the households that moved in alone (`Store::kostra_move_in_facts`); the
/// form's other figures need every application and its timeline, too much for a dashboard.
pub const KOSTRA_MOVE_IN_FIGURES: [&str; 6] = [
    "new_tenants",
    "new_tenants_refugee",
    "new_tenants_mental_health_or_substance_use",
    "new_tenants_adapted_dwelling",
    "new_tenants_other",
    "new_tenants_unclassified",
];

/// Evaluates `definition` for `year` over `facts`, as seen on `today`. `None` when there is no
/// value: a share or a median with nothing to compute it from, or a "now" figure asked for
/// another year than the current one. Over stays, `cases` in the value counts households.
pub fn evaluate(definition: &Definition, facts: Facts<'_>, year: i32, today: Date) -> Option<Value> {
    match definition.over {
        Population::Stays => return evaluate_stays(definition, facts.stays, year, today),
        Population::Tenancies => return evaluate_tenancies(definition, facts.tenancies, year, today),
        Population::Tenants => return evaluate_tenants(definition, facts.tenants, year, today),
        Population::Kostra => return evaluate_kostra(definition, facts, year, today),
        Population::Outreach => return Some(evaluate_outreach(facts.outreach, year, today)),
        Population::Cases => {}
    }
    if definition.year_by == YearBy::Now && year != today.year() {
        return None;
    }
    let counted = counted_cases(definition, facts.cases, year, today);
    match definition.measure {
        Measure::Count => {
            let cases = counted.count() as i64;
            Some(Value {
                figure: Figure::whole(cases),
                cases,
                numerator: None,
            })
        }
        Measure::Share => {
            let (mut cases, mut numerator) = (0i64, 0i64);
            for fact in counted {
                cases += 1;
                numerator += i64::from(definition.in_numerator(fact, today));
            }
            Figure::percent(numerator, cases).map(|figure| Value {
                figure,
                cases,
                numerator: Some(numerator),
            })
        }
        Measure::MedianDays => {
            let mut days: Vec<i64> = counted
                .filter_map(|fact| Some((fact.decided_on? - fact.received_on).whole_days()))
                .collect();
            median_hundredths(&mut days).map(|figure| Value {
                figure,
                cases: days.len() as i64,
                numerator: None,
            })
        }
        Measure::MedianDaysWaiting => {
            // From the grant (the decision that placed the case on the list) to today.
            let mut days: Vec<i64> = counted
                .map(|fact| (today - fact.decided_on.unwrap_or(fact.received_on)).whole_days())
                .collect();
            median_hundredths(&mut days).map(|figure| Value {
                figure,
                cases: days.len() as i64,
                numerator: None,
            })
        }
    }
}

/// The cases a definition over cases counts for `year`, as seen on `today`: what a drill-down
/// lists behind a value. Empty for a definition over stays, or a "now" figure of another year.
pub fn counted_cases<'a>(
    definition: &'a Definition,
    facts: &'a [CaseFact],
    year: i32,
    today: Date,
) -> impl Iterator<Item = &'a CaseFact> + 'a {
    let applies = definition.over == Population::Cases && (definition.year_by != YearBy::Now || year == today.year());
    facts.iter().filter(move |fact| {
        applies
            && (definition.types.is_empty() || definition.types.contains(&fact.case_type))
            && in_year(definition.year_by, fact, year)
            && definition.conditions.iter().all(|c| c.holds(fact, today))
    })
}

impl Definition {
    /// For a share: whether a counted case is in the numerator.
    pub fn in_numerator(&self, fact: &CaseFact, today: Date) -> bool {
        self.measure == Measure::Share && self.share_of.iter().all(|c| c.holds(fact, today))
    }
}

fn evaluate_stays(definition: &Definition, stays: &[Stay], year: i32, today: Date) -> Option<Value> {
    let figures = crate::stays::figures(year, today, stays);
    count_or_share(
        definition.measure,
        definition.figure?.of(&figures),
        definition.of.map(|of| of.of(&figures)),
    )
}

/// A count of `counted`, or for a share `counted` as a share of `whole` (none of nothing).
fn count_or_share(measure: Measure, counted: i64, whole: Option<i64>) -> Option<Value> {
    match (measure, whole) {
        (Measure::Share, Some(whole)) => Figure::percent(counted, whole).map(|figure| Value {
            figure,
            cases: whole,
            numerator: Some(counted),
        }),
        _ => Some(Value {
            figure: Figure::whole(counted),
            cases: counted,
            numerator: None,
        }),
    }
}

/// Over the contracts ended in `year` up to `today` (an end registered ahead, on its move-out
/// day, counts from that day).
fn evaluate_tenancies(definition: &Definition, tenancies: &[EndedTenancy], year: i32, today: Date) -> Option<Value> {
    let ended = || {
        tenancies
            .iter()
            .filter(move |t| t.ended_on.year() == year && t.ended_on <= today)
    };
    let count = |figure: TenancyFigure| ended().filter(|t| figure.counts(t)).count() as i64;
    count_or_share(
        definition.measure,
        count(definition.tenancy_figure?),
        definition.tenancy_of.map(count),
    )
}

/// Over the contracts running today: a value for the current year only.
fn evaluate_tenants(definition: &Definition, tenants: &[TenantFact], year: i32, today: Date) -> Option<Value> {
    if year != today.year() {
        return None;
    }
    let within = definition.within_months.unwrap_or(0);
    let count = |figure: TenantFigure| tenants::count(figure, tenants, today, within);
    count_or_share(
        definition.measure,
        count(definition.tenant_figure?),
        definition.tenant_of.map(count),
    )
}

/// A count of KOSTRA skjema 13 for `year`, as the KOSTRA page computes it.
fn evaluate_kostra(definition: &Definition, facts: Facts<'_>, year: i32, today: Date) -> Option<Value> {
    let key = definition.kostra_figure.as_deref()?;
    let form = kostra_form::compute(year, today, facts.kostra?, facts.stays)?;
    let counted = form.rows.iter().find(|row| row.key == key)?.value?;
    count_or_share(Measure::Count, counted, None)
}

/// The households reached in `year` up to `today`, each once.
fn evaluate_outreach(contacts: &[OutreachContactFact], year: i32, today: Date) -> Value {
    let reached: std::collections::BTreeSet<crate::HouseholdId> = contacts
        .iter()
        .filter(|c| c.reached && c.contacted_on.year() == year && c.contacted_on <= today)
        .map(|c| c.household)
        .collect();
    count_or_share(Measure::Count, reached.len() as i64, None).expect("a count has a value")
}

/// How many earlier years the snapshot job fills in from the data where none were taken (a
/// municipality starting with Husly, or history brought in by import): the span a trend shows.
pub const BACKFILL_YEARS: i32 = 10;

/// The years whose values the daily snapshot job takes on `today`: this year, and every earlier
/// year back to the first year with data (an application or a stay; at most [`BACKFILL_YEARS`])
/// that has no snapshot yet. A past year once taken is left as it was seen, even when its data
/// is corrected later.
pub fn snapshot_years(today: Date, first_data_year: Option<i32>, years_taken: &[i32]) -> Vec<i32> {
    let this_year = today.year();
    let first = first_data_year
        .unwrap_or(this_year)
        .clamp(this_year - BACKFILL_YEARS, this_year);
    (first..this_year)
        .filter(|year| !years_taken.contains(year))
        .chain(std::iter::once(this_year))
        .collect()
}

fn in_year(year_by: YearBy, fact: &CaseFact, year: i32) -> bool {
    match year_by {
        YearBy::Received => fact.received_on.year() == year,
        YearBy::Decided => fact.decided_on.is_some_and(|d| d.year() == year),
        YearBy::Now => true,
    }
}

/// The median of whole days, exact in hundredths (the mean of the two middle values when even).
fn median_hundredths(days: &mut [i64]) -> Option<Figure> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let middle = days.len() / 2;
    Some(if days.len() % 2 == 1 {
        Figure::whole(days[middle])
    } else {
        Figure((days[middle - 1] + days[middle]) * 50)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 03);

    fn fact(case_type: CaseType, received: Date) -> CaseFact {
        CaseFact {
            case: CaseId(uuid::Uuid::now_v7()),
            reference: format!("{}-000001", received.year()),
            case_type,
            state: CaseState::Received,
            received_on: received,
            decided_on: None,
            outcome: None,
            interim_due: None,
            interim_sent_on: None,
            children: false,
            existing_tenant: false,
            appealed: false,
        }
    }

    fn decided(mut fact: CaseFact, on: Date, outcome: Outcome) -> CaseFact {
        fact.decided_on = Some(on);
        fact.outcome = Some(outcome);
        fact.state = match outcome {
            Outcome::Refused => CaseState::Refused,
            _ => fact.case_type.granted_state(),
        };
        fact
    }

    #[test]
    fn the_snapshot_job_takes_this_year_and_fills_in_missing_past_years() {
        // A new installation with history from 2019: every past year once, then this year.
        assert_eq!(
            snapshot_years(TODAY, Some(2019), &[]),
            vec![2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]
        );
        // The next day only this year; a year missed in between is filled in.
        assert_eq!(
            snapshot_years(TODAY, Some(2019), &[2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]),
            vec![2026]
        );
        assert_eq!(snapshot_years(TODAY, Some(2024), &[2024, 2026]), vec![2025, 2026]);
        // At most ten years back; no cases, or cases only this year: this year alone.
        assert_eq!(snapshot_years(TODAY, Some(1990), &[]).first(), Some(&2016));
        assert_eq!(snapshot_years(TODAY, None, &[]), vec![2026]);
        // A first case dated in the future (a data error) does not stop this year's value.
        assert_eq!(snapshot_years(TODAY, Some(2030), &[]), vec![2026]);
    }

    #[test]
    fn the_appealed_share_counts_the_years_decided_cases_with_an_appeal() {
        let definition = Definitions::embedded().get("appealed_share").expect("defined");
        let mut appealed = decided(
            fact(CaseType::MunicipalHousing, date!(2026 - 01 - 10)),
            date!(2026 - 02 - 01),
            Outcome::Refused,
        );
        appealed.appealed = true;
        let cases = [
            appealed,
            decided(
                fact(CaseType::Startlan, date!(2026 - 03 - 01)),
                date!(2026 - 03 - 20),
                Outcome::Granted,
            ),
            // Decided the year before, and not decided: not counted.
            decided(
                fact(CaseType::Startlan, date!(2025 - 03 - 01)),
                date!(2025 - 03 - 20),
                Outcome::Granted,
            ),
            fact(CaseType::MunicipalHousing, date!(2026 - 05 - 01)),
        ];
        let facts = Facts {
            cases: &cases,
            ..Facts::default()
        };
        let value = evaluate(definition, facts, 2026, TODAY).expect("a value");
        assert_eq!(
            (value.figure, value.cases, value.numerator),
            (Figure(5_000), 2, Some(1))
        );
    }

    /// A fixed municipality: eight cases whose figures are counted by hand below.
    fn dataset() -> Vec<CaseFact> {
        use CaseType::*;
        let mut with_children = decided(
            fact(MunicipalHousing, date!(2026 - 01 - 10)),
            date!(2026 - 02 - 09),
            Outcome::Granted,
        );
        with_children.children = true;
        let mut tenant = fact(MunicipalHousing, date!(2026 - 03 - 01));
        tenant.existing_tenant = true;
        let mut late = fact(MunicipalHousing, date!(2026 - 04 - 01));
        late.interim_due = Some(date!(2026 - 05 - 01));
        let mut answered = decided(
            fact(Section6Assistance, date!(2026 - 05 - 01)),
            date!(2026 - 07 - 10),
            Outcome::PartlyGranted,
        );
        answered.interim_due = Some(date!(2026 - 06 - 01));
        answered.interim_sent_on = Some(date!(2026 - 05 - 28));
        let mut startlan_family = decided(
            fact(Startlan, date!(2026 - 06 - 01)),
            date!(2026 - 06 - 21),
            Outcome::Granted,
        );
        startlan_family.children = true;
        vec![
            with_children, // 30 days
            decided(
                fact(MunicipalHousing, date!(2026 - 02 - 01)),
                date!(2026 - 03 - 13),
                Outcome::Refused,
            ), // 40 days
            decided(
                fact(MunicipalHousing, date!(2025 - 11 - 20)),
                date!(2026 - 01 - 09),
                Outcome::Refused,
            ), // 50 days
            tenant,
            late,
            answered,        // 70 days
            startlan_family, // 20 days
            decided(
                fact(Startlan, date!(2025 - 03 - 01)),
                date!(2025 - 03 - 31),
                Outcome::Granted,
            ),
        ]
    }

    fn value(key: &str, year: i32) -> Option<Value> {
        let definition = Definitions::embedded()
            .get(key)
            .unwrap_or_else(|| panic!("{key} is built in"));
        evaluate(
            definition,
            Facts {
                cases: &dataset(),
                stays: &stays(),
                tenancies: &ended_tenancies(),
                tenants: &running_tenants(),
                kostra: Some(&kostra_facts()),
                outreach: &outreach_contacts(),
            },
            year,
            TODAY,
        )
    }

    fn figure(key: &str, year: i32) -> Option<Figure> {
        value(key, year).map(|v| v.figure)
    }

    #[test]
    fn built_in_indicators_match_the_figures_counted_by_hand() {
        // New housing applications received in 2026: four, the tenant's not among them.
        assert_eq!(figure("housing_applications_new", 2026), Some(Figure::whole(3)));
        // Housing decisions in 2026 for new applicants: three, two refused.
        let refused = value("housing_refused_share", 2026).unwrap();
        assert_eq!((refused.numerator, refused.cases), (Some(2), 3));
        assert_eq!(refused.figure, Figure(6_667));
        // On the waiting list now: the family; asked for last year, no value.
        assert_eq!(figure("waiting_list_now", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("waiting_list_children_now", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("waiting_list_now", 2025), None);
        // Days to decision for decisions in 2026: 20, 30, 40, 50, 70 → 40.
        assert_eq!(figure("median_days_to_decision", 2026), Some(Figure::whole(40)));
        // 2025: one decision of 30 days.
        assert_eq!(figure("median_days_to_decision", 2025), Some(Figure::whole(30)));
        // § 11 a: the April case, unanswered since 1 May; the § 6 case was answered in time.
        assert_eq!(figure("interim_answers_missed", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("section6_granted", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("startlan_granted", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("startlan_granted_families", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("startlan_granted", 2025), Some(Figure::whole(1)));
        assert_eq!(figure("grants_granted", 2026), Some(Figure::ZERO));
        // A share or a median over no case has no value (not 0 %).
        assert_eq!(figure("housing_refused_share", 2024), None);
        assert_eq!(figure("median_days_to_decision", 2024), None);
    }

    /// Three households in temporary accommodation in 2026, counted by hand: a family for four
    /// months, a young man for a week, and a family for ten days in 2025 only.
    fn stays() -> Vec<Stay> {
        let stay = |from: Date, to: Option<Date>, with_children: bool, born: Date| Stay {
            id: format!("{from}"),
            household: crate::HouseholdId::new(),
            place: "Hybelhuset".into(),
            from,
            to,
            end_reason: None,
            with_children,
            main_person_born: Some(born),
            provider: None,
            address_protected: false,
            nightly_cost_ore: None,
            quality_remarks: None,
            main_person_name: None,
        };
        vec![
            stay(
                date!(2026 - 02 - 01),
                Some(date!(2026 - 06 - 15)),
                true,
                date!(1985 - 01 - 01),
            ),
            stay(
                date!(2026 - 09 - 01),
                Some(date!(2026 - 09 - 08)),
                false,
                date!(2004 - 05 - 05),
            ),
            stay(
                date!(2025 - 03 - 01),
                Some(date!(2025 - 03 - 11)),
                true,
                date!(1990 - 01 - 01),
            ),
        ]
    }

    /// Contracts ended around 2026, counted by hand below.
    fn ended_tenancies() -> Vec<EndedTenancy> {
        let ended = |ended_on: Date, bought_own_home: bool, with_startlan_case: bool| EndedTenancy {
            ended_on,
            bought_own_home,
            with_startlan_case,
        };
        vec![
            ended(date!(2026 - 01 - 01), true, true),
            ended(date!(2026 - 05 - 15), true, false),
            ended(date!(2026 - 06 - 30), false, false),
            ended(date!(2026 - 12 - 03), false, false),
            // The year before, and a move-out registered ahead (after today): not this year's yet.
            ended(date!(2025 - 12 - 31), true, true),
            ended(date!(2026 - 12 - 31), true, true),
        ]
    }

    #[test]
    fn rent_to_own_indicators_count_the_contracts_ended_by_buying_a_home() {
        assert_eq!(figure("rent_to_own_households", 2026), Some(Figure::whole(2)));
        assert_eq!(figure("rent_to_own_with_startlan", 2026), Some(Figure::whole(1)));
        let share = value("rent_to_own_share", 2026).unwrap();
        assert_eq!(
            (share.numerator, share.cases, share.figure),
            (Some(2), 4, Figure::whole(50))
        );
        assert_eq!(figure("rent_to_own_households", 2025), Some(Figure::whole(1)));
        assert_eq!(figure("rent_to_own_share", 2025), Some(Figure::whole(100)));
        // No contract ended in 2024: none bought, and a share of nothing has no value.
        assert_eq!(figure("rent_to_own_households", 2024), Some(Figure::ZERO));
        assert_eq!(figure("rent_to_own_share", 2024), None);
    }

    /// Five contracts running on 3 December 2026, counted by hand below.
    fn running_tenants() -> Vec<TenantFact> {
        let tenant = |term_end: Option<Date>, renewal_decided: bool, arrears: bool, plan: bool| TenantFact {
            term_end,
            renewal_decided,
            arrears_over_threshold: arrears,
            follow_up_plan: plan,
        };
        vec![
            // Ends in February, no decision: expiring (and in arrears, with a plan).
            tenant(Some(date!(2027 - 02 - 28)), false, true, true),
            // Ran out in November and is still open, no decision: expiring.
            tenant(Some(date!(2026 - 11 - 30)), false, false, false),
            // Ends in January, renewal decided: not expiring.
            tenant(Some(date!(2027 - 01 - 15)), true, false, true),
            // Ends in April: beyond three months.
            tenant(Some(date!(2027 - 04 - 01)), false, true, false),
            // Indefinite.
            tenant(None, false, false, false),
        ]
    }

    #[test]
    fn tenant_indicators_count_the_contracts_running_today() {
        assert_eq!(figure("tenants_now", 2026), Some(Figure::whole(5)));
        assert_eq!(figure("contracts_expiring_undecided", 2026), Some(Figure::whole(2)));
        assert_eq!(figure("tenants_in_arrears", 2026), Some(Figure::whole(2)));
        let share = value("tenants_in_arrears_share", 2026).unwrap();
        assert_eq!(
            (share.numerator, share.cases, share.figure),
            (Some(2), 5, Figure::whole(40))
        );
        assert_eq!(figure("tenants_with_follow_up_plan", 2026), Some(Figure::whole(2)));
        // Today's state says nothing of last year: no value (the snapshot kept that one).
        assert_eq!(figure("tenants_now", 2025), None);
        // No contract running: a count of none, and a share of nothing has no value.
        let definition = Definitions::embedded().get("tenants_in_arrears_share").unwrap();
        assert_eq!(evaluate(definition, Facts::default(), 2026, TODAY), None);
        let definition = Definitions::embedded().get("tenants_now").unwrap();
        assert_eq!(
            evaluate(definition, Facts::default(), 2026, TODAY).map(|v| v.figure),
            Some(Figure::ZERO)
        );
    }

    /// Three new tenants in 2026 (a refugee, one with a mental illness and one not yet
    /// classified) and one in 2025, counted by hand below.
    fn kostra_facts() -> KostraFacts {
        use crate::kostra::KostraCategory;
        use crate::kostra_form::KostraCase;
        let mut tenancy_starts = Vec::new();
        let mut moved = |category: Option<KostraCategory>, granted: Date, moved_in: Date| {
            let household = crate::HouseholdId::new();
            tenancy_starts.push((household, moved_in));
            KostraCase {
                id: CaseId(uuid::Uuid::now_v7()),
                reference: format!("{}-000002", granted.year()),
                household,
                received_on: granted - time::Duration::days(30),
                existing_tenant: false,
                category,
                first_decision: Some((granted, Outcome::Granted)),
                granted_on: Some(granted),
                state: CaseState::Closed,
                history: Vec::new(),
            }
        };
        let cases = vec![
            moved(
                Some(KostraCategory::Refugee),
                date!(2026 - 02 - 01),
                date!(2026 - 03 - 01),
            ),
            moved(
                Some(KostraCategory::MentalHealthOrSubstanceUse),
                date!(2026 - 04 - 01),
                date!(2026 - 05 - 01),
            ),
            moved(None, date!(2026 - 06 - 01), date!(2026 - 06 - 15)),
            moved(
                Some(KostraCategory::Refugee),
                date!(2025 - 05 - 01),
                date!(2025 - 06 - 01),
            ),
        ];
        KostraFacts {
            cases,
            tenancy_starts,
            dwellings: Vec::new(),
        }
    }

    #[test]
    fn new_tenants_by_main_reason_are_the_kostra_counts() {
        assert_eq!(figure("new_tenants", 2026), Some(Figure::whole(3)));
        assert_eq!(figure("new_tenants_refugee", 2026), Some(Figure::whole(1)));
        assert_eq!(
            figure("new_tenants_mental_health_or_substance_use", 2026),
            Some(Figure::whole(1))
        );
        assert_eq!(figure("new_tenants_adapted_dwelling", 2026), Some(Figure::ZERO));
        assert_eq!(figure("new_tenants_other", 2026), Some(Figure::ZERO));
        assert_eq!(figure("new_tenants_refugee", 2025), Some(Figure::whole(1)));
        // A year that has not begun has no value.
        assert_eq!(figure("new_tenants", 2027), None);
    }

    /// Contacts from the outreach list, counted by hand below.
    fn outreach_contacts() -> Vec<OutreachContactFact> {
        let (a, b, c) = (
            crate::HouseholdId::new(),
            crate::HouseholdId::new(),
            crate::HouseholdId::new(),
        );
        let contact = |household, contacted_on, reached| OutreachContactFact {
            household,
            contacted_on,
            reached,
        };
        vec![
            // Reached twice in 2026 (two lists): one household.
            contact(a, date!(2026 - 02 - 10), true),
            contact(a, date!(2026 - 09 - 10), true),
            // Not reached in 2026; reached in 2025.
            contact(b, date!(2026 - 03 - 01), false),
            contact(b, date!(2025 - 11 - 01), true),
            contact(c, date!(2026 - 12 - 01), true),
        ]
    }

    #[test]
    fn outreach_counts_each_household_reached_in_the_year_once() {
        assert_eq!(figure("bostotte_outreach_reached", 2026), Some(Figure::whole(2)));
        assert_eq!(figure("bostotte_outreach_reached", 2025), Some(Figure::whole(1)));
        assert_eq!(figure("bostotte_outreach_reached", 2024), Some(Figure::ZERO));
    }

    #[test]
    fn the_kostra_figures_an_indicator_may_name_are_counts_on_the_form() {
        let form = kostra_form::compute(2026, TODAY, &KostraFacts::default(), &[]).unwrap();
        for key in KOSTRA_MOVE_IN_FIGURES {
            let row = form
                .rows
                .iter()
                .find(|r| r.key == key)
                .unwrap_or_else(|| panic!("{key}"));
            assert_eq!(row.unit, kostra_form::Unit::Count, "{key}");
        }
    }

    #[test]
    fn the_median_wait_runs_from_the_grant_to_today() {
        // The family granted on 9 February 2026 has waited 297 days on 3 December.
        assert_eq!(figure("median_days_waiting", 2026), Some(Figure::whole(297)));
        assert_eq!(figure("median_days_waiting", 2025), None);
    }

    #[test]
    fn definitions_over_tenants_and_kostra_are_shaped_as_such() {
        let text = |body: &str| {
            format!(
                "[[sources]]\nid = \"s\"\ntitle = \"t\"\nurl = \"\"\n[[indicator]]\nkey = \"k\"\nbetter = \"increase\"\nsource = \"s\"\n{body}"
            )
        };
        let refused = [
            ("measure = \"count\"\nover = \"tenants\"", "tenant_figure"),
            (
                "measure = \"count\"\nover = \"tenants\"\ntenant_figure = \"expiring_without_renewal_decision\"",
                "within_months",
            ),
            (
                "measure = \"count\"\nover = \"tenants\"\ntenant_figure = \"running\"\nwithin_months = 3",
                "within_months",
            ),
            (
                "measure = \"count\"\nover = \"tenants\"\ntenant_figure = \"expiring_without_renewal_decision\"\nwithin_months = 13",
                "from 1 to 12",
            ),
            (
                "measure = \"share\"\nover = \"tenants\"\ntenant_figure = \"in_arrears\"",
                "tenant_of",
            ),
            (
                "measure = \"count\"\nover = \"tenants\"\ntenant_figure = \"running\"\ntenancy_figure = \"ended\"",
                "tenant_figure",
            ),
            (
                "measure = \"count\"\nover = \"kostra\"\nkostra_figure = \"villas\"",
                "no new-tenant count",
            ),
            (
                "measure = \"count\"\nover = \"kostra\"\nkostra_figure = \"waiting_list\"",
                "no new-tenant count",
            ),
            (
                "measure = \"share\"\nover = \"kostra\"\nkostra_figure = \"new_tenants\"",
                "is a count",
            ),
            (
                "measure = \"count\"\nkostra_figure = \"new_tenants\"",
                "belong to their populations",
            ),
            (
                "measure = \"median_days_waiting\"\nyear_by = \"received\"\nwhere = [\"on_waiting_list\"]",
                "days waited",
            ),
        ];
        for (body, why) in refused {
            let error = Definitions::parse(&text(body)).unwrap_err();
            assert!(error.contains(why), "{body}: {error}");
        }
        for fine in [
            "measure = \"share\"\nover = \"tenants\"\ntenant_figure = \"expiring_without_renewal_decision\"\ntenant_of = \"running\"\nwithin_months = 6",
            "measure = \"count\"\nover = \"kostra\"\nkostra_figure = \"new_tenants_unclassified\"",
        ] {
            assert!(Definitions::parse(&text(fine)).is_ok(), "{fine}");
        }
    }

    #[test]
    fn a_definition_over_tenancies_is_shaped_as_one() {
        let text = |body: &str| {
            format!(
                "[[sources]]\nid = \"s\"\ntitle = \"t\"\nurl = \"\"\n[[indicator]]\nkey = \"k\"\nbetter = \"increase\"\nsource = \"s\"\n{body}"
            )
        };
        let refused = [
            "measure = \"count\"\nover = \"tenancies\"",
            "measure = \"share\"\nover = \"tenancies\"\ntenancy_figure = \"bought_own_home\"",
            "measure = \"count\"\nover = \"tenancies\"\ntenancy_figure = \"ended\"\nfigure = \"households\"",
            "measure = \"count\"\nover = \"tenancies\"\ntenancy_figure = \"ended\"\nwhere = [\"decided\"]",
            "measure = \"count\"\ntenancy_figure = \"ended\"",
        ];
        for body in refused {
            assert!(Definitions::parse(&text(body)).is_err(), "{body}");
        }
        let fine =
            "measure = \"share\"\nover = \"tenancies\"\ntenancy_figure = \"bought_own_home\"\ntenancy_of = \"ended\"";
        assert!(Definitions::parse(&text(fine)).is_ok());
    }

    #[test]
    fn stay_indicators_count_households_as_kostra_does() {
        assert_eq!(figure("temporary_households", 2026), Some(Figure::whole(2)));
        let long = value("temporary_over_3_months_share", 2026).unwrap();
        assert_eq!(
            (long.numerator, long.cases, long.figure),
            (Some(1), 2, Figure::whole(50))
        );
        assert_eq!(figure("temporary_families_with_children", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("temporary_aged_18_to_25", 2026), Some(Figure::whole(1)));
        assert_eq!(figure("temporary_families_with_children", 2025), Some(Figure::whole(1)));
        // No household stayed in 2024: a count of none, and a share of nothing has no value.
        assert_eq!(figure("temporary_households", 2024), Some(Figure::ZERO));
        assert_eq!(figure("temporary_over_3_months_share", 2024), None);
    }

    #[test]
    fn an_even_number_of_cases_has_the_mean_of_the_middle_two_as_median() {
        assert_eq!(median_hundredths(&mut [10, 41, 20, 30]), Some(Figure(2_500)));
        assert_eq!(median_hundredths(&mut [1, 2]), Some(Figure(150)));
        assert_eq!(median_hundredths(&mut []), None);
    }

    #[test]
    fn an_interim_answer_is_missed_when_nothing_came_by_the_day_it_was_due() {
        let mut case = fact(CaseType::MunicipalHousing, date!(2026 - 01 - 01));
        case.interim_due = Some(date!(2026 - 02 - 01));
        assert!(!case.interim_missed(date!(2026 - 02 - 01)));
        assert!(case.interim_missed(date!(2026 - 02 - 02)));
        case.decided_on = Some(date!(2026 - 01 - 30));
        assert!(!case.interim_missed(date!(2026 - 12 - 01)));
        case.decided_on = Some(date!(2026 - 02 - 10));
        case.interim_sent_on = Some(date!(2026 - 02 - 01));
        assert!(!case.interim_missed(date!(2026 - 12 - 01)));
        case.interim_sent_on = Some(date!(2026 - 02 - 05));
        assert!(case.interim_missed(date!(2026 - 12 - 01)));
    }

    #[test]
    fn a_definitions_file_is_checked_when_read() {
        let base = "[[sources]]\nid = \"local\"\ntitle = \"t\"\nurl = \"\"\n";
        let one = |body: &str| format!("{base}[[indicator]]\nkey = \"k\"\n{body}");
        let count = "measure = \"count\"\ntypes = []\nyear_by = \"received\"\nbetter = \"increase\"\n";
        assert!(Definitions::parse(&one(&format!("{count}source = \"local\"\n"))).is_ok());
        for (bad, why) in [
            (one(&format!("{count}source = \"nowhere\"\n")), "unknown source"),
            (
                one(
                    "measure = \"share\"\ntypes = []\nyear_by = \"received\"\nbetter = \"increase\"\nsource = \"local\"\n",
                ),
                "share_of",
            ),
            (
                one(
                    "measure = \"median_days\"\ntypes = []\nyear_by = \"decided\"\nbetter = \"decrease\"\nsource = \"local\"\n",
                ),
                "decided",
            ),
            (
                one(
                    "measure = \"share\"\nover = \"stays\"\nfigure = \"households\"\nbetter = \"decrease\"\nsource = \"local\"\n",
                ),
                "over stays",
            ),
            (
                one("measure = \"count\"\ntypes = []\nyear_by = \"now\"\nbetter = \"decrease\"\nsource = \"local\"\n"),
                "waiting list",
            ),
            (
                one(
                    "measure = \"count\"\ntypes = [\"villa\"]\nyear_by = \"received\"\nbetter = \"increase\"\nsource = \"local\"\n",
                ),
                "unknown case type",
            ),
            (
                format!(
                    "{}[[indicator]]\nkey = \"k\"\n{count}source = \"local\"\n",
                    one(&format!("{count}source = \"local\"\n"))
                ),
                "defined twice",
            ),
        ] {
            let error = Definitions::parse(&bad).unwrap_err();
            assert!(error.contains(why), "{why}: {error}");
        }
    }

    #[test]
    fn every_built_in_definition_cites_a_source() {
        let definitions = Definitions::embedded();
        assert!(definitions.all.len() >= 10);
        for definition in &definitions.all {
            assert!(definitions.source(&definition.source).is_some(), "{}", definition.key);
        }
    }
}
