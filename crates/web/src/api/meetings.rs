//! Collaboration meetings over the API: the same use cases as the pages
//! (`husly_usecases::meetings`), at the unit's door and at the partner's.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use husly_domain::HouseholdId;
use husly_domain::meeting::{ActionInput, MeetingInput};
use husly_usecases::meetings;

use super::contract::meetings as c;
use super::{ApiJson, ApiUser};
use crate::AppState;
use crate::error::AppResult;
use crate::forms::path_id;

fn input(r: &c::MeetingRequest) -> MeetingInput<'_> {
    MeetingInput {
        kind: r.kind.code(),
        held_on: &r.held_on,
        summary: &r.summary,
        organisations: r.organisations.iter().map(String::as_str).collect(),
        household_present: r.household_present,
        others: &r.others,
        actions: r
            .actions
            .iter()
            .map(|a| ActionInput {
                description: &a.description,
                owner: &a.owner,
                due_on: &a.due_on,
            })
            .collect(),
    }
}

/// `GET /households/{id}/meetings`.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::MeetingList>> {
    let id: HouseholdId = path_id(&id)?;
    let found = meetings::household_meetings(&user.ctx(&state), id).await?;
    let today = state.clock.today();
    Ok(Json(c::MeetingList {
        household_id: id,
        meetings: found.meetings.iter().map(|m| c::Meeting::of(m, today)).collect(),
    }))
}

/// `POST /households/{id}/meetings`: recorded by the unit.
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::MeetingRequest>,
) -> AppResult<(StatusCode, Json<c::Meeting>)> {
    let id: HouseholdId = path_id(&id)?;
    let kept = meetings::record_meeting(&user.ctx(&state), id, &input(&request)).await?;
    Ok((StatusCode::CREATED, Json(c::Meeting::of(&kept, state.clock.today()))))
}

/// `POST /households/{id}/meetings/actions/{action_id}`: one of the unit's actions done or open.
pub async fn change_action(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, action)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::ActionChangeRequest>,
) -> AppResult<Json<c::MeetingAction>> {
    let id: HouseholdId = path_id(&id)?;
    let to = (request.state.code(), request.outcome.as_str());
    let changed = meetings::change_action(&user.ctx(&state), id, &action, to).await?;
    Ok(Json(c::MeetingAction::of(&changed, state.clock.today())))
}

/// `POST /partner/households/{id}/meetings`: recorded by the caller's organisation.
pub async fn partner_record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::MeetingRequest>,
) -> AppResult<(StatusCode, Json<c::Meeting>)> {
    let id: HouseholdId = path_id(&id)?;
    let kept = meetings::partner_record_meeting(&user.ctx(&state), id, &input(&request)).await?;
    Ok((StatusCode::CREATED, Json(c::Meeting::of(&kept, state.clock.today()))))
}

/// `POST /partner/households/{id}/meetings/actions/{action_id}`: one of the organisation's
/// actions done or open.
pub async fn partner_change_action(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, action)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::ActionChangeRequest>,
) -> AppResult<Json<c::MeetingAction>> {
    let id: HouseholdId = path_id(&id)?;
    let to = (request.state.code(), request.outcome.as_str());
    let changed = meetings::partner_change_action(&user.ctx(&state), id, &action, to).await?;
    Ok(Json(c::MeetingAction::of(&changed, state.clock.today())))
}
