//! Tenancy contracts: the same use cases as the pages. A contract or an offer named by id
//! belongs to its municipality; a caller without a role there gets 404.

use super::contract::tenancies as c;
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use husly_domain::authz::Action;
use husly_domain::tenancy::{ContractInput, EndInput};
use husly_store::allocation::AllocationTable;
use husly_usecases::contracts::{self, ContractList};

async fn detail(user: &ApiUser, state: &AppState, id: &str) -> AppResult<Json<c::ContractDetail>> {
    Ok(Json(c::ContractDetail::of(
        &contracts::contract(&user.ctx(state), id).await?,
    )))
}

/// `GET /tenancies`
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<c::ContractListParams>,
) -> AppResult<Json<c::ContractList>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewTenancies).await?;
    let months = params
        .months
        .unwrap_or(contracts::DEFAULT_HORIZON_MONTHS)
        .clamp(1, contracts::MAX_HORIZON_MONTHS);
    let list = match params.list.as_deref().map(str::trim) {
        None | Some("" | "open") => ContractList::Open,
        Some("expiring") => ContractList::Expiring(months),
        Some("ended") => ContractList::Ended,
        Some(other) => {
            return Err(husly_usecases::UseCaseError::Invalid(vec![
                husly_domain::validation::FieldError::unknown_value("list", other, &["open", "expiring", "ended"]),
            ])
            .into());
        }
    };
    let page = contracts::contracts(&user.ctx(&state), municipality, list, params.offset.unwrap_or(0)).await?;
    Ok(Json(c::ContractList::of(&page)))
}

/// `GET /tenancies/{id}`
pub async fn view(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::ContractDetail>> {
    detail(&user, &state, id.trim()).await
}

/// `POST /offers/{id}/contract`
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::ContractRequest>,
) -> AppResult<Response> {
    let municipality = state
        .store
        .allocation_owner(AllocationTable::Offer, id.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    user.require(Action::ManageTenancies, municipality)?;
    let rent = request.monthly_rent_kr.to_string();
    let security = request.security_kr.map(|kr| kr.to_string()).unwrap_or_default();
    let input = ContractInput {
        start: &request.start,
        term: request.term.code(),
        term_end: request.term_end.as_deref().unwrap_or_default(),
        monthly_rent_kr: &rent,
        security_kind: request.security_kind.code(),
        security_kr: &security,
        notice_11_1_on: request.notice_11_1_on.as_deref().unwrap_or_default(),
    };
    let ctx = user.ctx(&state);
    let contract = contracts::create_contract(&ctx, municipality, id.trim(), request.version, &input).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/tenancies/{contract}"))],
        detail(&user, &state, &contract).await?,
    )
        .into_response())
}

/// `POST /tenancies/{id}/end`
pub async fn end(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::EndRequest>,
) -> AppResult<Json<c::ContractDetail>> {
    let input = EndInput {
        ended_on: &request.ended_on,
        reason: request.reason.code(),
        notice_on: request.notice_on.as_deref().unwrap_or_default(),
        note: request.note.as_deref().unwrap_or_default(),
        move_on_case_id: request.move_on_case_id.as_deref().unwrap_or_default(),
    };
    contracts::end_contract(&user.ctx(&state), id.trim(), request.version, &input).await?;
    detail(&user, &state, id.trim()).await
}

/// `POST /tenancies/{id}/undo-end`
pub async fn undo_end(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::UndoEndRequest>,
) -> AppResult<Json<c::ContractDetail>> {
    contracts::undo_contract_end(&user.ctx(&state), id.trim(), request.version, &request.reason).await?;
    detail(&user, &state, id.trim()).await
}

/// `POST /tenancies/{id}/rent-changes`
pub async fn change_rent(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::RentChangeRequest>,
) -> AppResult<(StatusCode, Json<c::ContractDetail>)> {
    let input = husly_domain::tenancy::rent::RentChangeInput {
        effective_from: &request.effective_from,
        monthly_rent_kr: &request.monthly_rent_kr,
        basis: request.basis.code(),
        notice_on: request.notice_on.as_deref().unwrap_or_default(),
        note: request.note.as_deref().unwrap_or_default(),
    };
    husly_usecases::rent_changes::change_rent(&user.ctx(&state), id.trim(), request.version, &input).await?;
    Ok((StatusCode::CREATED, detail(&user, &state, id.trim()).await?))
}

/// `POST /tenancies/{id}/rent-changes/{change_id}/cancel`
pub async fn cancel_rent_change(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, change)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::CancelRentChangeRequest>,
) -> AppResult<Json<c::ContractDetail>> {
    husly_usecases::rent_changes::cancel_rent_change(
        &user.ctx(&state),
        id.trim(),
        request.version,
        change.trim(),
        &request.reason,
    )
    .await?;
    detail(&user, &state, id.trim()).await
}
