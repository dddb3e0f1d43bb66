//! A household's representative (fullmektig or verge): read them, register one, end one.

use super::contract;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use husly_domain::representative::RepresentativeInput;
use husly_usecases::representatives;

pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::RepresentativeList>> {
    let ctx = user.ctx(&state);
    let kept = representatives::representatives(&ctx, path_id(&id)?).await?;
    Ok(Json(contract::RepresentativeList::of(&kept, ctx.today)))
}

pub async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RepresentativeInput>,
) -> AppResult<(StatusCode, Json<contract::RepresentativeList>)> {
    let ctx = user.ctx(&state);
    let kept = representatives::register_representative(&ctx, path_id(&id)?, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(contract::RepresentativeList::of(&kept, ctx.today)),
    ))
}

pub async fn end(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, representative)): Path<(String, String)>,
    ApiJson(end): ApiJson<contract::requests::EndRepresentative>,
) -> AppResult<Json<contract::RepresentativeList>> {
    let ctx = user.ctx(&state);
    let kept =
        representatives::end_representative(&ctx, path_id(&id)?, &representative, &end.ended_on, &end.reason).await?;
    Ok(Json(contract::RepresentativeList::of(&kept, ctx.today)))
}
