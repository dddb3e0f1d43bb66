//! A goal's dashboard: each indicator's value this year, its status, and its trend over the
//! years, past years from the daily snapshots (the value as it stood at the year's end) and this
//! year computed now; and the drill-down from a value to what it counts, as far as the reader's
//! role allows: the count by month and state for everyone who follows the plan, the cases
//! themselves (an audited read) for those who may open cases.

use std::collections::HashMap;

use husly_domain::action_plan::Figure;
use husly_domain::authz::Action;
use husly_domain::cases::{CaseState, CaseType};
use husly_domain::indicators::{Definition, Definitions, Population, YearBy, counted_cases};
use husly_domain::{CaseId, MunicipalityId};
use husly_store::action_plans::{Goal, Indicator, Plan, PlanSummary};
use serde_json::json;
use time::Date;

use crate::action_plan::{IndicatorView, definitions_of, indicator_view, plan_owner};
use crate::indicator_values::{LoadedFacts, Values, values};
use crate::{Ctx, UseCaseError, UseCaseResult};

/// Where a point of a trend comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointSource {
    /// The snapshot that held at the year's end, taken on that day (a year that ended before
    /// snapshots were kept has the first one taken afterwards).
    Snapshot { taken_on: Date },
    /// Computed from the data now: this year, or a past year no snapshot was taken of.
    Computed,
    /// Reported by hand.
    Reported,
}

/// An indicator's value for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendPoint {
    pub year: i32,
    pub value: Figure,
    pub source: PointSource,
}

/// One indicator on a goal's dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorTrend {
    pub view: IndicatorView,
    /// The years with a value, oldest first.
    pub points: Vec<TrendPoint>,
    /// Its value counts cases, so a drill-down can show them.
    pub counts_cases: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalDashboard {
    pub municipality: MunicipalityId,
    pub summary: PlanSummary,
    pub goal: Goal,
    pub indicators: Vec<IndicatorTrend>,
    /// The years the charts span: from the plan's start (or an earlier baseline or reported
    /// value) to its end.
    pub first_year: i32,
    pub last_year: i32,
    pub year: i32,
    /// When the values not taken from snapshots were computed from the data.
    pub computed_at: Option<time::OffsetDateTime>,
}

/// A goal of a plan with each indicator's trend.
pub async fn goal_dashboard(ctx: &Ctx, plan: &str, goal: &str) -> UseCaseResult<GoalDashboard> {
    let municipality = plan_owner(ctx, plan, Action::ViewActionPlan).await?;
    let Plan { summary, goals } = ctx.store.action_plan(municipality, plan).await?;
    let goal = goals.into_iter().find(|g| g.id == goal).ok_or(UseCaseError::NotFound)?;
    let mut dashboards = dashboards(ctx, municipality, &summary, vec![goal]).await?;
    dashboards.pop().ok_or(UseCaseError::NotFound)
}

/// The whole plan as the yearly status report shows it: every goal's dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanReport {
    pub municipality: MunicipalityId,
    pub summary: PlanSummary,
    pub goals: Vec<GoalDashboard>,
    pub year: i32,
}

/// Every goal of a plan with its indicators' trends and its measures, for the status report.
pub async fn plan_report(ctx: &Ctx, plan: &str) -> UseCaseResult<PlanReport> {
    let municipality = plan_owner(ctx, plan, Action::ViewActionPlan).await?;
    let Plan { summary, goals } = ctx.store.action_plan(municipality, plan).await?;
    let goals = dashboards(ctx, municipality, &summary, goals).await?;
    Ok(PlanReport {
        municipality,
        summary,
        goals,
        year: ctx.today.year(),
    })
}

