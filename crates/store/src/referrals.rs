//! Referrals between the housing unit and its partner organisations (schema 34): sent and
//! answered as household events with their audit entries, read for the household, for the
//! party's work queue and for the overdue count. No rule here: `husly_domain::referral` checks a
//! referral and an answer; the store keeps the state it was checked against (a step taken
//! meanwhile is a conflict).

use husly_domain::referral::{Answer, Party, ReferralFields, ReferralState};
use husly_domain::{HouseholdId, MunicipalityId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::error::{StoreError, StoreResult};
use crate::households::{Change, lock_household, record_change};
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

/// A referral as kept, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub id: String,
    pub household: HouseholdId,
    /// The household's main person.
    pub household_name: String,
    pub from: Party,
    /// The sending organisation's name (`None`: the unit).
    pub from_name: Option<String>,
    pub to: Party,
    pub to_name: Option<String>,
    pub purpose: String,
    pub request: String,
    pub due_on: Date,
    pub state: ReferralState,
    /// The reason for declining, or the outcome.
    pub answer: Option<String>,
    pub sent_by: String,
    pub sent_at: i64,
    pub answered_by: Option<String>,
    pub answered_at: Option<i64>,
    pub version: i64,
}

const COLUMNS: &str = "r.id, r.household_id, p.given_name, p.family_name, r.from_organisation, fo.name AS from_name, \
     r.to_organisation, t.name AS to_name, r.purpose, r.request, r.due_on, r.state, r.answer, s.display_name AS sent_by, \
     r.sent_at, a.display_name AS answered_by, r.answered_at, r.version \
     FROM referral r \
     LEFT JOIN household_member m ON m.municipality_id = r.municipality_id AND m.household_id = r.household_id \
         AND m.relation = 'main_applicant' \
     LEFT JOIN person p ON p.id = m.person_id \
     LEFT JOIN partner_organisation fo ON fo.id = r.from_organisation \
     LEFT JOIN partner_organisation t ON t.id = r.to_organisation \
     JOIN app_user s ON s.id = r.sent_by LEFT JOIN app_user a ON a.id = r.answered_by";

