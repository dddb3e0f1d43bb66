//! The caseworker's KOSTRA main-reason classification of a case: kept on the case with who
//! classified it and when; each classification is an event on the case's timeline with its audit
//! entry (the category and the one it replaced, nothing else). Figures by main reason
//! (KOSTRA skjema 13, issue 14) are to read this classification, never the applicant's ticks.

use husly_domain::kostra::KostraCategory;
use husly_domain::{CaseId, MunicipalityId, UserId};
use sqlx::Row;

use super::{case_event, corrupt, read_case_in};
use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;

/// A case's classification as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KostraClassification {
    pub category: KostraCategory,
    pub classified_by: UserId,
    pub classified_by_name: String,
    /// Microseconds since the epoch.
    pub classified_at: i64,
}

fn category_of(code: &str) -> StoreResult<KostraCategory> {
    KostraCategory::from_code(code).ok_or_else(|| corrupt("KOSTRA category", code))
}

impl Store {
    /// Classifies the case's main reason as `category`; `change.user` classifies. Classifying
    /// again replaces the category (the timeline keeps each one).
    pub async fn classify_kostra(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
        category: KostraCategory,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a case is classified by a user".into()))?;
        let mut tx = self.write().await?;
        let case = read_case_in(&mut tx, municipality, case).await?;
        let previous: Option<String> =
            sqlx::query("SELECT kostra_category FROM application_case WHERE municipality_id = $1 AND id = $2")
                .bind(municipality.to_string())
                .bind(case.id.to_string())
                .fetch_one(tx.conn())
                .await?
                .try_get("kostra_category")?;
        sqlx::query(
            "UPDATE application_case SET kostra_category = $1, kostra_classified_by = $2, kostra_classified_at = $3 \
             WHERE municipality_id = $4 AND id = $5",
        )
        .bind(category.code())
        .bind(user.to_string())
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(case.id.to_string())
        .execute(tx.conn())
        .await?;
        let details = serde_json::json!({ "category": category.code(), "previous": previous });
        case_event(&mut tx, &case, "case.kostra_classified", change, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The case's classification, if it has one.
    pub async fn kostra_classification(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
    ) -> StoreResult<Option<KostraClassification>> {
        // The municipality written in: see `db::SAMPLED_INDEXES` (the case page reads this).
        let sql = format!(
            "SELECT c.kostra_category, c.kostra_classified_by, c.kostra_classified_at, u.display_name \
             FROM application_case c LEFT JOIN app_user u ON u.id = c.kostra_classified_by \
             WHERE c.municipality_id = {} AND c.id = $1",
            crate::literal(&municipality.to_string())
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(case.to_string())
            .fetch_optional(&mut self.key_read().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        let Some(code) = row.try_get::<Option<String>, _>("kostra_category")? else {
            return Ok(None);
        };
        let by: Option<String> = row.try_get("kostra_classified_by")?;
        let by = by.ok_or_else(|| StoreError::Corrupt("a KOSTRA category without who classified it".into()))?;
        Ok(Some(KostraClassification {
            category: category_of(&code)?,
            classified_by: UserId(parse_id(&by)?),
            classified_by_name: row.try_get::<Option<String>, _>("display_name")?.unwrap_or_default(),
            classified_at: row
                .try_get::<Option<i64>, _>("kostra_classified_at")?
                .unwrap_or_default(),
        }))
    }
}
