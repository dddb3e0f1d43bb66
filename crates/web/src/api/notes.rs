//! Journal notes on a case or a household: read those the caller may see, write one.

use super::contract;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use husly_usecases::notes;

pub async fn case_notes(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::NoteList>> {
    let found = notes::case_notes(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(contract::NoteList::from(found.as_slice())))
}

pub async fn add_case_note(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(note): ApiJson<contract::requests::NewNote>,
) -> AppResult<(StatusCode, Json<contract::NoteList>)> {
    let (ctx, id) = (user.ctx(&state), path_id(&id)?);
    let found = notes::add_case_note(&ctx, id, &note.text, note.visibility).await?;
    Ok((StatusCode::CREATED, Json(contract::NoteList::from(found.as_slice()))))
}

pub async fn household_notes(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::NoteList>> {
    let found = notes::household_notes(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(contract::NoteList::from(found.as_slice())))
}

pub async fn add_household_note(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(note): ApiJson<contract::requests::NewNote>,
) -> AppResult<(StatusCode, Json<contract::NoteList>)> {
    let (ctx, id) = (user.ctx(&state), path_id(&id)?);
    let found = notes::add_household_note(&ctx, id, &note.text, note.visibility).await?;
    Ok((StatusCode::CREATED, Json(contract::NoteList::from(found.as_slice()))))
}
