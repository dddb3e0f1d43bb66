//! Rent changes on a contract: recorded with the contract locked at its version, in effect at
//! once when their day has come (the contract's rent set in the same transaction), else applied
//! by the daily job on their day; a change not yet in effect can be cancelled. Each is a
//! tenancy event with its audit entry. The rules (when a change may take effect) are the
//! domain's, checked by the use case before anything is written.

use husly_domain::MunicipalityId;
use husly_domain::tenancy::rent::{NewRentChange, RentBasis};
use husly_domain::validation::FieldError;
use sqlx::Row;
use time::Date;

use crate::contracts::{locked, record};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::{Store, date_text, opt_date, parse_date_text};

/// A recorded rent change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RentChange {
    pub id: String,
    pub effective_from: Date,
    pub monthly_rent_ore: i64,
    pub previous_rent_ore: i64,
    pub basis: RentBasis,
    pub notice_on: Option<Date>,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub applied: bool,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
}

fn rent_change(row: &sqlx::any::AnyRow) -> StoreResult<RentChange> {
    let basis: String = row.try_get("basis")?;
    Ok(RentChange {
        id: row.try_get("id")?,
        effective_from: parse_date_text(&row.try_get::<String, _>("effective_from")?)?,
        monthly_rent_ore: row.try_get("monthly_rent_ore")?,
        previous_rent_ore: row.try_get("previous_rent_ore")?,
        basis: RentBasis::from_code(&basis)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown rent basis {basis:?}")))?,
        notice_on: opt_date(row, "notice_on")?,
        note: row.try_get("note")?,
        recorded_by: row.try_get("display_name")?,
        applied: row.try_get::<Option<i64>, _>("applied_at")?.is_some(),
        cancelled: row.try_get::<Option<i64>, _>("cancelled_at")?.is_some(),
        cancel_reason: row.try_get("cancel_reason")?,
    })
}

async fn set_rent(tx: &mut crate::db::Tx, tenancy: &str, rent_ore: i64, bump: bool) -> StoreResult<()> {
    let sql = if bump {
        "UPDATE tenancy SET monthly_rent_ore = $1, version = version + 1, updated_at = $2 WHERE id = $3"
    } else {
        "UPDATE tenancy SET monthly_rent_ore = $1, updated_at = $2 WHERE id = $3"
    };
    sqlx::query(sql)
        .bind(rent_ore)
        .bind(crate::now_micros())
        .bind(tenancy)
        .execute(tx.conn())
        .await?;
    Ok(())
}

impl Store {
    /// A contract's rent changes, the latest day first (cancelled ones included).
    pub async fn rent_changes(&self, municipality: MunicipalityId, tenancy: &str) -> StoreResult<Vec<RentChange>> {
        let rows = sqlx::query(
            "SELECT r.id, r.effective_from, r.monthly_rent_ore, r.previous_rent_ore, r.basis, r.notice_on, r.note, \
             u.display_name, r.applied_at, r.cancelled_at, r.cancel_reason FROM tenancy_rent_change r \
             LEFT JOIN app_user u ON u.id = r.recorded_by \
             WHERE r.municipality_id = $1 AND r.tenancy_id = $2 ORDER BY r.effective_from DESC, r.id DESC",
        )
        .bind(municipality.to_string())
        .bind(tenancy)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(rent_change).collect()
    }

