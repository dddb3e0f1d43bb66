//! Tasks on the case page (`tasks.html`) and the caseworker's open tasks above the work queue.

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, path_id};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::{CaseId, UserId};
use husly_store::tasks::Task;
use husly_usecases::{UseCaseError, tasks};
use serde::Deserialize;
use time::Date;

/// The tasks section of the case page.
#[derive(Debug, Clone, Default)]
pub struct TasksSection {
    pub case_id: String,
    pub tasks: Vec<Task>,
    /// Caseworkers a task can be given to: (id, name); empty for those who cannot give tasks.
    pub assignees: Vec<(UserId, String)>,
    pub me: Option<UserId>,
    pub today: Option<Date>,
    /// What was typed, kept when the task was refused.
    pub title: String,
    pub due_on: String,
    pub assigned_to: String,
    pub errors: FormErrors,
}

impl TasksSection {
    pub fn can_write(&self) -> bool {
        !self.assignees.is_empty()
    }

    pub fn date(&self, d: &Date) -> String {
        husly_domain::validation::format_date(*d)
    }

    pub fn overdue(&self, task: &Task) -> bool {
        task.done_at.is_none() && self.today.is_some_and(|today| task.due_on < today)
    }

    /// Whether `id` is the one chosen in the form: what was typed, else the reader.
    pub fn chosen(&self, id: &UserId) -> bool {
        match self.assigned_to.as_str() {
            "" => self.me == Some(*id),
            typed => typed == id.to_string(),
        }
    }

    pub fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

#[derive(Debug, Deserialize)]
struct TaskForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    assigned_to: String,
}

pub async fn add(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: TaskForm = form.bind()?;
    let ctx = form.user.ctx(&state);
    let assignee = match f.assigned_to.trim() {
        "" => None,
        typed => Some(path_id(typed)?),
    };
    match tasks::add_task(&ctx, id, &f.title, &f.due_on, assignee).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/cases/{id}#tasks"),
            "flash.task.added",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let file = husly_usecases::cases::open_case(&ctx, id, Action::ViewCase).await?;
            let mut page = super::cases::view::case_page(&state, &form.user, file).await?;
            let errors: Vec<_> = errors
                .into_iter()
                .map(|mut e| {
                    e.field = format!("task.{}", e.field);
                    e
                })
                .collect();
            page.tasks.errors = FormErrors::from_fields(&errors, form.user.tr.lang);
            page.tasks.title = f.title;
            page.tasks.due_on = f.due_on;
            page.tasks.assigned_to = f.assigned_to;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn done(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    set(state, id, task, form, true).await
}

pub async fn reopen(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    set(state, id, task, form, false).await
}

async fn set(state: AppState, id: String, task: String, form: StaffForm, done: bool) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    tasks::set_task_done(&form.user.ctx(&state), id, &task, done).await?;
    let said = if done { "flash.task.done" } else { "flash.task.reopened" };
    Ok(crate::flash::redirect(&format!("/cases/{id}#tasks"), said))
}
