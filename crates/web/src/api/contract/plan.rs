//! The action plan in the API: plans, and a plan with each goal's indicators (value this year,
//! where it came from, status) and measures. Figures are decimal strings ("12.5"), exact as kept.

use husly_domain::action_plan::{Direction, MeasureStatus, Status, Unit};
use husly_store::action_plans::{PlanEvent, PlanSummary};
use husly_usecases::action_plan::{PlanView, ValueSource};
use schemars::JsonSchema;
use serde::Serialize;

use super::DateSchema;

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
    /// Cases counted (computed values); for an indicator over temporary accommodation, households.
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
            goals: view
                .goals
                .iter()
                .map(|g| Goal {
                    id: g.goal.id.clone(),
                    title: g.goal.text.title.clone(),
                    description: g.goal.text.description.clone(),
                    indicators: g
                        .indicators
                        .iter()
                        .map(|i| {
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
                        })
                        .collect(),
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
