//! The social housing action plan: what a leader keeps (goals, measures, indicators, targets,
//! values reported by hand) and what everyone in the unit follows (each indicator's value this
//! year, computed from the cases or reported, against its target). The plan holds no personal
//! data, so reading it is not an audited read; every change is an event and an audit entry.

use husly_domain::MunicipalityId;
use husly_domain::action_plan::{
    Figure, GoalInput, IndicatorDetails, IndicatorInput, MeasureInput, PlanInput, Status, check_goal, check_indicator,
    check_measure, check_plan, figure, status,
};
use husly_domain::authz::Action;
use husly_domain::indicators::{Definition, Definitions, Population};
use husly_domain::validation::{Errors, FieldError};
use husly_store::action_plans::{Indicator, Plan, PlanEvent, PlanSummary};

use crate::indicator_values::{Values, values};
use crate::{Ctx, UseCaseError, UseCaseResult};

/// Where an indicator's value this year comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// Computed from the data now: how many it counts (and for a share, how many of those are
    /// in the numerator), and of what (`counted`).
    Computed {
        cases: i64,
        numerator: Option<i64>,
        counted: Population,
    },
    /// Reported by hand for `year`.
    Reported { year: i32 },
}

/// An indicator with its value and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorView {
    pub indicator: Indicator,
    pub value: Option<(Figure, ValueSource)>,
    pub status: Option<Status>,
}

/// A goal with its indicators' values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalView {
    pub goal: husly_store::action_plans::Goal,
    pub indicators: Vec<IndicatorView>,
}

/// A plan as followed: its heading and each goal with values and status as of today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanView {
    pub municipality: MunicipalityId,
    pub summary: PlanSummary,
    pub goals: Vec<GoalView>,
    /// The year the values are for.
    pub year: i32,
    /// When the values were computed from the data (a short while ago at most).
    pub computed_at: Option<time::OffsetDateTime>,
}

/// The municipality's plans, the latest period first.
pub async fn plans(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<PlanSummary>> {
    ctx.require(Action::ViewActionPlan, municipality)?;
    Ok(ctx.store.action_plans(municipality).await?)
}

/// The municipality owning a plan, once the caller may perform `action` there.
pub(crate) async fn plan_owner(ctx: &Ctx, plan: &str, action: Action) -> UseCaseResult<MunicipalityId> {
    let owner = ctx
        .store
        .action_plan_municipality(plan)
        .await?
        .ok_or(UseCaseError::NotFound)?;
    ctx.require(action, owner)?;
    Ok(owner)
}

/// The plan as kept, for a form that changes it (those who keep the plan).
pub async fn plan_to_edit(ctx: &Ctx, id: &str) -> UseCaseResult<Plan> {
    let municipality = plan_owner(ctx, id, Action::ManageActionPlan).await?;
    Ok(ctx.store.action_plan(municipality, id).await?)
}

/// A plan with each indicator's value for this year and its status.
pub async fn plan(ctx: &Ctx, id: &str) -> UseCaseResult<PlanView> {
    let municipality = plan_owner(ctx, id, Action::ViewActionPlan).await?;
    let Plan { summary, goals } = ctx.store.action_plan(municipality, id).await?;
    let used = definitions_of(goals.iter().flat_map(|g| &g.indicators));
    let (today, year) = (ctx.today, ctx.today.year());
    let values = values(
        (&ctx.store, &ctx.live_values),
        (municipality, ctx.municipality_number(municipality)?),
        &used,
        (year, year),
        today,
    )
    .await?;
    let goals = goals
        .into_iter()
        .map(|goal| GoalView {
            indicators: goal
                .indicators
                .iter()
                .map(|indicator| indicator_view(indicator, &values, year, today))
                .collect(),
            goal,
        })
        .collect();
    Ok(PlanView {
        municipality,
        summary,
        goals,
        year,
        computed_at: values.computed_at,
    })
}

/// An indicator's value for `year` (computed from the facts, or the latest reported by then) and
/// its status as of `today`.
pub(crate) fn indicator_view(indicator: &Indicator, values: &Values, year: i32, today: time::Date) -> IndicatorView {
    let definitions = Definitions::embedded();
    let value = match &indicator.details.definition {
        Some(key) => definitions.get(key).and_then(|d| {
            values.value(d, year).map(|v| {
                (
                    v.figure,
                    ValueSource::Computed {
                        cases: v.cases,
                        numerator: v.numerator,
                        counted: d.over,
                    },
                )
            })
        }),
        None => indicator
            .reported
            .iter()
            .rev()
            .find(|(y, _)| *y <= year)
            .map(|(y, v)| (*v, ValueSource::Reported { year: *y })),
    };
    IndicatorView {
        status: value.map(|(v, _)| status(&indicator.details, v, today)),
        indicator: indicator.clone(),
        value,
    }
}

/// The definitions the given indicators are linked to.
pub(crate) fn definitions_of<'a>(indicators: impl IntoIterator<Item = &'a Indicator>) -> Vec<&'static Definition> {
    let definitions = Definitions::embedded();
    indicators
        .into_iter()
        .filter_map(|i| i.details.definition.as_deref().and_then(|key| definitions.get(key)))
        .collect()
}

/// The plan's history, newest first.
pub async fn history(ctx: &Ctx, id: &str) -> UseCaseResult<Vec<PlanEvent>> {
    let municipality = plan_owner(ctx, id, Action::ViewActionPlan).await?;
    Ok(ctx.store.plan_events(municipality, id).await?)
}

/// Starts a plan; returns its id.
pub async fn create_plan(ctx: &Ctx, municipality: MunicipalityId, input: &PlanInput) -> UseCaseResult<String> {
    ctx.require(Action::ManageActionPlan, municipality)?;
    let heading = check_plan(input, ctx.today)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .create_action_plan(municipality, &heading, &ctx.change(&actor))
        .await?)
}

