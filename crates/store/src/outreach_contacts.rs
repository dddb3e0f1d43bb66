//! Contacts with households on the bostøtte outreach list (schema 29): recorded, replaced and
//! removed as household events with their audit entries. No rule here: the use case checks the
//! contact (`husly_domain::bostotte::contact`).

use std::collections::HashMap;

use husly_domain::bostotte::contact::{ContactChannel, ContactFields, ContactOutcome};
use husly_domain::rules::YearMonth;
use husly_domain::{HouseholdId, MunicipalityId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::{Change, lock_household, record_change};
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

/// A contact as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutreachContact {
    pub id: String,
    pub household: HouseholdId,
    /// The month of the list it was made from.
    pub month: YearMonth,
    pub fields: ContactFields,
    pub recorded_by: String,
    pub recorded_at: i64,
}

const COLUMNS: &str = "c.id, c.household_id, c.month, c.contacted_on, c.channel, c.outcome, c.note, \
     u.display_name, c.recorded_at FROM outreach_contact c JOIN app_user u ON u.id = c.recorded_by";

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {code:?}"))
}

fn contact(row: &sqlx::any::AnyRow) -> StoreResult<OutreachContact> {
    let channel: String = row.try_get("channel")?;
    let outcome: String = row.try_get("outcome")?;
    Ok(OutreachContact {
        id: row.try_get("id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        month: YearMonth::of(parse_date_text(&row.try_get::<String, _>("month")?)?),
        fields: ContactFields {
            contacted_on: parse_date_text(&row.try_get::<String, _>("contacted_on")?)?,
            channel: ContactChannel::from_code(&channel).ok_or_else(|| corrupt("channel", &channel))?,
            outcome: ContactOutcome::from_code(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?,
            note: row.try_get("note")?,
        },
        recorded_by: row.try_get("display_name")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

/// The household event with its audit entry (which carries the details, never the note), then
/// the commit.
async fn finish(
    mut tx: Tx,
    (municipality, household): (MunicipalityId, HouseholdId),
    event: &str,
    change: &Change<'_>,
    details: serde_json::Value,
) -> StoreResult<()> {
    record_change(
        &mut tx,
        municipality,
        household,
        (event, "household.outreach_contact"),
        change,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

impl Store {
    /// Records the contact with `household` from the list of `month`, replacing one recorded
    /// before for that month. Returns its id. `NotFound` for a household not of `municipality`.
    pub async fn record_outreach_contact(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        month: YearMonth,
        fields: &ContactFields,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a contact is recorded by a user".into()))?;
        let mut tx = self.write().await?;
        // The household lock makes two recordings at once replace one another in turn.
        lock_household(&mut tx, municipality, household).await?;
        let (m, h, month_text) = (
            municipality.to_string(),
            household.to_string(),
            date_text(month.first_day()),
        );
        let before: Option<String> = sqlx::query(
            "SELECT id FROM outreach_contact WHERE municipality_id = $1 AND household_id = $2 AND month = $3",
        )
        .bind(&m)
        .bind(&h)
        .bind(&month_text)
        .fetch_optional(tx.conn())
        .await?
        .map(|row| row.try_get("id"))
        .transpose()?;
        let id = before.clone().unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        // Recording again for the month keeps the row (and its id) and replaces what it says.
        sqlx::query(
            "INSERT INTO outreach_contact (id, municipality_id, household_id, month, contacted_on, channel, \
             outcome, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (municipality_id, household_id, month) DO UPDATE SET contacted_on = excluded.contacted_on, \
             channel = excluded.channel, outcome = excluded.outcome, note = excluded.note, \
             recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        )
        .bind(&id)
        .bind(&m)
        .bind(&h)
        .bind(&month_text)
        .bind(date_text(fields.contacted_on))
        .bind(fields.channel.code())
        .bind(fields.outcome.code())
        .bind(fields.note.as_deref())
        .bind(user.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        // The note is the worker's words about a person: kept on the row, not in the event.
        let details = json!({
            "contact": id, "month": month.to_string(), "contacted_on": date_text(fields.contacted_on),
            "channel": fields.channel.code(), "outcome": fields.outcome.code(), "replaced": before.is_some(),
        });
        finish(
            tx,
            (municipality, household),
            "household.outreach_contact_recorded",
            change,
            details,
        )
        .await?;
        Ok(id)
    }

    /// Removes the household's contact `id`, recorded in error. `NotFound` when it is not there
    /// (removed already, or of another household or municipality).
    pub async fn remove_outreach_contact(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        id: &str,
        change: &Change<'_>,
    ) -> StoreResult<OutreachContact> {
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        let removed = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE c.municipality_id = $1 AND c.id = $2 AND c.household_id = $3"
        )))
        .bind(municipality.to_string())
        .bind(id)
        .bind(household.to_string())
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(contact)
        .transpose()?
        .ok_or(StoreError::NotFound)?;
        let deleted = sqlx::query("DELETE FROM outreach_contact WHERE municipality_id = $1 AND id = $2")
            .bind(municipality.to_string())
            .bind(id)
            .execute(tx.conn())
            .await?;
        if deleted.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        let details = json!({
            "contact": id, "month": removed.month.to_string(),
            "contacted_on": date_text(removed.fields.contacted_on), "outcome": removed.fields.outcome.code(),
        });
        finish(
            tx,
            (municipality, household),
            "household.outreach_contact_removed",
            change,
            details,
        )
        .await?;
        Ok(removed)
    }

    /// The contacts recorded from the list of `month`, by household.
    pub async fn outreach_contacts(
        &self,
        municipality: MunicipalityId,
        month: YearMonth,
    ) -> StoreResult<HashMap<HouseholdId, OutreachContact>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE c.municipality_id = $1 AND c.month = $2"
        )))
        .bind(municipality.to_string())
        .bind(date_text(month.first_day()))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(|row| contact(row).map(|c| (c.household, c))).collect()
    }

    /// The contacts made from `from` up to (not including) `until`: the household, the day and
    /// whether it was reached. No names; what the action plan counts.
    pub async fn outreach_contacts_between(
        &self,
        municipality: MunicipalityId,
        from: Date,
        until: Date,
    ) -> StoreResult<Vec<(HouseholdId, Date, bool)>> {
        let rows = sqlx::query(
            "SELECT household_id, contacted_on, outcome FROM outreach_contact \
             WHERE municipality_id = $1 AND contacted_on >= $2 AND contacted_on < $3",
        )
        .bind(municipality.to_string())
        .bind(date_text(from))
        .bind(date_text(until))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let outcome: String = row.try_get("outcome")?;
                let outcome = ContactOutcome::from_code(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?;
                Ok((
                    HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    parse_date_text(&row.try_get::<String, _>("contacted_on")?)?,
                    outcome.reached(),
                ))
            })
            .collect()
    }
}
