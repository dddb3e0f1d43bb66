//! The action plan in the API: plans, and a plan with each goal's indicators (value this year,
//! where it came from, status) and measures. Figures are decimal strings ("12.5"), exact as kept.

use husly_domain::action_plan::{Direction, MeasureStatus, Status, Unit};
use husly_domain::cases::{CaseState, CaseType};
use husly_store::action_plans::{PlanEvent, PlanSummary};
use husly_usecases::action_plan::{IndicatorView, PlanView, ValueSource};
use husly_usecases::plan_dashboard::{DrillDown, GoalDashboard, PointSource};
use schemars::JsonSchema;
use serde::Serialize;

use super::{CaseStateSchema, DateSchema};

/// The municipality's action plans, the latest period first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanList {
    pub plans: Vec<PlanHeading>,
}

/// A plan's heading.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanHeading {
    pub id: String,
    pub title: String,
    pub period_from: i32,
    pub period_to: i32,
    /// The day the council adopted it; absent while a draft.
    #[schemars(with = "Option<DateSchema>")]
    pub adopted_on: Option<time::Date>,
    pub council_ref: Option<String>,
    /// Send it back when changing the heading.
    pub version: i64,
}

impl From<&PlanSummary> for PlanHeading {
    fn from(plan: &PlanSummary) -> PlanHeading {
        PlanHeading {
            id: plan.id.clone(),
            title: plan.heading.title.clone(),
            period_from: plan.heading.period_from,
            period_to: plan.heading.period_to,
            adopted_on: plan.heading.adopted_on,
            council_ref: plan.heading.council_ref.clone(),
            version: plan.version,
        }
    }
}

