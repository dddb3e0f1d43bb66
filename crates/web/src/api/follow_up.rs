//! Follow-up in the home: a household's plan, measures and log, and the caseload.

use super::contract::follow_up as c;
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::follow_up::{CloseInput, EntryInput, MeasureInput, PlanInput};
use husly_usecases::Ctx;
use husly_usecases::follow_up::{self, CaseloadScope};

async fn answer(ctx: &Ctx, household: HouseholdId) -> AppResult<Json<c::FollowUp>> {
    Ok(Json(c::FollowUp::of(
        &follow_up::household_follow_up(ctx, household).await?,
    )))
}

/// `GET /households/{id}/follow-up`.
pub async fn view(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::FollowUp>> {
    answer(&user.ctx(&state), path_id(&id)?).await
}

fn plan_input<'a>(r: &'a c::PlanRequest, responsible: &'a str) -> PlanInput<'a> {
    PlanInput {
        goals: &r.goals,
        responsible,
        partner_kind: r.partner_kind.map(|k| k.code()).unwrap_or_default(),
        partner_name: r.partner_name.as_deref().unwrap_or_default(),
        review_on: &r.review_on,
    }
}

/// `POST /households/{id}/follow-up/plans`.
pub async fn start(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::PlanRequest>,
) -> AppResult<(StatusCode, Json<c::FollowUp>)> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    let responsible = request.responsible.to_string();
    follow_up::start_plan(&ctx, id, &plan_input(&request, &responsible)).await?;
    Ok((StatusCode::CREATED, answer(&ctx, id).await?))
}

/// `PUT /households/{id}/follow-up/plans/{plan_id}`.
pub async fn change(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, plan)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::PlanRequest>,
) -> AppResult<Json<c::FollowUp>> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    let responsible = request.responsible.to_string();
    let version = request.version.ok_or_else(|| {
        crate::error::AppError::Validation(vec![husly_domain::validation::FieldError::required("version")])
    })?;
    follow_up::change_plan(&ctx, id, (&plan, version), &plan_input(&request, &responsible)).await?;
    answer(&ctx, id).await
}

/// `POST /households/{id}/follow-up/plans/{plan_id}/close`.
pub async fn close(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, plan)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::CloseRequest>,
) -> AppResult<Json<c::FollowUp>> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    let input = CloseInput {
        reason: request.reason.code(),
        note: request.note.as_deref().unwrap_or_default(),
    };
    follow_up::close_plan(&ctx, id, (&plan, request.version), &input).await?;
    answer(&ctx, id).await
}

/// `POST /households/{id}/follow-up/plans/{plan_id}/reopen`.
pub async fn reopen(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, plan)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::ReopenRequest>,
) -> AppResult<Json<c::FollowUp>> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    follow_up::reopen_plan(&ctx, id, (&plan, request.version), &request.reason).await?;
    answer(&ctx, id).await
}

/// `POST /households/{id}/follow-up/plans/{plan_id}/measures`.
pub async fn add_measure(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, plan)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::MeasureRequest>,
) -> AppResult<(StatusCode, Json<c::FollowUp>)> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    let input = MeasureInput {
        text: &request.text,
        owner: &request.owner,
        due_on: request.due_on.as_deref().unwrap_or_default(),
    };
    follow_up::add_measure(&ctx, id, (&plan, request.version), &input).await?;
    Ok((StatusCode::CREATED, answer(&ctx, id).await?))
}

/// `PUT /households/{id}/follow-up/plans/{plan_id}/measures/{measure_id}`.
pub async fn set_measure(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, plan, measure)): Path<(String, String, String)>,
    ApiJson(request): ApiJson<c::MeasureStatusRequest>,
) -> AppResult<Json<c::FollowUp>> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    follow_up::set_measure_status(&ctx, id, (&plan, request.version), &measure, request.status.code()).await?;
    answer(&ctx, id).await
}

/// `POST /households/{id}/follow-up/entries`.
pub async fn log(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::EntryRequest>,
) -> AppResult<(StatusCode, Json<c::FollowUp>)> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    let input = EntryInput {
        kind: request.kind.code(),
        outcome: request.outcome.map(|o| o.code()).unwrap_or_default(),
        occurred_on: &request.occurred_on,
        note: request.note.as_deref().unwrap_or_default(),
    };
    follow_up::log_entry(&ctx, id, &input).await?;
    Ok((StatusCode::CREATED, answer(&ctx, id).await?))
}

/// `GET /follow-up/caseload`.
pub async fn caseload(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<c::CaseloadParams>,
) -> AppResult<Json<c::Caseload>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewFollowUp).await?;
    let scope = match params.scope {
        Some(c::CaseloadScope::All) => CaseloadScope::All,
        _ => CaseloadScope::Mine,
    };
    Ok(Json(c::Caseload::of(
        &follow_up::caseload(
            &user.ctx(&state),
            municipality,
            scope,
            params.offset.unwrap_or(0) as usize,
        )
        .await?,
    )))
}
