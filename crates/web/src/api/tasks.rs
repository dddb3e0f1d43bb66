//! Tasks on a case: list them, give one, mark one done or open it again.

use super::contract;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use husly_usecases::tasks;

pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::TaskList>> {
    let found = tasks::case_tasks(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(contract::TaskList::from(found.as_slice())))
}

pub async fn add(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(task): ApiJson<contract::requests::NewTask>,
) -> AppResult<(StatusCode, Json<contract::TaskList>)> {
    let (ctx, id) = (user.ctx(&state), path_id(&id)?);
    let found = tasks::add_task(&ctx, id, &task.title, &task.due_on, task.assigned_to).await?;
    Ok((StatusCode::CREATED, Json(contract::TaskList::from(found.as_slice()))))
}

pub async fn set_done(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, task)): Path<(String, String)>,
    ApiJson(change): ApiJson<contract::requests::TaskDone>,
) -> AppResult<Json<contract::TaskList>> {
    let (ctx, id) = (user.ctx(&state), path_id(&id)?);
    let found = tasks::set_task_done(&ctx, id, &task, change.done).await?;
    Ok(Json(contract::TaskList::from(found.as_slice())))
}
