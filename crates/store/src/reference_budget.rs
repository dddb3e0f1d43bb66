//! A municipality's reference-budget tables (SIFO), one row per saved version. Saving appends a
//! version with an audit entry; nothing is updated or deleted. No personal data.

use husly_domain::startlan::{ReferenceBudget, ReferenceBudgetAmounts};
use husly_domain::{MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::{Store, date_text, parse_date_text};

/// A saved version with who entered it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReferenceBudget {
    pub budget: ReferenceBudget,
    /// The version of `rules/reference_budget.toml`'s layout the amounts were keyed by.
    pub layout_version: String,
    pub entered_by: Option<UserId>,
    /// Microseconds since the epoch.
    pub entered_at: i64,
}

fn stored(row: &sqlx::any::AnyRow) -> StoreResult<StoredReferenceBudget> {
    let amounts: String = row.try_get("amounts")?;
    let amounts: ReferenceBudgetAmounts =
        serde_json::from_str(&amounts).map_err(|e| StoreError::Corrupt(format!("reference budget amounts: {e}")))?;
    let entered_by: Option<String> = row.try_get("entered_by")?;
    Ok(StoredReferenceBudget {
        budget: ReferenceBudget {
            version: row.try_get("version")?,
            valid_from: parse_date_text(&row.try_get::<String, _>("valid_from")?)?,
            label: row.try_get("label")?,
            amounts,
        },
        layout_version: row.try_get("layout_version")?,
        entered_by: entered_by
            .map(|u| u.parse().map_err(|_| StoreError::Corrupt(format!("user id {u:?}"))))
            .transpose()?,
        entered_at: row.try_get("entered_at")?,
    })
}

impl Store {
    /// Saves a new version of the municipality's table. `expected_version` is the latest version
    /// the user saw (0 for none); another save in the meantime is a conflict. Returns the version.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_reference_budget(
        &self,
        municipality: MunicipalityId,
        expected_version: i64,
        valid_from: Date,
        label: &str,
        layout_version: &str,
        amounts: &ReferenceBudgetAmounts,
        change: &Change<'_>,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let latest: i64 =
            sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM reference_budget WHERE municipality_id = $1")
                .bind(municipality.to_string())
                .fetch_one(tx.conn())
                .await?
                .try_get("v")?;
        if latest != expected_version {
            return Err(StoreError::Conflict {
                expected: expected_version,
            });
        }
        let version = latest + 1;
        let json = serde_json::to_string(amounts).map_err(|e| StoreError::Invalid(e.to_string()))?;
        sqlx::query(
            "INSERT INTO reference_budget (id, municipality_id, version, valid_from, label, layout_version, amounts, \
             entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(municipality.to_string())
        .bind(version)
        .bind(date_text(valid_from))
        .bind(label)
        .bind(layout_version)
        .bind(&json)
        .bind(change.user.map(|u| u.to_string()))
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "reference_budget.set",
                resource_kind: "reference_budget",
                resource_id: version.to_string(),
                details: serde_json::json!({ "valid_from": date_text(valid_from), "label": label }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Every version, newest first.
    pub async fn reference_budgets(&self, municipality: MunicipalityId) -> StoreResult<Vec<StoredReferenceBudget>> {
        let rows = sqlx::query(
            "SELECT version, valid_from, label, layout_version, amounts, entered_by, entered_at \
             FROM reference_budget WHERE municipality_id = $1 ORDER BY version DESC",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(stored).collect()
    }

    /// The table in force on `date`: of the versions valid from that day or earlier, the one
    /// valid from the latest day, and of those the newest version.
    pub async fn reference_budget_on(
        &self,
        municipality: MunicipalityId,
        date: Date,
    ) -> StoreResult<Option<StoredReferenceBudget>> {
        let row = sqlx::query(
            "SELECT version, valid_from, label, layout_version, amounts, entered_by, entered_at \
             FROM reference_budget WHERE municipality_id = $1 AND valid_from <= $2 \
             ORDER BY valid_from DESC, version DESC LIMIT 1",
        )
        .bind(municipality.to_string())
        .bind(date_text(date))
        .fetch_optional(&mut self.key_read().await?)
        .await?;
        row.as_ref().map(stored).transpose()
    }
}
