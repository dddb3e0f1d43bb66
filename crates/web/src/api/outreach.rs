//! The bostøtte outreach list and the contacts made from it, over the API. The same use cases as
//! the pages (`husly_usecases::outreach`).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::bostotte::contact::ContactInput;
use husly_usecases::outreach;

use super::contract::outreach as c;
use super::contract::queries::OutreachParams;
use super::{ApiJson, ApiUser, municipality_for};
use crate::AppState;
use crate::error::AppResult;
use crate::forms::path_id;

/// `GET /outreach/bostotte`: the list of a month with its contacts.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<OutreachParams>,
) -> AppResult<Json<c::Outreach>> {
    let id = municipality_for(&state, &user, params.municipality.as_deref(), Action::RunOutreach).await?;
    let month = params.month.as_deref();
    let (kept, contacts) = outreach::outreach_with_contacts(&user.ctx(&state), id, month, "json", None).await?;
    Ok(Json(c::Outreach::from_parts(kept, contacts)))
}

/// `POST /outreach/bostotte/make`: the month's list made again from the tenancies as they are.
pub async fn make(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<OutreachParams>,
) -> AppResult<Json<c::OutreachMade>> {
    let id = municipality_for(&state, &user, params.municipality.as_deref(), Action::RunOutreach).await?;
    let kept = outreach::make_outreach_list(&user.ctx(&state), id, params.month.as_deref()).await?;
    Ok(Json(kept.into()))
}

/// `GET /households/{id}/outreach-contacts`: the household's contact from a month's list.
pub async fn contact(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(params): Query<c::MonthParam>,
) -> AppResult<Json<c::HouseholdContact>> {
    let id: HouseholdId = path_id(&id)?;
    let found = outreach::outreach_contact_form(&user.ctx(&state), id, params.month.as_deref()).await?;
    Ok(Json(c::HouseholdContact::from_parts(id, found)))
}

/// `POST /households/{id}/outreach-contacts`: recorded (or recorded again for the month).
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::ContactRequest>,
) -> AppResult<Json<c::HouseholdContact>> {
    let ctx = user.ctx(&state);
    let id: HouseholdId = path_id(&id)?;
    let input = ContactInput {
        contacted_on: &request.contacted_on,
        channel: request.channel.code(),
        outcome: request.outcome.code(),
        note: request.note.as_deref().unwrap_or_default(),
    };
    let month = request.month.as_deref();
    outreach::record_outreach_contact(&ctx, id, month, &input).await?;
    let found = outreach::outreach_contact_form(&ctx, id, month).await?;
    Ok(Json(c::HouseholdContact::from_parts(id, found)))
}

/// `DELETE /households/{id}/outreach-contacts/{contact_id}`: a contact recorded in error.
pub async fn remove(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, contact)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let id: HouseholdId = path_id(&id)?;
    outreach::remove_outreach_contact(&user.ctx(&state), id, &contact).await?;
    Ok(StatusCode::NO_CONTENT)
}