fn referral(row: &sqlx::any::AnyRow) -> StoreResult<Referral> {
    let state: String = row.try_get("state")?;
    let from: Option<String> = row.try_get("from_organisation")?;
    let to: Option<String> = row.try_get("to_organisation")?;
    let name =
        |column: &str| -> StoreResult<String> { Ok(row.try_get::<Option<String>, _>(column)?.unwrap_or_default()) };
    Ok(Referral {
        id: row.try_get("id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        household_name: format!("{} {}", name("given_name")?, name("family_name")?)
            .trim()
            .to_string(),
        from: Party::of(from.as_deref()),
        from_name: row.try_get("from_name")?,
        to: Party::of(to.as_deref()),
        to_name: row.try_get("to_name")?,
        purpose: row.try_get("purpose")?,
        request: row.try_get("request")?,
        due_on: parse_date_text(&row.try_get::<String, _>("due_on")?)?,
        state: ReferralState::from_code(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown referral state {state:?}")))?,
        answer: row.try_get("answer")?,
        sent_by: row.try_get("sent_by")?,
        sent_at: row.try_get("sent_at")?,
        answered_by: row.try_get("answered_by")?,
        answered_at: row.try_get("answered_at")?,
        version: row.try_get("version")?,
    })
}

/// The party's condition on `column` (`to_organisation` or `from_organisation`), binding `$n`.
fn party_is(column: &str, party: &Party, n: usize) -> String {
    match party {
        Party::Unit => format!("r.{column} IS NULL AND ${n} = ''"),
        Party::Organisation(_) => format!("r.{column} = ${n}"),
    }
}

fn party_param(party: &Party) -> String {
    party.organisation().unwrap_or_default().to_string()
}

impl Store {
    /// Sends a referral about the household; returns its id. The organisations are checked
    /// again here, under the household's lock, to be the municipality's.
    pub async fn send_referral(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        fields: &ReferralFields,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a referral is sent by a user".into()))?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        for organisation in [fields.from.organisation(), fields.to.organisation()]
            .into_iter()
            .flatten()
        {
            let known = sqlx::query("SELECT 1 AS one FROM partner_organisation WHERE id = $1 AND municipality_id = $2")
                .bind(organisation)
                .bind(municipality.to_string())
                .fetch_optional(tx.conn())
                .await?;
            if known.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO referral (id, municipality_id, household_id, from_organisation, to_organisation, purpose, \
             request, due_on, state, sent_by, sent_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sent', $9, $10, 1)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(fields.from.organisation())
        .bind(fields.to.organisation())
        .bind(&fields.purpose)
        .bind(&fields.request)
        .bind(date_text(fields.due_on))
        .bind(user.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        // The purpose and the request are the worker's words about the household: kept on
        // the row only.
        let details = json!({
            "referral": id, "from": fields.from.organisation(), "to": fields.to.organisation(),
            "due_on": date_text(fields.due_on),
        });
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.referral_sent", "household.referral"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One referral of the municipality.
    pub async fn referral(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Referral> {
        let sql = format!("SELECT {COLUMNS} WHERE r.municipality_id = $1 AND r.id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        referral(&row)
    }

    /// Records the receiver's answer to a referral that is still in `from_state`; returns it as
    /// it now stands. `Conflict` when it moved on meanwhile.
    pub async fn answer_referral(
        &self,
        municipality: MunicipalityId,
        id: &str,
        from_state: ReferralState,
        answer: &Answer,
        change: &Change<'_>,
    ) -> StoreResult<Referral> {
        let kept = self.referral(municipality, id).await?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, kept.household).await?;
        let updated = sqlx::query(
            "UPDATE referral SET state = $1, answer = COALESCE($2, answer), answered_by = $3, answered_at = $4, \
             version = version + 1 WHERE municipality_id = $5 AND id = $6 AND state = $7",
        )
        .bind(answer.state.code())
        .bind(answer.text.as_deref())
        .bind(change.user.map(|u| u.to_string()))
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(id)
        .bind(from_state.code())
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { expected: kept.version });
        }
        let event = match answer.state {
            ReferralState::Accepted => "household.referral_accepted",
            ReferralState::Declined => "household.referral_declined",
            _ => "household.referral_completed",
        };
        let details = json!({ "referral": id, "state": answer.state.code() });
        record_change(
            &mut tx,
            municipality,
            kept.household,
            (event, "household.referral"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        self.referral(municipality, id).await
    }

    /// The household's referrals, the newest first.
    pub async fn referrals_of_household(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<Referral>> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE r.municipality_id = $1 AND r.household_id = $2 ORDER BY r.sent_at DESC, r.id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(household.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(referral).collect()
    }

    /// A party's work queue: the open referrals to it or from it (at most 500), by due day.
    pub async fn open_referrals_of(&self, municipality: MunicipalityId, party: &Party) -> StoreResult<Vec<Referral>> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE r.municipality_id = $1 AND r.state IN ('sent', 'accepted') \
             AND (({}) OR ({})) ORDER BY r.due_on, r.sent_at LIMIT 500",
            party_is("to_organisation", party, 2),
            party_is("from_organisation", party, 2)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(party_param(party))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(referral).collect()
    }

    /// How many open referrals to or from the party are past their due day on `today`.
    pub async fn overdue_referrals(
        &self,
        municipality: MunicipalityId,
        party: &Party,
        today: Date,
    ) -> StoreResult<i64> {
        // On the work queue of everyone who sends referrals: a count over the party's index, so a
        // read by key (on SQLite on the calling thread).
        let row = sqlx::query(sqlx::AssertSqlSafe(overdue_referrals_sql(party)))
            .bind(municipality.to_string())
            .bind(party_param(party))
            .bind(date_text(today))
            .fetch_one(&mut self.key_read().await?)
            .await?;
        Ok(row.try_get("n")?)
    }
}

/// How many referrals to or from a party are overdue: `$1` municipality, `$2` the party's
/// organisation (empty for the unit), `$3` today.
fn overdue_referrals_sql(party: &Party) -> String {
    format!(
        "SELECT COUNT(*) AS n FROM referral r WHERE r.municipality_id = $1 AND r.state IN ('sent', 'accepted') \
         AND r.due_on < $3 AND (({}) OR ({}))",
        party_is("to_organisation", party, 2),
        party_is("from_organisation", party, 2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn overdue_referrals_are_counted_by_index() {
        let id = "01a24634-7263-70a7-b260-e66266e3f277";
        for party in [Party::Unit, Party::Organisation("nav".into())] {
            let binds = [id, party.organisation().unwrap_or_default(), "2026-12-06"];
            crate::testing::assert_reads_by_index(&overdue_referrals_sql(&party), &binds).await;
        }
    }
}