    /// Records a rent change on the contract at `version`; in effect at once when its day is
    /// `today` or earlier. `check` runs the domain's rules on the locked contract and the
    /// changes it has (so two changes at the same moment are checked one after the other);
    /// `Ok(Err(errors))` when it refuses, with nothing written.
    pub async fn record_rent_change(
        &self,
        municipality: MunicipalityId,
        tenancy: &str,
        version: i64,
        today: Date,
        change: &Change<'_>,
        check: impl FnOnce(&crate::contracts::Contract, &[RentChange]) -> Result<NewRentChange, Vec<FieldError>>,
    ) -> StoreResult<Result<String, Vec<FieldError>>> {
        let mut tx = self.write().await?;
        let contract = locked(&mut tx, municipality, tenancy, version).await?;
        let rows = sqlx::query(
            "SELECT r.id, r.effective_from, r.monthly_rent_ore, r.previous_rent_ore, r.basis, r.notice_on, r.note, \
             NULL AS display_name, r.applied_at, r.cancelled_at, r.cancel_reason FROM tenancy_rent_change r \
             WHERE r.municipality_id = $1 AND r.tenancy_id = $2 ORDER BY r.effective_from DESC, r.id DESC",
        )
        .bind(municipality.to_string())
        .bind(tenancy)
        .fetch_all(tx.conn())
        .await?;
        let kept: Vec<RentChange> = rows.iter().map(rent_change).collect::<StoreResult<_>>()?;
        let new = match check(&contract, &kept) {
            Ok(new) => new,
            Err(errors) => return Ok(Err(errors)),
        };
        let previous = kept
            .iter()
            .find(|c| !c.cancelled)
            .map_or(contract.monthly_rent_ore, |c| c.monthly_rent_ore);
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        let in_effect = new.effective_from <= today;
        sqlx::query(
            "INSERT INTO tenancy_rent_change (id, municipality_id, tenancy_id, effective_from, monthly_rent_ore, \
             previous_rent_ore, basis, notice_on, note, recorded_by, recorded_at, applied_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(tenancy)
        .bind(date_text(new.effective_from))
        .bind(new.monthly_rent_ore)
        .bind(previous)
        .bind(new.basis.code())
        .bind(new.notice_on.map(date_text))
        .bind(new.note.as_deref())
        .bind(change.user.map(|u| u.to_string()))
        .bind(now)
        .bind(in_effect.then_some(now))
        .execute(tx.conn())
        .await?;
        set_rent(
            &mut tx,
            tenancy,
            if in_effect {
                new.monthly_rent_ore
            } else {
                contract.monthly_rent_ore
            },
            true,
        )
        .await?;
        let details = serde_json::json!({
            "rent_change": id,
            "effective_from": date_text(new.effective_from),
            "monthly_rent_ore": new.monthly_rent_ore,
            "previous_rent_ore": previous,
            "basis": new.basis.code(),
            "in_effect": in_effect,
        });
        record(&mut tx, municipality, tenancy, "rent_changed", details, change).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Cancels a change not yet in effect (at the contract's `version`); the reason is the
    /// change's `reason`. A change in effect, or one already cancelled, is a conflict.
    pub async fn cancel_rent_change(
        &self,
        municipality: MunicipalityId,
        tenancy: &str,
        version: i64,
        id: &str,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        locked(&mut tx, municipality, tenancy, version).await?;
        let done = sqlx::query(
            "UPDATE tenancy_rent_change SET cancelled_at = $1, cancelled_by = $2, cancel_reason = $3 \
             WHERE municipality_id = $4 AND tenancy_id = $5 AND id = $6 AND applied_at IS NULL AND cancelled_at IS NULL",
        )
        .bind(crate::now_micros())
        .bind(change.user.map(|u| u.to_string()))
        .bind(change.reason)
        .bind(municipality.to_string())
        .bind(tenancy)
        .bind(id)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() != 1 {
            let exists = sqlx::query(
                "SELECT id FROM tenancy_rent_change WHERE municipality_id = $1 AND tenancy_id = $2 AND id = $3",
            )
            .bind(municipality.to_string())
            .bind(tenancy)
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
            return Err(match exists {
                Some(_) => StoreError::Conflict { expected: version },
                None => StoreError::NotFound,
            });
        }
        sqlx::query("UPDATE tenancy SET version = version + 1, updated_at = $1 WHERE id = $2")
            .bind(crate::now_micros())
            .bind(tenancy)
            .execute(tx.conn())
            .await?;
        record(
            &mut tx,
            municipality,
            tenancy,
            "rent_change_cancelled",
            serde_json::json!({ "rent_change": id }),
            change,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts into effect every change whose day has come (`today` or earlier), in every
    /// municipality, each in its own transaction: the contract gets the new rent (its version
    /// unchanged, so no one's open form goes stale) and a `rent_change_applied` event. Returns
    /// how many. Running it again changes nothing.
    pub async fn apply_due_rent_changes(&self, today: Date, change: &Change<'_>) -> StoreResult<usize> {
        let due = sqlx::query(
            "SELECT municipality_id, tenancy_id, id, monthly_rent_ore FROM tenancy_rent_change \
             WHERE applied_at IS NULL AND cancelled_at IS NULL AND effective_from <= $1 ORDER BY effective_from, id",
        )
        .bind(date_text(today))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut applied = 0;
        for row in &due {
            let municipality: MunicipalityId =
                crate::municipalities::parse_id(&row.try_get::<String, _>("municipality_id")?)?;
            let tenancy: String = row.try_get("tenancy_id")?;
            let id: String = row.try_get("id")?;
            let mut tx = self.write().await?;
            let done = sqlx::query(
                "UPDATE tenancy_rent_change SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL AND cancelled_at IS NULL",
            )
            .bind(crate::now_micros())
            .bind(&id)
            .execute(tx.conn())
            .await?;
            if done.rows_affected() != 1 {
                continue;
            }
            set_rent(&mut tx, &tenancy, row.try_get("monthly_rent_ore")?, false).await?;
            record(
                &mut tx,
                municipality,
                &tenancy,
                "rent_change_applied",
                serde_json::json!({ "rent_change": id }),
                change,
            )
            .await?;
            tx.commit().await?;
            applied += 1;
        }
        Ok(applied)
    }
}
