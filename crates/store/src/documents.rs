//! Documents of a case (or of a draft until it is submitted).

use husly_domain::documents::DocumentType;
use husly_domain::{CaseId, MunicipalityId};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::Store;
use crate::audit::{self, Actor, Event};
use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
}

/// Where a document belongs: a case, or a draft not yet submitted.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    Case(CaseId),
    Draft(&'a str),
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Document {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Document> {
        Ok(Document {
            id: row.try_get("id")?,
            filename: row.try_get("filename")?,
            mime: row.try_get("mime")?,
            size: row.try_get("size")?,
            sha256: row.try_get("sha256")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

impl Store {
    pub async fn add_document(
        &self,
        municipality: MunicipalityId,
        owner: Owner<'_>,
        filename: &str,
        kind: DocumentType,
        bytes: &[u8],
        actor: &Actor,
    ) -> StoreResult<Document> {
        let mut tx = self.write().await?;
        let document = insert_document(&mut tx, municipality, owner, filename, kind, bytes, actor).await?;
        tx.commit().await?;
        Ok(document)
    }

    pub async fn documents(&self, municipality: MunicipalityId, owner: Owner<'_>) -> StoreResult<Vec<Document>> {
        let (column, value) = match owner {
            Owner::Case(c) => ("case_id", c.to_string()),
            Owner::Draft(d) => ("draft_id", d.to_string()),
        };
        let sql = format!(
            "SELECT id, filename, mime, size, sha256, created_at FROM case_document \
             WHERE municipality_id = $1 AND {column} = $2 ORDER BY created_at, id"
        );
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(value)
            .fetch_all(&mut self.key_read().await?)
            .await?;
        Ok(rows)
    }

    /// One document's bytes, only through the case (or draft) it belongs to.
    pub async fn document(
        &self,
        municipality: MunicipalityId,
        owner: Owner<'_>,
        id: &str,
    ) -> StoreResult<(Document, Vec<u8>)> {
        let (column, value) = match owner {
            Owner::Case(c) => ("case_id", c.to_string()),
            Owner::Draft(d) => ("draft_id", d.to_string()),
        };
        let sql = format!(
            "SELECT id, filename, mime, size, sha256, created_at, content FROM case_document \
             WHERE municipality_id = $1 AND {column} = $2 AND id = $3"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(value)
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        let bytes: Vec<u8> = row.try_get("content")?;
        Ok((<Document as sqlx::FromRow<_>>::from_row(&row)?, bytes))
    }
}

impl Store {
    /// What applicants uploaded to the municipality since `since` (microseconds): the bytes in
    /// all, and when the earliest of those uploads was made (`None` when there were none).
    pub async fn applicant_uploads_since(
        &self,
        municipality: MunicipalityId,
        since: i64,
    ) -> StoreResult<(i64, Option<i64>)> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes, MIN(created_at) AS earliest FROM case_document \
             WHERE municipality_id = $1 AND created_at >= $2 AND uploaded_by LIKE 'applicant:%'",
        )
        .bind(municipality.to_string())
        .bind(since)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok((row.try_get("bytes")?, row.try_get("earliest")?))
    }
}

/// Stores a document in the caller's transaction, with its audit entry.
pub(crate) async fn insert_document(
    tx: &mut crate::db::Tx,
    municipality: MunicipalityId,
    owner: Owner<'_>,
    filename: &str,
    kind: DocumentType,
    bytes: &[u8],
    actor: &Actor,
) -> StoreResult<Document> {
    let id = uuid::Uuid::now_v7().to_string();
    let sha256 = hex::encode(Sha256::digest(bytes));
    let now = crate::now_micros();
    let (case, draft) = match owner {
        Owner::Case(c) => (Some(c.to_string()), None),
        Owner::Draft(d) => (None, Some(d.to_string())),
    };
    sqlx::query(
        "INSERT INTO case_document (id, municipality_id, case_id, draft_id, filename, mime, size, sha256, content, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(municipality.to_string())
    .bind(&case)
    .bind(&draft)
    .bind(filename)
    .bind(kind.mime())
    .bind(bytes.len() as i64)
    .bind(&sha256)
    .bind(bytes.to_vec())
    .bind(&actor.actor)
    .bind(now)
    .execute(tx.conn())
    .await?;
    audit::append(
        tx,
        actor,
        Event {
            municipality: Some(municipality),
            action: "document.add",
            resource_kind: if case.is_some() { "case" } else { "application_draft" },
            resource_id: case.or(draft).unwrap_or_default(),
            details: serde_json::json!({ "document": id, "sha256": sha256, "size": bytes.len() }),
        },
    )
    .await?;
    Ok(Document {
        id,
        filename: filename.to_string(),
        mime: kind.mime().to_string(),
        size: bytes.len() as i64,
        sha256,
        created_at: now,
    })
}
