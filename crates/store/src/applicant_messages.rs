//! What an applicant writes from the status page of a submitted application: a message and, with
//! it, a document. Kept as sent, one event on the case (naming the message and the document,
//! never the text) and, when the case has a caseworker, a task for them — in one transaction.

use husly_domain::documents::DocumentType;
use husly_domain::{CaseId, MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use crate::audit::Actor;
use crate::cases::{case_event, read_case_in};
use crate::documents::{Owner, insert_document};
use crate::error::StoreResult;
use crate::households::Change;
use crate::{Store, date_text};

/// What the applicant sends: a message, a document, or both.
pub struct ApplicantContribution<'a> {
    pub text: Option<&'a str>,
    /// The document as checked: its name, type and bytes.
    pub document: Option<(&'a str, DocumentType, &'a [u8])>,
    /// The task it raises for the case's caseworker: title, due date, the caseworker.
    pub task: Option<(&'a str, Date, UserId)>,
}

/// A message as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantMessage {
    pub id: String,
    pub text: String,
    /// Microseconds since the epoch.
    pub sent_at: i64,
}

impl Store {
    /// Keeps what the applicant of draft `draft` sends on its case.
    pub async fn add_applicant_contribution(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
        draft: &str,
        contribution: &ApplicantContribution<'_>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = read_case_in(&mut tx, municipality, case).await?;
        let now = crate::now_micros();
        let message = match contribution.text {
            Some(text) => {
                let id = uuid::Uuid::now_v7().to_string();
                sqlx::query(
                    "INSERT INTO applicant_message (id, municipality_id, case_id, draft_id, text, sent_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&id)
                .bind(municipality.to_string())
                .bind(case.id.to_string())
                .bind(draft)
                .bind(text)
                .bind(now)
                .execute(tx.conn())
                .await?;
                Some(id)
            }
            None => None,
        };
        let document = match contribution.document {
            Some((filename, kind, bytes)) => Some(
                insert_document(
                    &mut tx,
                    municipality,
                    Owner::Case(case.id),
                    filename,
                    kind,
                    bytes,
                    actor,
                )
                .await?
                .id,
            ),
            None => None,
        };
        let change = Change {
            actor,
            user: None,
            reason: None,
        };
        let details = serde_json::json!({ "message": message, "document": document });
        case_event(&mut tx, &case, "case.applicant_wrote", &change, details).await?;
        if let Some((title, due_on, assignee)) = contribution.task {
            let id = uuid::Uuid::now_v7().to_string();
            sqlx::query(
                "INSERT INTO case_task (id, municipality_id, case_id, title, due_on, assigned_to, created_by, created_at, raised_by_applicant) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
            )
            .bind(&id)
            .bind(municipality.to_string())
            .bind(case.id.to_string())
            .bind(title)
            .bind(date_text(due_on))
            .bind(assignee.to_string())
            .bind(assignee.to_string())
            .bind(now)
            .execute(tx.conn())
            .await?;
            let details = serde_json::json!({
                "task": id, "due_on": date_text(due_on), "assigned_to": assignee.to_string(), "raised_by": "applicant"
            });
            case_event(&mut tx, &case, "case.task_added", &change, details).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The messages the applicant has sent on a case, oldest first.
    pub async fn applicant_messages(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
    ) -> StoreResult<Vec<ApplicantMessage>> {
        let rows = sqlx::query(
            "SELECT id, text, sent_at FROM applicant_message WHERE municipality_id = $1 AND case_id = $2 \
             ORDER BY sent_at, id",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_all(&mut self.key_read().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ApplicantMessage {
                    id: row.try_get("id")?,
                    text: row.try_get("text")?,
                    sent_at: row.try_get("sent_at")?,
                })
            })
            .collect()
    }
}
