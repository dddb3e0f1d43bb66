//! Allocation rounds and offers: the same use cases as the pages. A round or an offer named by
//! id belongs to its municipality; a caller without a role there gets 404.

use super::contract::queries::{MunicipalityParam, OfferListParams};
use super::contract::rounds as c;
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use husly_domain::MunicipalityId;
use husly_domain::allocation::draw::PublishedDraw;
use husly_domain::authz::Action;
use husly_store::allocation::AllocationTable;
use husly_usecases::{Ctx, offers, rounds};

/// The municipality of a round or an offer, once the caller may allocate there.
async fn owner(state: &AppState, user: &ApiUser, table: AllocationTable, id: &str) -> AppResult<MunicipalityId> {
    let owner = state
        .store
        .allocation_owner(table, id.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    user.require(Action::Allocate, owner)?;
    Ok(owner)
}

async fn round_detail(ctx: &Ctx, municipality: MunicipalityId, id: &str) -> AppResult<Json<c::RoundDetail>> {
    Ok(Json(c::RoundDetail::of(&rounds::round(ctx, municipality, id).await?)))
}

async fn offer_detail(ctx: &Ctx, municipality: MunicipalityId, id: &str) -> AppResult<Json<c::OfferDetail>> {
    Ok(Json(c::OfferDetail::of(&offers::offer(ctx, municipality, id).await?)))
}

/// `GET /allocation/rounds`
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<Json<Vec<c::RoundSummary>>> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::Allocate).await?;
    let list = rounds::rounds(&user.ctx(&state), municipality).await?;
    Ok(Json(list.iter().map(c::RoundSummary::of).collect()))
}

/// `POST /allocation/rounds`
pub async fn start(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<Response> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::Allocate).await?;
    let ctx = user.ctx(&state);
    let (id, _) = rounds::start_round(&ctx, municipality).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/allocation/rounds/{id}"))],
        round_detail(&ctx, municipality, &id).await?,
    )
        .into_response())
}

/// `GET /allocation/rounds/{id}`
pub async fn view(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::RoundDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Round, &id).await?;
    round_detail(&user.ctx(&state), municipality, id.trim()).await
}

/// `GET /allocation/rounds/{id}/draw`
pub async fn published(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<PublishedDraw>> {
    let municipality = owner(&state, &user, AllocationTable::Round, &id).await?;
    Ok(Json(
        rounds::published_draw(&user.ctx(&state), municipality, id.trim()).await?,
    ))
}

/// `POST /allocation/rounds/{id}/draw`
pub async fn draw(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::DrawRequest>,
) -> AppResult<Json<c::RoundDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Round, &id).await?;
    let ctx = user.ctx(&state);
    rounds::draw_round(&ctx, municipality, id.trim(), request.version).await?;
    round_detail(&ctx, municipality, id.trim()).await
}

/// `POST /allocation/rounds/{id}/lines/{dwelling}`
pub async fn override_line(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, dwelling)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::OverrideRequest>,
) -> AppResult<Json<c::RoundDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Round, &id).await?;
    let ctx = user.ctx(&state);
    rounds::override_line(
        &ctx,
        municipality,
        id.trim(),
        request.version,
        dwelling.trim(),
        request.reference.as_deref().unwrap_or_default(),
        &request.reason,
    )
    .await?;
    round_detail(&ctx, municipality, id.trim()).await
}

/// `POST /allocation/rounds/{id}/end`
pub async fn end(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::EndRequest>,
) -> AppResult<Json<c::RoundDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Round, &id).await?;
    let ctx = user.ctx(&state);
    rounds::end_round(
        &ctx,
        municipality,
        id.trim(),
        request.version,
        request.cancel,
        &request.reason,
    )
    .await?;
    round_detail(&ctx, municipality, id.trim()).await
}

/// `POST /allocation/rounds/{id}/offers`
pub async fn make_offer(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::OfferRequest>,
) -> AppResult<Response> {
    let municipality = owner(&state, &user, AllocationTable::Round, &id).await?;
    let ctx = user.ctx(&state);
    let offer = offers::make_offer(
        &ctx,
        municipality,
        id.trim(),
        request.dwelling_id.trim(),
        request.answer_by.as_deref().unwrap_or_default(),
        request.note.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/offers/{offer}"))],
        offer_detail(&ctx, municipality, &offer).await?,
    )
        .into_response())
}

/// `GET /offers`
pub async fn offer_list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<OfferListParams>,
) -> AppResult<Json<Vec<c::Offer>>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::Allocate).await?;
    let list = offers::offers(&user.ctx(&state), municipality, !params.all).await?;
    Ok(Json(list.iter().map(c::Offer::of).collect()))
}

/// `GET /offers/{id}`
pub async fn offer(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::OfferDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Offer, &id).await?;
    offer_detail(&user.ctx(&state), municipality, id.trim()).await
}

/// `POST /offers/{id}/answer`
pub async fn answer(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::AnswerRequest>,
) -> AppResult<Json<c::OfferDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Offer, &id).await?;
    let ctx = user.ctx(&state);
    offers::answer_offer(
        &ctx,
        municipality,
        id.trim(),
        request.version,
        &request.answer,
        request.reason.as_deref().unwrap_or_default(),
        request.note.as_deref().unwrap_or_default(),
    )
    .await?;
    offer_detail(&ctx, municipality, id.trim()).await
}

/// `POST /offers/{id}/withdraw`
pub async fn withdraw(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::OfferChangeRequest>,
) -> AppResult<Json<c::OfferDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Offer, &id).await?;
    let ctx = user.ctx(&state);
    offers::withdraw_offer(&ctx, municipality, id.trim(), request.version, &request.reason).await?;
    offer_detail(&ctx, municipality, id.trim()).await
}

/// `POST /offers/{id}/reopen`
pub async fn reopen(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::OfferChangeRequest>,
) -> AppResult<Json<c::OfferDetail>> {
    let municipality = owner(&state, &user, AllocationTable::Offer, &id).await?;
    let ctx = user.ctx(&state);
    offers::reopen_offer(
        &ctx,
        municipality,
        id.trim(),
        request.version,
        request.answer_by.as_deref().unwrap_or_default(),
        &request.reason,
    )
    .await?;
    offer_detail(&ctx, municipality, id.trim()).await
}