/// Changes the plan's heading (title, period, adoption), if nobody changed it since `version`.
pub async fn update_plan(ctx: &Ctx, id: &str, version: i64, input: &PlanInput) -> UseCaseResult<()> {
    let municipality = plan_owner(ctx, id, Action::ManageActionPlan).await?;
    let heading = check_plan(input, ctx.today)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .update_action_plan(municipality, id, version, &heading, &ctx.change(&actor))
        .await?)
}

/// Adds a goal to the plan; returns its id.
pub async fn add_goal(ctx: &Ctx, plan: &str, input: &GoalInput) -> UseCaseResult<String> {
    let municipality = plan_owner(ctx, plan, Action::ManageActionPlan).await?;
    let text = check_goal(input)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .add_plan_goal(municipality, plan, &text, &ctx.change(&actor))
        .await?)
}

/// Changes a goal's title and description.
pub async fn update_goal(ctx: &Ctx, plan: &str, goal: &str, input: &GoalInput) -> UseCaseResult<()> {
    let municipality = plan_owner(ctx, plan, Action::ManageActionPlan).await?;
    let text = check_goal(input)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .update_plan_goal(municipality, plan, goal, &text, &ctx.change(&actor))
        .await?)
}

/// Adds a measure under a goal; returns its id.
pub async fn add_measure(ctx: &Ctx, plan: &str, goal: &str, input: &MeasureInput) -> UseCaseResult<String> {
    let municipality = plan_owner(ctx, plan, Action::ManageActionPlan).await?;
    let details = check_measure(input)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .add_plan_measure(municipality, plan, goal, &details, &ctx.change(&actor))
        .await?)
}

/// Changes a measure: its status as work goes on, its deadline, owner or budget.
pub async fn update_measure(ctx: &Ctx, plan: &str, measure: &str, input: &MeasureInput) -> UseCaseResult<()> {
    let municipality = plan_owner(ctx, plan, Action::ManageActionPlan).await?;
    let details = check_measure(input)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .update_plan_measure(municipality, plan, measure, &details, &ctx.change(&actor))
        .await?)
}

/// Adds an indicator under a goal; returns its id.
pub async fn add_indicator(ctx: &Ctx, plan: &str, goal: &str, input: &IndicatorInput) -> UseCaseResult<String> {
    let municipality = plan_owner(ctx, plan, Action::ManageActionPlan).await?;
    let details = check_indicator(input, &Definitions::embedded().choices())?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .add_plan_indicator(municipality, plan, goal, &details, &ctx.change(&actor))
        .await?)
}

/// Changes an indicator. A changed baseline or target needs a reason (a council's revision, a
/// corrected baseline), kept with the old and new values.
pub async fn update_indicator(
    ctx: &Ctx,
    plan: &str,
    id: &str,
    input: &IndicatorInput,
    reason: &str,
) -> UseCaseResult<()> {
    let municipality = plan_owner(ctx, plan, Action::ManageActionPlan).await?;
    let before = indicator_of(ctx, municipality, plan, id).await?;
    let details = check_indicator(input, &Definitions::embedded().choices())?;
    let reason = reason.trim();
    if moved_goalposts(&before.details, &details) && reason.is_empty() {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "reason",
            "reason.required",
            "error.indicator.reason",
        )]));
    }
    let actor = ctx.actor(municipality);
    let change = husly_store::households::Change {
        reason: (!reason.is_empty()).then_some(reason),
        ..ctx.change(&actor)
    };
    Ok(ctx
        .store
        .update_plan_indicator(municipality, plan, id, &details, &change)
        .await?)
}

fn moved_goalposts(before: &IndicatorDetails, after: &IndicatorDetails) -> bool {
    (before.baseline, before.baseline_year, before.target, before.target_year)
        != (after.baseline, after.baseline_year, after.target, after.target_year)
}

/// Reports an indicator's value for a year by hand (for an indicator not computed from the
/// cases): a year within the plan's reach, not in the future.
pub async fn report_value(ctx: &Ctx, plan: &str, id: &str, year: &str, value: &str) -> UseCaseResult<()> {
    let municipality = plan_owner(ctx, plan, Action::ManageActionPlan).await?;
    let indicator = indicator_of(ctx, municipality, plan, id).await?;
    let mut errors = Errors::default();
    if indicator.details.definition.is_some() {
        errors.push(FieldError::new("value", "value.computed", "error.indicator.computed"));
    }
    let value = figure(&mut errors, "value", value);
    let year = match year.trim().parse::<i32>() {
        Ok(y) if (2000..=ctx.today.year()).contains(&y) => Some(y),
        _ => {
            errors.push(
                FieldError::new("year", "year.invalid", "error.indicator.report_year").arg("last", ctx.today.year()),
            );
            None
        }
    };
    if let (Some(v), husly_domain::action_plan::Unit::Percent) = (value, indicator.details.unit)
        && v > Figure::whole(100)
    {
        errors.push(FieldError::new("value", "percent.over_100", "error.indicator.percent"));
    }
    errors.into_result(())?;
    let (Some(year), Some(value)) = (year, value) else {
        return Err(UseCaseError::Invalid(Vec::new()));
    };
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .report_indicator_value(municipality, plan, id, year, value, &ctx.change(&actor))
        .await?)
}

async fn indicator_of(ctx: &Ctx, municipality: MunicipalityId, plan: &str, id: &str) -> UseCaseResult<Indicator> {
    ctx.store
        .action_plan(municipality, plan)
        .await?
        .goals
        .into_iter()
        .flat_map(|g| g.indicators)
        .find(|i| i.id == id)
        .ok_or(UseCaseError::NotFound)
}