/// A plan with its goals, each with indicators and measures, as of today.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ActionPlan {
    pub plan: PlanHeading,
    /// The year the indicators' values are for.
    pub year: i32,
    /// When this year's computed values were computed from the data (kept for a short while,
    /// `live_values_secs`); null when no value is computed.
    #[schemars(with = "Option<super::MicrosSchema>")]
    pub computed_at: Option<i64>,
    pub goals: Vec<Goal>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Goal {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub indicators: Vec<Indicator>,
    pub measures: Vec<Measure>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    /// The built-in definition its value is computed from; absent when reported by hand.
    pub definition: Option<String>,
    pub unit: Unit,
    pub direction: Direction,
    pub baseline: String,
    pub baseline_year: i32,
    pub target: String,
    pub target_year: i32,
    /// This year's value (or the latest reported), absent when there is none yet.
    pub value: Option<String>,
    /// Cases counted (computed values); over temporary accommodation or KOSTRA, households; over
    /// rental contracts, contracts.
    pub cases: Option<i64>,
    /// For a share: the cases in the numerator.
    pub numerator: Option<i64>,
    /// For a value reported by hand: the year it is for.
    pub reported_for: Option<i32>,
    pub status: Option<Status>,
    /// Values reported by hand, oldest first.
    pub reported: Vec<ReportedValue>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReportedValue {
    pub year: i32,
    pub value: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub owner: String,
    #[schemars(with = "Option<DateSchema>")]
    pub deadline: Option<time::Date>,
    pub status: MeasureStatus,
    pub budget_ore: Option<i64>,
}

impl From<&PlanView> for ActionPlan {
    fn from(view: &PlanView) -> ActionPlan {
        ActionPlan {
            plan: PlanHeading::from(&view.summary),
            year: view.year,
            computed_at: view.computed_at.map(husly_store::micros_of),
            goals: view
                .goals
                .iter()
                .map(|g| Goal {
                    id: g.goal.id.clone(),
                    title: g.goal.text.title.clone(),
                    description: g.goal.text.description.clone(),
                    indicators: g.indicators.iter().map(Indicator::from).collect(),
                    measures: g
                        .goal
                        .measures
                        .iter()
                        .map(|m| Measure {
                            id: m.id.clone(),
                            title: m.details.title.clone(),
                            owner: m.details.owner.clone(),
                            deadline: m.details.deadline,
                            status: m.details.status,
                            budget_ore: m.details.budget_ore,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl From<&IndicatorView> for Indicator {
    fn from(i: &IndicatorView) -> Indicator {
        let d = &i.indicator.details;
        let (cases, numerator, reported_for) = match i.value.map(|(_, source)| source) {
            Some(ValueSource::Computed { cases, numerator, .. }) => (Some(cases), numerator, None),
            Some(ValueSource::Reported { year }) => (None, None, Some(year)),
            None => (None, None, None),
        };
        Indicator {
            id: i.indicator.id.clone(),
            name: d.name.clone(),
            definition: d.definition.clone(),
            unit: d.unit,
            direction: d.direction,
            baseline: d.baseline.decimal(),
            baseline_year: d.baseline_year,
            target: d.target.decimal(),
            target_year: d.target_year,
            value: i.value.map(|(v, _)| v.decimal()),
            cases,
            numerator,
            reported_for,
            status: i.status,
            reported: i
                .indicator
                .reported
                .iter()
                .map(|(year, value)| ReportedValue {
                    year: *year,
                    value: value.decimal(),
                })
                .collect(),
        }
    }
}

/// A goal's dashboard: each indicator with its value this year, status and trend.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GoalTrends {
    pub plan: PlanHeading,
    pub goal_id: String,
    pub title: String,
    pub description: Option<String>,
    /// The year of the indicators' values.
    pub year: i32,
    /// When the values not read from the daily snapshots were computed from the data (kept for
    /// a short while, `live_values_secs`); null when none is computed.
    #[schemars(with = "Option<super::MicrosSchema>")]
    pub computed_at: Option<i64>,
    /// The years the trends span (the plan's period, or from an earlier baseline).
    pub first_year: i32,
    pub last_year: i32,
    pub indicators: Vec<IndicatorTrend>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct IndicatorTrend {
    pub indicator: Indicator,
    /// The years with a value, oldest first.
    pub points: Vec<TrendPoint>,
    /// The value counts cases: `…/indicators/{indicator_id}/cases` shows what lies behind it.
    pub counts_cases: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct TrendPoint {
    pub year: i32,
    pub value: String,
    /// `snapshot`: as it stood at the year's end, saved on `taken_on` (after the year for a year
    /// that ended before snapshots were kept); `computed`: computed from the data now;
    /// `reported`: reported by hand.
    pub source: PointKind,
    #[schemars(with = "Option<DateSchema>")]
    pub taken_on: Option<time::Date>,
}

#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    Snapshot,
    Computed,
    Reported,
}

impl From<&GoalDashboard> for GoalTrends {
    fn from(d: &GoalDashboard) -> GoalTrends {
        GoalTrends {
            plan: PlanHeading::from(&d.summary),
            goal_id: d.goal.id.clone(),
            title: d.goal.text.title.clone(),
            description: d.goal.text.description.clone(),
            year: d.year,
            computed_at: d.computed_at.map(husly_store::micros_of),
            first_year: d.first_year,
            last_year: d.last_year,
            indicators: d
                .indicators
                .iter()
                .map(|t| IndicatorTrend {
                    indicator: Indicator::from(&t.view),
                    points: t
                        .points
                        .iter()
                        .map(|p| {
                            let (source, taken_on) = match p.source {
                                PointSource::Snapshot { taken_on } => (PointKind::Snapshot, Some(taken_on)),
                                PointSource::Computed => (PointKind::Computed, None),
                                PointSource::Reported => (PointKind::Reported, None),
                            };
                            TrendPoint {
                                year: p.year,
                                value: p.value.decimal(),
                                source,
                                taken_on,
                            }
                        })
                        .collect(),
                    counts_cases: t.counts_cases,
                })
                .collect(),
        }
    }
}

/// What lies behind an indicator's value for a year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct IndicatorCases {
    pub indicator_id: String,
    pub year: i32,
    /// The cases counted.
    pub counted: i64,
    /// For a share: those in the numerator.
    pub numerator: Option<i64>,
    /// By the month that places a case in the year (1–12), months without cases left out.
    pub by_month: Vec<MonthCount>,
    /// By the cases' state today, the largest first.
    pub by_state: Vec<StateCount>,
    /// The cases, newest first; absent for a role that may see the figures but not cases.
    pub cases: Option<Vec<CountedCase>>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct MonthCount {
    pub month: u8,
    pub cases: i64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct StateCount {
    #[schemars(with = "CaseStateSchema")]
    pub state: CaseState,
    pub cases: i64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CountedCase {
    pub id: String,
    pub reference: String,
    pub case_type: CaseType,
    #[schemars(with = "CaseStateSchema")]
    pub state: CaseState,
    #[schemars(with = "DateSchema")]
    pub received_on: time::Date,
    #[schemars(with = "Option<DateSchema>")]
    pub decided_on: Option<time::Date>,
    /// For a share: counted in the numerator.
    pub in_numerator: bool,
}

impl From<&DrillDown> for IndicatorCases {
    fn from(d: &DrillDown) -> IndicatorCases {
        IndicatorCases {
            indicator_id: d.indicator.id.clone(),
            year: d.year,
            counted: d.counted,
            numerator: d.numerator,
            by_month: d
                .by_month
                .iter()
                .map(|&(month, cases)| MonthCount { month, cases })
                .collect(),
            by_state: d
                .by_state
                .iter()
                .map(|&(state, cases)| StateCount { state, cases })
                .collect(),
            cases: d.cases.as_ref().map(|cases| {
                cases
                    .iter()
                    .map(|c| CountedCase {
                        id: c.case.to_string(),
                        reference: c.reference.clone(),
                        case_type: c.case_type,
                        state: c.state,
                        received_on: c.received_on,
                        decided_on: c.decided_on,
                        in_numerator: c.in_numerator,
                    })
                    .collect()
            }),
        }
    }
}

/// The plan's changes, newest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanHistory {
    pub events: Vec<PlanHistoryEntry>,
}

/// One change: what (`plan.created`, `plan.indicator_changed`, …), who, when, why, and the old
/// and new values of what changed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanHistoryEntry {
    pub kind: String,
    /// Microseconds since 1970-01-01 UTC.
    pub occurred_at: i64,
    pub by: String,
    pub reason: Option<String>,
    pub details: serde_json::Value,
}

impl From<&[PlanEvent]> for PlanHistory {
    fn from(events: &[PlanEvent]) -> PlanHistory {
        PlanHistory {
            events: events
                .iter()
                .map(|e| PlanHistoryEntry {
                    kind: e.kind.clone(),
                    occurred_at: e.occurred_at,
                    by: e.actor_name.clone(),
                    reason: e.reason.clone(),
                    details: e.details.clone(),
                })
                .collect(),
        }
    }
}
