//! A municipality's own versions of the priority policy for the waiting list, one row per saved
//! version. Saving appends a version with an audit entry in the same transaction; nothing is
//! updated or deleted, so a ranking can always cite the text it used. The store keeps the text
//! and its fingerprint as given: parsing and every rule about a version live in the domain.
//! No personal data.

use husly_domain::{MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::{Store, date_text, parse_date_text};

/// A saved version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPolicy {
    /// UUIDv7.
    pub id: String,
    pub municipality: MunicipalityId,
    /// The municipality's own label, unique within the municipality.
    pub version: String,
    pub effective_from: Date,
    /// The policy's TOML text, as checked and saved.
    pub text: String,
    /// Hex SHA-256 of the canonical text.
    pub fingerprint: String,
    /// Why the policy was changed.
    pub reason: String,
    pub created_by: Option<UserId>,
    /// Microseconds since the epoch.
    pub created_at: i64,
}

/// What a new version holds.
#[derive(Debug, Clone, Copy)]
pub struct NewPolicy<'a> {
    pub version: &'a str,
    pub effective_from: Date,
    pub text: &'a str,
    pub fingerprint: &'a str,
    pub reason: &'a str,
}

const COLUMNS: &str =
    "id, municipality_id, version, effective_from, policy, fingerprint, reason, created_by, created_at";

fn stored(row: &sqlx::any::AnyRow) -> StoreResult<StoredPolicy> {
    let municipality: String = row.try_get("municipality_id")?;
    let created_by: Option<String> = row.try_get("created_by")?;
    Ok(StoredPolicy {
        id: row.try_get("id")?,
        municipality: municipality
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("municipality id {municipality:?}")))?,
        version: row.try_get("version")?,
        effective_from: parse_date_text(&row.try_get::<String, _>("effective_from")?)?,
        text: row.try_get("policy")?,
        fingerprint: row.try_get("fingerprint")?,
        reason: row.try_get("reason")?,
        created_by: created_by
            .map(|u| u.parse().map_err(|_| StoreError::Corrupt(format!("user id {u:?}"))))
            .transpose()?,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    /// Saves a new version with its audit entry (`priority_policy.saved`). A version label the
    /// municipality has used before is a `Duplicate("version")`.
    pub async fn add_priority_policy(
        &self,
        municipality: MunicipalityId,
        new: NewPolicy<'_>,
        change: &Change<'_>,
    ) -> StoreResult<StoredPolicy> {
        let mut tx = self.write().await?;
        let taken = sqlx::query("SELECT 1 AS one FROM priority_policy WHERE municipality_id = $1 AND version = $2")
            .bind(municipality.to_string())
            .bind(new.version)
            .fetch_optional(tx.conn())
            .await?;
        if taken.is_some() {
            return Err(StoreError::Duplicate("version".into()));
        }
        let policy = StoredPolicy {
            id: uuid::Uuid::now_v7().to_string(),
            municipality,
            version: new.version.to_string(),
            effective_from: new.effective_from,
            text: new.text.to_string(),
            fingerprint: new.fingerprint.to_string(),
            reason: new.reason.to_string(),
            created_by: change.user,
            created_at: crate::now_micros(),
        };
        sqlx::query(
            "INSERT INTO priority_policy (id, municipality_id, version, effective_from, policy, fingerprint, reason, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&policy.id)
        .bind(municipality.to_string())
        .bind(&policy.version)
        .bind(date_text(policy.effective_from))
        .bind(&policy.text)
        .bind(&policy.fingerprint)
        .bind(&policy.reason)
        .bind(policy.created_by.map(|u| u.to_string()))
        .bind(policy.created_at)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "priority_policy.saved",
                resource_kind: "priority_policy",
                resource_id: policy.id.clone(),
                details: serde_json::json!({
                    "version": policy.version,
                    "effective_from": date_text(policy.effective_from),
                    "fingerprint": policy.fingerprint,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Every version, the latest effective date first (of one day, the last saved first).
    pub async fn priority_policies(&self, municipality: MunicipalityId) -> StoreResult<Vec<StoredPolicy>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM priority_policy WHERE municipality_id = $1 \
             ORDER BY effective_from DESC, created_at DESC, id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(stored).collect()
    }

    /// One version of the municipality's, by id.
    pub async fn priority_policy(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Option<StoredPolicy>> {
        let sql = format!("SELECT {COLUMNS} FROM priority_policy WHERE municipality_id = $1 AND id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(stored).transpose()
    }

    /// The version in force on `date`: the latest `effective_from` on or before it, and of one
    /// day the one saved last. `None`: the municipality has no own version in force then.
    pub async fn priority_policy_on(
        &self,
        municipality: MunicipalityId,
        date: Date,
    ) -> StoreResult<Option<StoredPolicy>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM priority_policy WHERE municipality_id = $1 AND effective_from <= $2 \
             ORDER BY effective_from DESC, created_at DESC, id DESC LIMIT 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(date_text(date))
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(stored).transpose()
    }
}
