//! Letters of a case: stored with the change that sends them, never changed, read back exactly
//! as sent.

use husly_domain::DecisionId;
use husly_domain::{CaseId, MunicipalityId, UserId};
use sqlx::Row;

use crate::Store;
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub id: String,
    pub kind: String,
    pub language: String,
    pub sha256: String,
    pub created_at: i64,
}

/// A letter to store with the change that sends it.
pub struct NewLetter<'a> {
    pub kind: &'a str,
    pub language: &'a str,
    pub html: &'a str,
    pub pdf: &'a [u8],
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Letter {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Letter> {
        Ok(Letter {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            language: row.try_get("language")?,
            sha256: row.try_get("sha256")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// Stores a letter of `case` in the transaction that sends it; returns the PDF's SHA-256.
pub(crate) async fn store_letter(
    tx: &mut Tx,
    municipality: MunicipalityId,
    case: CaseId,
    decision: Option<DecisionId>,
    letter: &NewLetter<'_>,
    user: Option<UserId>,
) -> StoreResult<String> {
    use sha2::{Digest, Sha256};
    let id = uuid::Uuid::now_v7().to_string();
    let sha = hex::encode(Sha256::digest(letter.pdf));
    sqlx::query(
        "INSERT INTO case_letter (id, municipality_id, case_id, decision_id, kind, language, html, pdf, sha256, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(municipality.to_string())
    .bind(case.to_string())
    .bind(decision.map(|d| d.to_string()))
    .bind(letter.kind)
    .bind(letter.language)
    .bind(letter.html)
    .bind(letter.pdf.to_vec())
    .bind(&sha)
    .bind(user.map(|u| u.to_string()))
    .bind(crate::now_micros())
    .execute(tx.conn())
    .await?;
    Ok(sha)
}

impl Store {
    pub async fn letters(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<Vec<Letter>> {
        let rows = sqlx::query_as(
            "SELECT id, kind, language, sha256, created_at FROM case_letter WHERE municipality_id = $1 AND case_id = $2 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_all(&mut self.key_read().await?)
        .await?;
        Ok(rows)
    }

    /// A stored letter: its HTML and PDF, exactly as sent.
    pub async fn letter(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
        id: &str,
    ) -> StoreResult<(Letter, String, Vec<u8>)> {
        let row = sqlx::query(
            "SELECT id, kind, language, sha256, created_at, html, pdf FROM case_letter \
             WHERE municipality_id = $1 AND case_id = $2 AND id = $3",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        let pdf: Vec<u8> = row.try_get("pdf")?;
        Ok((<Letter as sqlx::FromRow<_>>::from_row(&row)?, row.try_get("html")?, pdf))
    }
}
