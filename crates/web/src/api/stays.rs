//! Stays in temporary accommodation: a household's (read, record, end), the ongoing ones of a
//! municipality, and the year's KOSTRA figures.

use super::contract::{self, stays as c};
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use husly_domain::authz::Action;
use husly_domain::stays::{EndReason, StayFigures};
use husly_usecases::stays::{self, StayInput};

pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::StayList>> {
    let ctx = user.ctx(&state);
    let kept = stays::household_stays(&ctx, path_id(&id)?).await?;
    Ok(Json(c::StayList::of(&kept, ctx.today)))
}

pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(new): ApiJson<c::NewStay>,
) -> AppResult<(StatusCode, Json<c::StayList>)> {
    let ctx = user.ctx(&state);
    let nightly_cost_kr = new.nightly_cost_kr.map(|kr| kr.to_string()).unwrap_or_default();
    let input = StayInput {
        place: &new.place,
        provider: new.provider.as_deref().unwrap_or_default(),
        from: &new.from,
        to: new.to.as_deref().unwrap_or_default(),
        end_reason: new.end_reason.map(EndReason::code).unwrap_or_default(),
        with_children: new.with_children,
        nightly_cost_kr: &nightly_cost_kr,
        quality_remarks: new.quality_remarks.as_deref().unwrap_or_default(),
    };
    let kept = stays::record_stay(&ctx, path_id(&id)?, &input).await?;
    Ok((StatusCode::CREATED, Json(c::StayList::of(&kept, ctx.today))))
}

pub async fn end(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, stay)): Path<(String, String)>,
    ApiJson(end): ApiJson<c::EndStay>,
) -> AppResult<Json<c::StayList>> {
    let ctx = user.ctx(&state);
    let kept = stays::end_stay(&ctx, path_id(&id)?, &stay, &end.to, end.end_reason.code()).await?;
    Ok(Json(c::StayList::of(&kept, ctx.today)))
}

pub async fn ongoing(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<contract::queries::MunicipalityParam>,
) -> AppResult<Json<c::StayList>> {
    let municipality =
        municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewTemporaryStays).await?;
    let ctx = user.ctx(&state);
    let kept = stays::ongoing_stays(&ctx, municipality).await?;
    Ok(Json(c::StayList::of(&kept, ctx.today)))
}

pub async fn figures(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<c::FiguresParams>,
) -> AppResult<Json<StayFigures>> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewStayFigures).await?;
    Ok(Json(
        stays::stay_figures(&user.ctx(&state), municipality, param.year).await?,
    ))
}