/// The dashboards of the given goals: one read of the snapshots and, where a past year lacks
/// one, of the facts, for all of them.
async fn dashboards(
    ctx: &Ctx,
    municipality: MunicipalityId,
    summary: &PlanSummary,
    goals: Vec<Goal>,
) -> UseCaseResult<Vec<GoalDashboard>> {
    let (today, year) = (ctx.today, ctx.today.year());
    // From the plan's start, an earlier baseline or an earlier value reported by hand.
    let span_of = |goal: &Goal| {
        let first = goal
            .indicators
            .iter()
            .flat_map(|i| std::iter::once(i.details.baseline_year).chain(i.reported.iter().map(|(y, _)| *y)))
            .fold(summary.heading.period_from, i32::min)
            .min(year);
        (first, summary.heading.period_to.max(year))
    };
    let first_of_all = goals.iter().map(|g| span_of(g).0).min().unwrap_or(year);
    let definitions = definitions_of(goals.iter().flat_map(|g| &g.indicators));
    let keys: Vec<&str> = definitions.iter().map(|d| d.key.as_str()).collect();
    let snapshots: HashMap<(String, i32), (Option<Figure>, Date)> = ctx
        .store
        .year_end_snapshots(municipality, &keys, first_of_all, year - 1)
        .await?
        .into_iter()
        .map(|s| ((s.definition, s.year), (s.value, s.taken_on)))
        .collect();
    // Past years the job has not taken (a new installation before its first run) are computed
    // from the data now, so a trend is never silently short; a year before the first data has no
    // value rather than a zero.
    let first_data = ctx.store.first_data_year(municipality).await?.unwrap_or(year);
    let first_missing = (first_of_all.max(first_data)..year)
        .find(|y| keys.iter().any(|k| !snapshots.contains_key(&(k.to_string(), *y))))
        .unwrap_or(year);
    let values = values(
        (&ctx.store, &ctx.live_values),
        (municipality, ctx.municipality_number(municipality)?),
        &definitions,
        (first_missing, year),
        today,
    )
    .await?;
    Ok(goals
        .into_iter()
        .map(|goal| {
            let (first_year, last_year) = span_of(&goal);
            let indicators = goal
                .indicators
                .iter()
                .map(|indicator| {
                    let definition = indicator
                        .details
                        .definition
                        .as_deref()
                        .and_then(|key| Definitions::embedded().get(key));
                    IndicatorTrend {
                        view: indicator_view(indicator, &values, year, today),
                        points: trend(
                            indicator,
                            definition,
                            &snapshots,
                            &values,
                            (first_year, first_data),
                            year,
                        ),
                        counts_cases: definition.is_some_and(|d| d.over == Population::Cases),
                    }
                })
                .collect();
            GoalDashboard {
                municipality,
                summary: summary.clone(),
                goal,
                indicators,
                first_year,
                last_year,
                year,
                computed_at: values.computed_at,
            }
        })
        .collect())
}

fn trend(
    indicator: &Indicator,
    definition: Option<&Definition>,
    snapshots: &HashMap<(String, i32), (Option<Figure>, Date)>,
    values: &Values,
    (first_year, first_data): (i32, i32),
    this_year: i32,
) -> Vec<TrendPoint> {
    let Some(definition) = definition else {
        return indicator
            .reported
            .iter()
            .filter(|(y, _)| (first_year..=this_year).contains(y))
            .map(|&(year, value)| TrendPoint {
                year,
                value,
                source: PointSource::Reported,
            })
            .collect();
    };
    (first_year..=this_year)
        .filter_map(|year| {
            let snapshot = (year < this_year)
                .then(|| snapshots.get(&(definition.key.clone(), year)))
                .flatten();
            match snapshot {
                Some(&(value, taken_on)) => value.map(|value| TrendPoint {
                    year,
                    value,
                    source: PointSource::Snapshot { taken_on },
                }),
                None if year < first_data => None,
                None => values.value(definition, year).map(|v| TrendPoint {
                    year,
                    value: v.figure,
                    source: PointSource::Computed,
                }),
            }
        })
        .collect()
}

/// One case behind a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedCase {
    pub case: CaseId,
    pub reference: String,
    pub case_type: CaseType,
    pub state: CaseState,
    pub received_on: Date,
    pub decided_on: Option<Date>,
    /// For a share: counted in the numerator.
    pub in_numerator: bool,
}

