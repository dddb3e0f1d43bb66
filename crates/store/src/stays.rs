//! Stays in temporary accommodation (sosialtjenesteloven § 27): recorded and ended, never
//! deleted. A household's stays never share a night: the store runs the domain's overlap rule on
//! the household's stays with the household row locked (`FOR UPDATE` on PostgreSQL; SQLite's
//! write transactions are serial), so two concurrent recordings cannot both pass. Each change is
//! an event on the household's timeline and an audit entry naming the stay and its price per
//! night, never the place, the provider or the remarks.

use husly_domain::stays::{EndReason, NewStay, Stay, first_overlap};
use husly_domain::{HouseholdId, MunicipalityId};
use sqlx::Row;
use time::Date;

use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::{Change, lock_household, record_change};
use crate::municipalities::parse_id;
use crate::{Store, date_text, opt_date, parse_date_text};

const STAY_COLUMNS: &str = concat!(
    "s.id, s.household_id, s.place, s.provider, s.from_date, s.to_date, s.end_reason, \
     s.with_children, s.nightly_cost_ore, s.quality_remarks, p.birth_date, p.given_name, p.family_name, ",
    crate::protection::protected_sql!("s.municipality_id", "s.household_id"),
    " FROM temporary_stay s \
     LEFT JOIN household_member m ON m.municipality_id = s.municipality_id \
         AND m.household_id = s.household_id AND m.relation = 'main_applicant' \
     LEFT JOIN person p ON p.id = m.person_id"
);

fn stay(row: &sqlx::any::AnyRow) -> StoreResult<Stay> {
    let reason: Option<String> = row.try_get("end_reason")?;
    // Where a protected household stays is where it lives: masked like its address.
    let (mut place, mut provider): (String, Option<String>) = (row.try_get("place")?, row.try_get("provider")?);
    let address_protected = crate::protection::masked(row, &mut [&mut place])?;
    if address_protected {
        provider = None;
    }
    Ok(Stay {
        id: row.try_get("id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        place,
        provider,
        address_protected,
        from: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
        to: opt_date(row, "to_date")?,
        end_reason: reason
            .map(|code| {
                EndReason::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown end reason {code:?}")))
            })
            .transpose()?,
        with_children: crate::flag_of(row, "with_children")?,
        nightly_cost_ore: row.try_get("nightly_cost_ore")?,
        quality_remarks: row.try_get("quality_remarks")?,
        main_person_born: opt_date(row, "birth_date")?,
        main_person_name: match (
            row.try_get::<Option<String>, _>("given_name")?,
            row.try_get::<Option<String>, _>("family_name")?,
        ) {
            (Some(given), Some(family)) => Some(format!("{given} {family}")),
            _ => None,
        },
    })
}

/// Locks the household (it must be the municipality's) and reads its stays, oldest first.
async fn locked_stays(tx: &mut Tx, municipality: MunicipalityId, household: HouseholdId) -> StoreResult<Vec<Stay>> {
    lock_household(tx, municipality, household).await?;
    let sql = format!(
        "SELECT {STAY_COLUMNS} WHERE s.municipality_id = $1 AND s.household_id = $2 ORDER BY s.from_date, s.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(stay).collect()
}

impl Store {
    /// Records a stay; `change.user` records it. `Ok(Err(other))` when it shares a night with
    /// another stay of the household (nothing written).
    pub async fn add_stay(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        new: &NewStay,
        change: &Change<'_>,
    ) -> StoreResult<Result<String, Stay>> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a stay is recorded by a user".into()))?;
        let mut tx = self.write().await?;
        let kept = locked_stays(&mut tx, municipality, household).await?;
        if let Some(other) = first_overlap(&kept, None, new.from, new.to) {
            return Ok(Err(other.clone()));
        }
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        let ended = new.to.is_some();
        sqlx::query(
            "INSERT INTO temporary_stay (id, municipality_id, household_id, place, from_date, to_date, with_children, \
             end_reason, recorded_by, recorded_at, ended_by, ended_at, provider, nightly_cost_ore, quality_remarks) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(&new.place)
        .bind(date_text(new.from))
        .bind(new.to.map(date_text))
        .bind(crate::flag(new.with_children))
        .bind(new.end_reason.map(EndReason::code))
        .bind(user.to_string())
        .bind(now)
        .bind(ended.then(|| user.to_string()))
        .bind(ended.then_some(now))
        .bind(new.provider.as_deref())
        .bind(new.nightly_cost_ore)
        .bind(new.quality_remarks.as_deref())
        .execute(tx.conn())
        .await?;
        let details = serde_json::json!({
            "stay": id,
            "from": date_text(new.from),
            "to": new.to.map(date_text),
            "end_reason": new.end_reason.map(EndReason::code),
            "with_children": new.with_children,
            "nightly_cost_ore": new.nightly_cost_ore,
        });
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.stay_recorded", "household.stay"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Ends the household's ongoing stay `id` on `to` for `reason`. `Ok(Err(other))` when the
    /// end would make it share a night with another stay; a stay already ended is a conflict.
    pub async fn end_stay(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        id: &str,
        to: Date,
        reason: EndReason,
        change: &Change<'_>,
    ) -> StoreResult<Result<(), Stay>> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a stay is ended by a user".into()))?;
        let mut tx = self.write().await?;
        let kept = locked_stays(&mut tx, municipality, household).await?;
        let this = kept.iter().find(|s| s.id == id).ok_or(StoreError::NotFound)?;
        if this.to.is_some() {
            return Err(StoreError::Conflict { expected: 0 });
        }
        if let Some(other) = first_overlap(&kept, Some(id), this.from, Some(to)) {
            return Ok(Err(other.clone()));
        }
        sqlx::query(
            "UPDATE temporary_stay SET to_date = $1, end_reason = $2, ended_by = $3, ended_at = $4 \
             WHERE municipality_id = $5 AND household_id = $6 AND id = $7 AND to_date IS NULL",
        )
        .bind(date_text(to))
        .bind(reason.code())
        .bind(user.to_string())
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.stay_ended", "household.stay"),
            change,
            serde_json::json!({ "stay": id, "to": date_text(to), "end_reason": reason.code() }),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// A household's stays, the newest first.
    pub async fn stays(&self, municipality: MunicipalityId, household: HouseholdId) -> StoreResult<Vec<Stay>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(household_stays_sql()))
            .bind(municipality.to_string())
            .bind(household.to_string())
            .fetch_all(&mut self.key_read().await?)
            .await?;
        rows.iter().map(stay).collect()
    }

    /// The municipality's stays with a night in `[from, to)` (ongoing ones included), oldest first.
    pub async fn stays_between(&self, municipality: MunicipalityId, from: Date, to: Date) -> StoreResult<Vec<Stay>> {
        let sql = format!(
            "SELECT {STAY_COLUMNS} WHERE s.municipality_id = $1 AND s.from_date < $2 \
             AND (s.to_date IS NULL OR s.to_date >= $3) ORDER BY s.from_date, s.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(date_text(to))
            .bind(date_text(from))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(stay).collect()
    }
}

/// A household's stays, the newest first: `$1` municipality, `$2` household. On the household page.
fn household_stays_sql() -> String {
    format!(
        "SELECT {STAY_COLUMNS} WHERE s.municipality_id = $1 AND s.household_id = $2 ORDER BY s.from_date DESC, s.id DESC"
    )
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_households_stays_are_looked_up_by_index() {
        let id = "01a24634-7263-70a7-b260-e66266e3f277";
        crate::testing::assert_reads_by_index(&super::household_stays_sql(), &[id, id]).await;
    }
}
