//! Tasks on a case: kept with who gave them to whom and when they were done. Adding one, marking
//! it done and opening it again are events on the case's timeline with an audit entry.

use husly_domain::tasks::NewTask;
use husly_domain::{CaseId, MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use crate::cases::{case_event, read_case_in};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

/// A task as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub case_id: CaseId,
    /// The case's reference (2026-000042), for lists across cases.
    pub case_reference: String,
    pub title: String,
    pub due_on: Date,
    pub assigned_to: UserId,
    pub assigned_name: String,
    /// Microseconds since the epoch; `None` while the task is open.
    pub done_at: Option<i64>,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Task {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Task> {
        let decode = |e: StoreError| sqlx::Error::Decode(e.to_string().into());
        Ok(Task {
            id: row.try_get("id")?,
            case_id: CaseId(parse_id(&row.try_get::<String, _>("case_id")?).map_err(decode)?),
            case_reference: row.try_get("reference")?,
            title: row.try_get("title")?,
            due_on: parse_date_text(&row.try_get::<String, _>("due_on")?).map_err(decode)?,
            assigned_to: UserId(parse_id(&row.try_get::<String, _>("assigned_to")?).map_err(decode)?),
            assigned_name: row.try_get("display_name")?,
            done_at: row.try_get("done_at")?,
        })
    }
}

const TASK_COLUMNS: &str = "t.id, t.case_id, c.reference, t.title, t.due_on, t.assigned_to, u.display_name, t.done_at \
     FROM case_task t JOIN application_case c ON c.id = t.case_id JOIN app_user u ON u.id = t.assigned_to";

impl Store {
    /// Gives a task on a case to `assignee`; `change.user` is who gave it.
    pub async fn add_task(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
        task: &NewTask,
        assignee: UserId,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let creator = change
            .user
            .ok_or_else(|| StoreError::Invalid("a task needs the user who gives it".into()))?;
        let mut tx = self.write().await?;
        let case = read_case_in(&mut tx, municipality, case).await?;
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO case_task (id, municipality_id, case_id, title, due_on, assigned_to, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(case.id.to_string())
        .bind(&task.title)
        .bind(date_text(task.due_on))
        .bind(assignee.to_string())
        .bind(creator.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        let details =
            serde_json::json!({ "task": id, "due_on": date_text(task.due_on), "assigned_to": assignee.to_string() });
        case_event(&mut tx, &case, "case.task_added", change, details).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a task of the case done, or open again. A task already in that state is a conflict
    /// (somebody else got there first).
    pub async fn set_task_done(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
        task: &str,
        done: bool,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = read_case_in(&mut tx, municipality, case).await?;
        let updated = if done {
            sqlx::query(
                "UPDATE case_task SET done_by = $1, done_at = $2 \
                 WHERE municipality_id = $3 AND case_id = $4 AND id = $5 AND done_at IS NULL",
            )
            .bind(change.user.map(|u| u.to_string()))
            .bind(crate::now_micros())
        } else {
            sqlx::query(
                "UPDATE case_task SET done_by = NULL, done_at = NULL \
                 WHERE municipality_id = $1 AND case_id = $2 AND id = $3 AND done_at IS NOT NULL",
            )
        }
        .bind(municipality.to_string())
        .bind(case.id.to_string())
        .bind(task)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(crate::cases::unchanged_row(&mut tx, "case_task", &case, task).await?);
        }
        let kind = if done { "case.task_done" } else { "case.task_reopened" };
        case_event(&mut tx, &case, kind, change, serde_json::json!({ "task": task })).await?;
        tx.commit().await
    }

    /// The tasks of a case, open ones first, each by due date.
    pub async fn tasks(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<Vec<Task>> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} WHERE t.municipality_id = $1 AND t.case_id = $2 \
             ORDER BY CASE WHEN t.done_at IS NULL THEN 0 ELSE 1 END, t.due_on, t.id"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(case.to_string())
            .fetch_all(&mut self.key_read().await?)
            .await?)
    }

    /// The open tasks given to `user` in the municipality, the earliest due first, at most `limit`.
    pub async fn open_tasks_of(
        &self,
        municipality: MunicipalityId,
        user: UserId,
        limit: i64,
    ) -> StoreResult<Vec<Task>> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} WHERE t.municipality_id = $1 AND t.assigned_to = $2 AND t.done_at IS NULL \
             ORDER BY t.due_on, t.id {}",
            crate::limit(limit)
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(user.to_string())
            .fetch_all(&mut self.key_read().await?)
            .await?)
    }
}
