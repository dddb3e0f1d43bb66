//! Journal notes on a case or a household: kept as written, never changed or deleted. Each note
//! is an event on the case's or household's timeline and an entry in the audit log (which name
//! the note, never its text).

use husly_domain::notes::{NewNote, NoteVisibility};
use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use sqlx::Row;

use crate::Store;
use crate::cases::{case_event, read_case_in};
use crate::error::{StoreError, StoreResult};
use crate::households::{Change, record_change};

/// What a note is written on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteSubject {
    Case(CaseId),
    Household(HouseholdId),
}

/// A note as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub visibility: NoteVisibility,
    pub text: String,
    /// The writer's display name.
    pub written_by: String,
    /// Microseconds since the epoch.
    pub written_at: i64,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Note {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Note> {
        let visibility: String = row.try_get("visibility")?;
        Ok(Note {
            id: row.try_get("id")?,
            visibility: NoteVisibility::from_code(&visibility)
                .ok_or_else(|| sqlx::Error::Decode(format!("note visibility `{visibility}`").into()))?,
            text: row.try_get("text")?,
            written_by: row.try_get("display_name")?,
            written_at: row.try_get("written_at")?,
        })
    }
}

impl Store {
    /// Keeps a note on a case or a household of the municipality, with its event and audit entry
    /// in the same transaction. `change.user` is the writer.
    pub async fn add_note(
        &self,
        municipality: MunicipalityId,
        subject: NoteSubject,
        note: &NewNote,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let writer = change
            .user
            .ok_or_else(|| StoreError::Invalid("a note needs the user who writes it".into()))?;
        let mut tx = self.write().await?;
        let (household, case) = match subject {
            NoteSubject::Case(id) => {
                let case = read_case_in(&mut tx, municipality, id).await?;
                (case.household_id, Some(case))
            }
            NoteSubject::Household(id) => {
                let exists = sqlx::query("SELECT 1 AS one FROM household WHERE municipality_id = $1 AND id = $2")
                    .bind(municipality.to_string())
                    .bind(id.to_string())
                    .fetch_optional(tx.conn())
                    .await?;
                if exists.is_none() {
                    return Err(StoreError::NotFound);
                }
                (id, None)
            }
        };
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO journal_note (id, municipality_id, household_id, case_id, visibility, text, written_by, written_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(case.as_ref().map(|c| c.id.to_string()))
        .bind(note.visibility.code())
        .bind(&note.text)
        .bind(writer.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        // The timeline and the audit log name the note and who may read it, not what it says.
        let details = serde_json::json!({ "note": id, "visibility": note.visibility.code() });
        match &case {
            Some(case) => case_event(&mut tx, case, "case.note_added", change, details).await?,
            None => {
                record_change(
                    &mut tx,
                    municipality,
                    household,
                    ("household.note_added", "household.note"),
                    change,
                    details,
                )
                .await?
            }
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The notes on a case or household (a household's own, not its cases'), oldest first, of
    /// every visibility: who may read which is the caller's rule.
    pub async fn notes(&self, municipality: MunicipalityId, subject: NoteSubject) -> StoreResult<Vec<Note>> {
        let (column, id, own) = match subject {
            NoteSubject::Case(id) => ("case_id", id.to_string(), ""),
            NoteSubject::Household(id) => ("household_id", id.to_string(), " AND n.case_id IS NULL"),
        };
        let sql = format!(
            "SELECT n.id, n.visibility, n.text, u.display_name, n.written_at FROM journal_note n \
             JOIN app_user u ON u.id = n.written_by \
             WHERE n.municipality_id = $1 AND n.{column} = $2{own} ORDER BY n.written_at, n.id"
        );
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(id)
            .fetch_all(&mut self.key_read().await?)
            .await?;
        Ok(rows)
    }
}
