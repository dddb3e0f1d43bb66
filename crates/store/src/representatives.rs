//! A household's representatives (fullmektig or verge): registered and ended, never deleted.
//! Each change is an event on the household's timeline and an entry in the audit log, which name
//! the representative's record and kind, never the name or address.

use husly_domain::representative::{NewRepresentative, Representative, RepresentativeKind};
use husly_domain::{HouseholdId, MunicipalityId};
use sqlx::Row;
use time::Date;

use crate::error::{StoreError, StoreResult};
use crate::households::{Change, record_change};
use crate::{Store, date_text, parse_date_text};

const COLUMNS: &str = "id, kind, name, organisation, address_line, postal_code, postal_city, phone, \
     authority_from, copy_to_party, ended_on, end_reason";

fn representative(row: &sqlx::any::AnyRow) -> StoreResult<Representative> {
    let kind: String = row.try_get("kind")?;
    let ended_on: Option<String> = row.try_get("ended_on")?;
    Ok(Representative {
        id: row.try_get("id")?,
        details: NewRepresentative {
            kind: RepresentativeKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown representative kind {kind:?}")))?,
            name: row.try_get("name")?,
            organisation: row.try_get("organisation")?,
            address_line: row.try_get("address_line")?,
            postal_code: row.try_get("postal_code")?,
            postal_city: row.try_get("postal_city")?,
            phone: row.try_get("phone")?,
            authority_from: parse_date_text(&row.try_get::<String, _>("authority_from")?)?,
            copy_to_party: row.try_get::<i64, _>("copy_to_party")? != 0,
        },
        ended_on: ended_on.as_deref().map(parse_date_text).transpose()?,
        end_reason: row.try_get("end_reason")?,
    })
}

impl Store {
    /// Registers a representative for a household that has none acting. `change.user` registers.
    /// A representative registered by someone else in the meantime is a conflict.
    pub async fn add_representative(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        new: &NewRepresentative,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a representative is registered by a user".into()))?;
        let mut tx = self.write().await?;
        let exists = sqlx::query("SELECT 1 AS one FROM household WHERE municipality_id = $1 AND id = $2")
            .bind(municipality.to_string())
            .bind(household.to_string())
            .fetch_optional(tx.conn())
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let acting = sqlx::query("SELECT 1 AS one FROM representative WHERE household_id = $1 AND ended_on IS NULL")
            .bind(household.to_string())
            .fetch_optional(tx.conn())
            .await?;
        if acting.is_some() {
            return Err(StoreError::Conflict { expected: 0 });
        }
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO representative (id, municipality_id, household_id, kind, name, organisation, address_line, \
             postal_code, postal_city, phone, authority_from, copy_to_party, registered_by, registered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(new.kind.code())
        .bind(&new.name)
        .bind(new.organisation.as_deref())
        .bind(&new.address_line)
        .bind(&new.postal_code)
        .bind(&new.postal_city)
        .bind(new.phone.as_deref())
        .bind(date_text(new.authority_from))
        .bind(i64::from(new.copy_to_party))
        .bind(user.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        let details = serde_json::json!({
            "representative": id,
            "kind": new.kind.code(),
            "authority_from": date_text(new.authority_from),
            "copy_to_party": new.copy_to_party,
        });
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.representative_registered", "household.representative"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends the household's acting representative `id` from `ended_on`, with the reason.
    pub async fn end_representative(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        id: &str,
        ended_on: Date,
        reason: &str,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a representative is ended by a user".into()))?;
        let mut tx = self.write().await?;
        let ended = sqlx::query(
            "UPDATE representative SET ended_on = $1, end_reason = $2, ended_by = $3 \
             WHERE municipality_id = $4 AND household_id = $5 AND id = $6 AND ended_on IS NULL",
        )
        .bind(date_text(ended_on))
        .bind(reason)
        .bind(user.to_string())
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
        if ended.rows_affected() == 0 {
            // Gone, another household's, or ended by someone else meanwhile.
            return Err(StoreError::Conflict { expected: 0 });
        }
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.representative_ended", "household.representative"),
            change,
            serde_json::json!({ "representative": id, "ended_on": date_text(ended_on) }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A household's representatives, the one acting (if any) first, then the ended ones, newest first.
    pub async fn representatives(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<Representative>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM representative WHERE municipality_id = $1 AND household_id = $2 \
             ORDER BY CASE WHEN ended_on IS NULL THEN 0 ELSE 1 END, registered_at DESC, id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(household.to_string())
            .fetch_all(&mut self.key_read().await?)
            .await?;
        rows.iter().map(representative).collect()
    }
}
