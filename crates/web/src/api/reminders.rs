//! Reminders over the API: the same use cases as the page (`husly_usecases::reminders`).

use axum::Json;
use axum::extract::{Path, Query, State};
use husly_domain::authz::Action;
use husly_usecases::reminders;

use super::contract::queries::MunicipalityParam;
use super::contract::reminders as c;
use super::{ApiJson, ApiUser, municipality_for};
use crate::AppState;
use crate::error::AppResult;

/// `GET /reminders`: the caller's reminders.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
) -> AppResult<Json<c::ReminderList>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewReminders).await?;
    let found = reminders::my_reminders(&user.ctx(&state), municipality).await?;
    Ok(Json(c::ReminderList::of(&found)))
}

/// `POST /reminders/{reminder_id}`: marked done or open again; answers the caller's list.
pub async fn mark(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(params): Query<MunicipalityParam>,
    ApiJson(request): ApiJson<c::ReminderMarkRequest>,
) -> AppResult<Json<c::ReminderList>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::MarkReminder).await?;
    let ctx = user.ctx(&state);
    reminders::mark_reminder(&ctx, municipality, &id, request.state.code(), request.version).await?;
    let found = reminders::my_reminders(&ctx, municipality).await?;
    Ok(Json(c::ReminderList::of(&found)))
}