/// What lies behind an indicator's value for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillDown {
    pub summary: PlanSummary,
    pub goal_id: String,
    pub indicator: Indicator,
    pub year: i32,
    /// The month (1–12) that places each counted case in the year, and how many.
    pub by_month: Vec<(u8, i64)>,
    pub by_state: Vec<(CaseState, i64)>,
    pub counted: i64,
    /// For a share: how many are in the numerator.
    pub numerator: Option<i64>,
    /// The cases, for a reader who may open them; `None` for one who may not.
    pub cases: Option<Vec<CountedCase>>,
}

/// The cases an indicator counts for `year` (this year when `None`): counts for everyone who
/// follows the plan; the list of cases, newest first, for readers who may view cases, recorded as
/// a read. An indicator that counts no cases (reported by hand, or over stays) has none.
pub async fn indicator_cases(ctx: &Ctx, plan: &str, indicator: &str, year: Option<i32>) -> UseCaseResult<DrillDown> {
    let municipality = plan_owner(ctx, plan, Action::ViewActionPlan).await?;
    let Plan { summary, goals } = ctx.store.action_plan(municipality, plan).await?;
    let (goal_id, indicator) = goals
        .into_iter()
        .find_map(|g| {
            let id = g.id;
            g.indicators.into_iter().find(|i| i.id == indicator).map(|i| (id, i))
        })
        .ok_or(UseCaseError::NotFound)?;
    let definition = indicator
        .details
        .definition
        .as_deref()
        .and_then(|key| Definitions::embedded().get(key))
        .filter(|d| d.over == Population::Cases)
        .ok_or(UseCaseError::NotFound)?;
    let today = ctx.today;
    let year = year.unwrap_or(today.year());
    if !(2000..=today.year()).contains(&year) {
        return Err(UseCaseError::Invalid(vec![
            husly_domain::validation::FieldError::new("year", "year.invalid", "error.indicator.report_year")
                .arg("last", today.year()),
        ]));
    }
    let loaded = LoadedFacts::load(
        &ctx.store,
        (municipality, ctx.municipality_number(municipality)?),
        &[definition],
        (year, year),
        today,
    )
    .await?;
    let mut counted: Vec<_> = counted_cases(definition, &loaded.cases, year, today).collect();
    counted.sort_by(|a, b| (b.received_on, &b.reference).cmp(&(a.received_on, &a.reference)));
    let mut by_month = [0i64; 12];
    let mut by_state: Vec<(CaseState, i64)> = Vec::new();
    for fact in &counted {
        let placed = match definition.year_by {
            YearBy::Decided => fact.decided_on.unwrap_or(fact.received_on),
            YearBy::Received | YearBy::Now => fact.received_on,
        };
        by_month[usize::from(u8::from(placed.month())) - 1] += 1;
        match by_state.iter_mut().find(|(s, _)| *s == fact.state) {
            Some((_, n)) => *n += 1,
            None => by_state.push((fact.state, 1)),
        }
    }
    by_state.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code().cmp(b.0.code())));
    let numerator = (definition.measure == husly_domain::indicators::Measure::Share)
        .then(|| counted.iter().filter(|f| definition.in_numerator(f, today)).count() as i64);
    let cases = match ctx.require(Action::ViewCase, municipality) {
        Ok(()) => {
            ctx.audit_read(
                municipality,
                "plan.indicator_cases",
                ("plan_indicator", indicator.id.clone()),
                json!({ "year": year, "rows": counted.len() }),
            )
            .await?;
            Some(
                counted
                    .iter()
                    .map(|f| CountedCase {
                        case: f.case,
                        reference: f.reference.clone(),
                        case_type: f.case_type,
                        state: f.state,
                        received_on: f.received_on,
                        decided_on: f.decided_on,
                        in_numerator: definition.in_numerator(f, today),
                    })
                    .collect(),
            )
        }
        Err(_) => None,
    };
    Ok(DrillDown {
        summary,
        goal_id,
        year,
        by_month: (1..=12u8).zip(by_month).filter(|(_, n)| *n > 0).collect(),
        by_state,
        counted: counted.len() as i64,
        numerator,
        cases,
        indicator,
    })
}
