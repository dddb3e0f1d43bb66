//! Tasks on a case: a caseworker gives one (to themselves or another caseworker of the
//! municipality) with a due date, marks it done, or opens it again; each caseworker sees their
//! open tasks with the work queue ([`crate::cases::work_queue`]).

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::{Action, Role};
use husly_domain::tasks::check_task;
use husly_domain::validation::{FieldError, parse_date};
use husly_domain::{CaseId, MunicipalityId, UserId};
use husly_store::tasks::Task;
use serde_json::json;

/// The most open tasks listed above the queue ([`crate::cases::work_queue`]).
pub const MY_TASKS: i64 = 50;

/// The caseworkers of the municipality a task or a case can be given to (active, with the
/// caseworker role), as (id, name) by name.
pub async fn assignees(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<(UserId, String)>> {
    ctx.require(Action::HandleCase, municipality)?;
    Ok(ctx.store.active_holders(municipality, Role::Caseworker).await?)
}

/// Gives a task on a case, due on `due_on` (dd.mm.åååå or åååå-mm-dd), to `assignee` (the caller
/// when `None`). Returns the case's tasks. Field errors are named `title`, `due_on`, `assigned_to`.
pub async fn add_task(
    ctx: &Ctx,
    case: CaseId,
    title: &str,
    due_on: &str,
    assignee: Option<UserId>,
) -> UseCaseResult<Vec<Task>> {
    let municipality = ctx.case_owner(case, Action::HandleCase).await?;
    let assignee = assignee.unwrap_or(ctx.user.id);
    let checked = check_task(title, parse_date(due_on.trim()), ctx.today);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    if !assignees(ctx, municipality)
        .await?
        .iter()
        .any(|(id, _)| *id == assignee)
    {
        errors.push(FieldError::new(
            "assigned_to",
            "not_a_caseworker",
            "error.task.not_a_caseworker",
        ));
    }
    let task = match checked {
        Ok(task) if errors.is_empty() => task,
        _ => return Err(UseCaseError::Invalid(errors)),
    };
    let actor = ctx.actor(municipality);
    ctx.store
        .add_task(municipality, case, &task, assignee, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.tasks(municipality, case).await?)
}

/// Marks a task of the case done, or (`done` false) open again; returns the case's tasks.
pub async fn set_task_done(ctx: &Ctx, case: CaseId, task: &str, done: bool) -> UseCaseResult<Vec<Task>> {
    let municipality = ctx.case_owner(case, Action::HandleCase).await?;
    let actor = ctx.actor(municipality);
    ctx.store
        .set_task_done(municipality, case, task, done, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.tasks(municipality, case).await?)
}

/// The tasks of a case, open ones first; the read is recorded.
pub async fn case_tasks(ctx: &Ctx, case: CaseId) -> UseCaseResult<Vec<Task>> {
    let municipality = ctx.case_owner(case, Action::ViewCase).await?;
    let tasks = ctx.store.tasks(municipality, case).await?;
    ctx.audit_read(
        municipality,
        "case.tasks",
        ("case", case.to_string()),
        json!({ "tasks": tasks.len() }),
    )
    .await?;
    Ok(tasks)
}
