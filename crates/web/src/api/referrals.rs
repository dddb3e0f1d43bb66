//! Referrals over the API: the same use cases as the pages (`husly_usecases::referrals`), at
//! the unit's door and at the partner's.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::referral::ReferralInput;
use husly_usecases::referrals;

use super::contract::meetings::MeetingAction;
use super::contract::queries::MunicipalityParam;
use super::contract::referrals as c;
use super::{ApiJson, ApiUser, municipality_for};
use crate::AppState;
use crate::error::AppResult;
use crate::forms::path_id;

fn input(r: &c::ReferralRequest) -> ReferralInput<'_> {
    ReferralInput {
        to: &r.to,
        purpose: &r.purpose,
        request: &r.request,
        due_on: &r.due_on,
    }
}

/// `GET /households/{id}/referrals`.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::ReferralList>> {
    let id: HouseholdId = path_id(&id)?;
    let found = referrals::household_referrals(&user.ctx(&state), id).await?;
    Ok(Json(c::ReferralList {
        household_id: id,
        referrals: c::Referral::list(&found.referrals, state.clock.today()),
    }))
}

/// `POST /households/{id}/referrals`: sent by the unit.
pub async fn send(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::ReferralRequest>,
) -> AppResult<(StatusCode, Json<c::Referral>)> {
    let id: HouseholdId = path_id(&id)?;
    let sent = referrals::send_referral(&user.ctx(&state), id, &input(&request)).await?;
    Ok((StatusCode::CREATED, Json(c::Referral::of(&sent, state.clock.today()))))
}

/// `POST /households/{id}/referrals/{referral_id}/answer`: the unit's answer.
pub async fn answer(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, referral)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::AnswerRequest>,
) -> AppResult<Json<c::Referral>> {
    let id: HouseholdId = path_id(&id)?;
    let step = (request.step.code(), request.text.as_str());
    let answered = referrals::answer_referral(&user.ctx(&state), id, &referral, step).await?;
    Ok(Json(c::Referral::of(&answered, state.clock.today())))
}

/// `GET /referrals`: the unit's work queue.
pub async fn queue(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
) -> AppResult<Json<c::ReferralQueue>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::SendReferral).await?;
    let ctx = user.ctx(&state);
    let q = referrals::unit_referral_queue(&ctx, municipality).await?;
    // All of the unit's overdue referrals and actions, as the case queue's notice counts them.
    let overdue = referrals::unit_overdue(&ctx, municipality).await?;
    Ok(Json(c::ReferralQueue {
        overdue: usize::try_from(overdue.referrals).unwrap_or(q.overdue),
        referrals: c::Referral::list(&q.referrals, state.clock.today()),
        overdue_actions: usize::try_from(overdue.actions).unwrap_or(q.overdue_actions),
        actions: MeetingAction::list(&q.actions, state.clock.today()),
    }))
}

/// `GET /partner/referrals`: the partner organisation's work queue.
pub async fn partner_queue(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
) -> AppResult<Json<c::ReferralQueue>> {
    let municipality = municipality_for(
        &state,
        &user,
        params.municipality.as_deref(),
        Action::ViewConsentedHouseholds,
    )
    .await?;
    let q = referrals::partner_referral_queue(&user.ctx(&state), municipality).await?;
    Ok(Json(c::ReferralQueue {
        overdue: q.overdue,
        referrals: c::Referral::list(&q.referrals, state.clock.today()),
        overdue_actions: q.overdue_actions,
        actions: MeetingAction::list(&q.actions, state.clock.today()),
    }))
}

/// `POST /partner/households/{id}/referrals`: sent by the caller's organisation.
pub async fn partner_send(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::ReferralRequest>,
) -> AppResult<(StatusCode, Json<c::Referral>)> {
    let id: HouseholdId = path_id(&id)?;
    let sent = referrals::partner_send_referral(&user.ctx(&state), id, &input(&request)).await?;
    Ok((StatusCode::CREATED, Json(c::Referral::of(&sent, state.clock.today()))))
}

/// `POST /partner/households/{id}/referrals/{referral_id}/answer`: the organisation's answer.
pub async fn partner_answer(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, referral)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::AnswerRequest>,
) -> AppResult<Json<c::Referral>> {
    let id: HouseholdId = path_id(&id)?;
    let step = (request.step.code(), request.text.as_str());
    let answered = referrals::partner_answer_referral(&user.ctx(&state), id, &referral, step).await?;
    Ok(Json(c::Referral::of(&answered, state.clock.today())))
}
