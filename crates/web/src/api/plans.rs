//! The social housing action plan: plans, a plan with its values, its history, and each change
//! a leader makes. Writes answer with the plan as it now stands.

use super::contract::{self, ActionPlan, GoalTrends, IndicatorCases, PlanHistory, PlanList, requests};
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use contract::queries::MunicipalityParam;
use husly_domain::action_plan::{GoalInput, IndicatorInput, MeasureInput, PlanInput};
use husly_domain::authz::Action;
use husly_usecases::Ctx;
use husly_usecases::action_plan as usecases;
use husly_usecases::plan_dashboard;

async fn answer(ctx: &Ctx, plan: &str) -> AppResult<Json<ActionPlan>> {
    Ok(Json(ActionPlan::from(&usecases::plan(ctx, plan).await?)))
}

/// `GET /action-plans`
pub(super) async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
) -> AppResult<Json<PlanList>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewActionPlan).await?;
    let plans = usecases::plans(&user.ctx(&state), municipality).await?;
    Ok(Json(PlanList {
        plans: plans.iter().map(contract::plan::PlanHeading::from).collect(),
    }))
}

/// `POST /action-plans`
pub(super) async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
    ApiJson(input): ApiJson<PlanInput>,
) -> AppResult<(StatusCode, Json<ActionPlan>)> {
    let municipality =
        municipality_for(&state, &user, params.municipality.as_deref(), Action::ManageActionPlan).await?;
    let ctx = user.ctx(&state);
    let id = usecases::create_plan(&ctx, municipality, &input).await?;
    Ok((StatusCode::CREATED, answer(&ctx, &id).await?))
}

/// `GET /action-plans/{plan_id}`
pub(super) async fn view(
    State(state): State<AppState>,
    user: ApiUser,
    Path(plan): Path<String>,
) -> AppResult<Json<ActionPlan>> {
    answer(&user.ctx(&state), &plan).await
}

/// `PUT /action-plans/{plan_id}`
pub(super) async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(plan): Path<String>,
    ApiJson(change): ApiJson<requests::PlanChange>,
) -> AppResult<Json<ActionPlan>> {
    let ctx = user.ctx(&state);
    usecases::update_plan(&ctx, &plan, change.version, &change.plan).await?;
    answer(&ctx, &plan).await
}

/// `GET /action-plans/{plan_id}/history`
pub(super) async fn history(
    State(state): State<AppState>,
    user: ApiUser,
    Path(plan): Path<String>,
) -> AppResult<Json<PlanHistory>> {
    let events = usecases::history(&user.ctx(&state), &plan).await?;
    Ok(Json(PlanHistory::from(events.as_slice())))
}

/// `POST /action-plans/{plan_id}/goals`
pub(super) async fn add_goal(
    State(state): State<AppState>,
    user: ApiUser,
    Path(plan): Path<String>,
    ApiJson(input): ApiJson<GoalInput>,
) -> AppResult<(StatusCode, Json<ActionPlan>)> {
    let ctx = user.ctx(&state);
    usecases::add_goal(&ctx, &plan, &input).await?;
    Ok((StatusCode::CREATED, answer(&ctx, &plan).await?))
}

/// `PUT /action-plans/{plan_id}/goals/{goal_id}`
pub(super) async fn update_goal(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, goal)): Path<(String, String)>,
    ApiJson(input): ApiJson<GoalInput>,
) -> AppResult<Json<ActionPlan>> {
    let ctx = user.ctx(&state);
    usecases::update_goal(&ctx, &plan, &goal, &input).await?;
    answer(&ctx, &plan).await
}

/// `POST /action-plans/{plan_id}/goals/{goal_id}/measures`
pub(super) async fn add_measure(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, goal)): Path<(String, String)>,
    ApiJson(input): ApiJson<MeasureInput>,
) -> AppResult<(StatusCode, Json<ActionPlan>)> {
    let ctx = user.ctx(&state);
    usecases::add_measure(&ctx, &plan, &goal, &input).await?;
    Ok((StatusCode::CREATED, answer(&ctx, &plan).await?))
}

/// `PUT /action-plans/{plan_id}/measures/{measure_id}`
pub(super) async fn update_measure(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, measure)): Path<(String, String)>,
    ApiJson(input): ApiJson<MeasureInput>,
) -> AppResult<Json<ActionPlan>> {
    let ctx = user.ctx(&state);
    usecases::update_measure(&ctx, &plan, &measure, &input).await?;
    answer(&ctx, &plan).await
}

/// `POST /action-plans/{plan_id}/goals/{goal_id}/indicators`
pub(super) async fn add_indicator(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, goal)): Path<(String, String)>,
    ApiJson(input): ApiJson<IndicatorInput>,
) -> AppResult<(StatusCode, Json<ActionPlan>)> {
    let ctx = user.ctx(&state);
    usecases::add_indicator(&ctx, &plan, &goal, &input).await?;
    Ok((StatusCode::CREATED, answer(&ctx, &plan).await?))
}

/// `PUT /action-plans/{plan_id}/indicators/{indicator_id}`
pub(super) async fn update_indicator(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, indicator)): Path<(String, String)>,
    ApiJson(change): ApiJson<requests::IndicatorChange>,
) -> AppResult<Json<ActionPlan>> {
    let ctx = user.ctx(&state);
    usecases::update_indicator(&ctx, &plan, &indicator, &change.indicator, &change.reason).await?;
    answer(&ctx, &plan).await
}

/// `PUT /action-plans/{plan_id}/indicators/{indicator_id}/value`
pub(super) async fn report_value(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, indicator)): Path<(String, String)>,
    ApiJson(reported): ApiJson<requests::IndicatorValue>,
) -> AppResult<Json<ActionPlan>> {
    let ctx = user.ctx(&state);
    usecases::report_value(&ctx, &plan, &indicator, &reported.year.to_string(), &reported.value).await?;
    answer(&ctx, &plan).await
}

/// `GET /action-plans/{plan_id}/goals/{goal_id}`
pub(super) async fn goal_trends(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, goal)): Path<(String, String)>,
) -> AppResult<Json<GoalTrends>> {
    let dashboard = plan_dashboard::goal_dashboard(&user.ctx(&state), &plan, &goal).await?;
    Ok(Json(GoalTrends::from(&dashboard)))
}

/// `GET /action-plans/{plan_id}/indicators/{indicator_id}/cases`
pub(super) async fn indicator_cases(
    State(state): State<AppState>,
    user: ApiUser,
    Path((plan, indicator)): Path<(String, String)>,
    Query(params): Query<contract::queries::YearParam>,
) -> AppResult<Json<IndicatorCases>> {
    let drill = plan_dashboard::indicator_cases(&user.ctx(&state), &plan, &indicator, params.year).await?;
    Ok(Json(IndicatorCases::from(&drill)))
}
