//! Collaboration meetings about a household (schema 35): recorded with their participants and
//! agreed actions as one household event, each action's change as another, read for the
//! household and for a party's open actions. No rule here: `husly_domain::meeting` checks a
//! meeting and a change to an action; the store keeps the state it was checked against (a
//! change made meanwhile is a conflict) and refuses an owner who did not take part.

use std::collections::HashMap;

use husly_domain::meeting::{ActionChange, ActionState, MeetingFields, MeetingKind};
use husly_domain::referral::Party;
use husly_domain::{HouseholdId, MunicipalityId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::error::{StoreError, StoreResult};
use crate::households::{Change, lock_household, record_change};
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

/// An action agreed in a meeting, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingAction {
    pub id: String,
    pub meeting: String,
    pub household: HouseholdId,
    /// The household's main person.
    pub household_name: String,
    pub held_on: Date,
    pub description: String,
    pub owner: Party,
    /// The owning organisation's name (`None`: the unit).
    pub owner_name: Option<String>,
    pub due_on: Date,
    pub state: ActionState,
    pub outcome: Option<String>,
    pub done_by: Option<String>,
    pub done_at: Option<i64>,
    pub version: i64,
}

/// A meeting as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub household: HouseholdId,
    pub kind: MeetingKind,
    pub held_on: Date,
    pub summary: String,
    pub household_present: bool,
    pub others: Option<String>,
    pub recorded_by: String,
    /// Whose worker recorded it.
    pub recorded_for: Party,
    pub recorded_at: i64,
    /// The organisations that took part: (id, name), by name.
    pub organisations: Vec<(String, String)>,
    /// In the order agreed.
    pub actions: Vec<MeetingAction>,
}

impl Meeting {
    /// Whether the organisation took part.
    pub fn took_part(&self, organisation: &str) -> bool {
        self.organisations.iter().any(|(id, _)| id == organisation)
    }
}

const ACTION_COLUMNS: &str = "a.id, a.meeting_id, a.household_id, p.given_name, p.family_name, mt.held_on, a.description, \
     a.owner_organisation, o.name AS owner_name, a.due_on, a.state, a.outcome, u.display_name AS done_by, a.done_at, a.version \
     FROM meeting_action a JOIN meeting mt ON mt.id = a.meeting_id \
     LEFT JOIN household_member m ON m.municipality_id = a.municipality_id AND m.household_id = a.household_id \
         AND m.relation = 'main_applicant' \
     LEFT JOIN person p ON p.id = m.person_id \
     LEFT JOIN partner_organisation o ON o.id = a.owner_organisation \
     LEFT JOIN app_user u ON u.id = a.done_by";

fn action(row: &sqlx::any::AnyRow) -> StoreResult<MeetingAction> {
    let state: String = row.try_get("state")?;
    let owner: Option<String> = row.try_get("owner_organisation")?;
    let name =
        |column: &str| -> StoreResult<String> { Ok(row.try_get::<Option<String>, _>(column)?.unwrap_or_default()) };
    Ok(MeetingAction {
        id: row.try_get("id")?,
        meeting: row.try_get("meeting_id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        household_name: format!("{} {}", name("given_name")?, name("family_name")?)
            .trim()
            .to_string(),
        held_on: parse_date_text(&row.try_get::<String, _>("held_on")?)?,
        description: row.try_get("description")?,
        owner: Party::of(owner.as_deref()),
        owner_name: row.try_get("owner_name")?,
        due_on: parse_date_text(&row.try_get::<String, _>("due_on")?)?,
        state: ActionState::from_code(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown action state {state:?}")))?,
        outcome: row.try_get("outcome")?,
        done_by: row.try_get("done_by")?,
        done_at: row.try_get("done_at")?,
        version: row.try_get("version")?,
    })
}

fn meeting(row: &sqlx::any::AnyRow) -> StoreResult<Meeting> {
    let kind: String = row.try_get("kind")?;
    let recorded_for: Option<String> = row.try_get("recorded_for")?;
    Ok(Meeting {
        id: row.try_get("id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        kind: MeetingKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown meeting kind {kind:?}")))?,
        held_on: parse_date_text(&row.try_get::<String, _>("held_on")?)?,
        summary: row.try_get("summary")?,
        household_present: row.try_get::<i64, _>("household_present")? == 1,
        others: row.try_get("others")?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_for: Party::of(recorded_for.as_deref()),
        recorded_at: row.try_get("recorded_at")?,
        organisations: Vec::new(),
        actions: Vec::new(),
    })
}

/// How many open actions of a party are overdue: `$1` municipality, `$2` the party's organisation
/// (empty for the unit), `$3` today.
fn overdue_actions_sql(party: &Party) -> String {
    format!(
        "SELECT COUNT(*) AS n FROM meeting_action a WHERE a.municipality_id = $1 AND a.state = 'open' \
         AND a.due_on < $3 AND {}",
        owned_by(party, 2)
    )
}

/// The party's condition on `a.owner_organisation`, binding `$n`.
fn owned_by(party: &Party, n: usize) -> String {
    match party {
        Party::Unit => format!("a.owner_organisation IS NULL AND ${n} = ''"),
        Party::Organisation(_) => format!("a.owner_organisation = ${n}"),
    }
}

impl Store {
    /// Records a meeting about the household, recorded for `by`, with its participants and
    /// actions; returns its id. The organisations are checked again here, under the
    /// household's lock, to be the municipality's.
    pub async fn record_meeting(
        &self,
        (municipality, household): (MunicipalityId, HouseholdId),
        by: &Party,
        fields: &MeetingFields,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a meeting is recorded by a user".into()))?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        for organisation in fields.organisations.iter().map(String::as_str).chain(by.organisation()) {
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
            "INSERT INTO meeting (id, municipality_id, household_id, kind, held_on, summary, household_present, others, \
             recorded_by, recorded_for, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(fields.kind.code())
        .bind(date_text(fields.held_on))
        .bind(&fields.summary)
        .bind(i64::from(fields.household_present))
        .bind(fields.others.as_deref())
        .bind(user.to_string())
        .bind(by.organisation())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        for organisation in &fields.organisations {
            sqlx::query("INSERT INTO meeting_participant (meeting_id, organisation_id) VALUES ($1, $2)")
                .bind(&id)
                .bind(organisation)
                .execute(tx.conn())
                .await?;
        }
        for (position, a) in fields.actions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO meeting_action (id, meeting_id, municipality_id, household_id, position, description, \
                 owner_organisation, due_on, state, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', 1)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&id)
            .bind(municipality.to_string())
            .bind(household.to_string())
            .bind(position as i64)
            .bind(&a.description)
            .bind(a.owner.organisation())
            .bind(date_text(a.due_on))
            .execute(tx.conn())
            .await?;
        }
        // The summary and the actions are the workers' words about the household: kept on the
        // rows only.
        let details = json!({
            "meeting": id, "kind": fields.kind.code(), "held_on": date_text(fields.held_on),
            "organisations": fields.organisations, "actions": fields.actions.len(),
        });
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.meeting_recorded", "household.meeting"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The household's meetings with their participants and actions, the latest held first.
    pub async fn meetings_of_household(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<Meeting>> {
        let rows = sqlx::query(
            "SELECT mt.id, mt.household_id, mt.kind, mt.held_on, mt.summary, mt.household_present, mt.others, \
             u.display_name AS recorded_by, mt.recorded_for, mt.recorded_at \
             FROM meeting mt JOIN app_user u ON u.id = mt.recorded_by \
             WHERE mt.municipality_id = $1 AND mt.household_id = $2 ORDER BY mt.held_on DESC, mt.recorded_at DESC",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut meetings = rows.iter().map(meeting).collect::<StoreResult<Vec<_>>>()?;
        if meetings.is_empty() {
            return Ok(meetings);
        }
        let index: HashMap<String, usize> = meetings.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
        let participants = sqlx::query(
            "SELECT mp.meeting_id, o.id, o.name FROM meeting_participant mp JOIN meeting mt ON mt.id = mp.meeting_id \
             JOIN partner_organisation o ON o.id = mp.organisation_id \
             WHERE mt.municipality_id = $1 AND mt.household_id = $2 ORDER BY o.name, o.id",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        for row in &participants {
            if let Some(&i) = index.get(&row.try_get::<String, _>("meeting_id")?) {
                meetings[i]
                    .organisations
                    .push((row.try_get("id")?, row.try_get("name")?));
            }
        }
        let sql = format!(
            "SELECT {ACTION_COLUMNS} WHERE a.municipality_id = $1 AND a.household_id = $2 ORDER BY a.meeting_id, a.position"
        );
        let actions = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(household.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        for row in &actions {
            let a = action(row)?;
            if let Some(&i) = index.get(&a.meeting) {
                meetings[i].actions.push(a);
            }
        }
        Ok(meetings)
    }

    /// One agreed action of the municipality.
    pub async fn meeting_action(&self, municipality: MunicipalityId, id: &str) -> StoreResult<MeetingAction> {
        let sql = format!("SELECT {ACTION_COLUMNS} WHERE a.municipality_id = $1 AND a.id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        action(&row)
    }

    /// Marks an action that is still in `from_state` done or open again; returns it as it now
    /// stands. `Conflict` when it changed meanwhile.
    pub async fn change_meeting_action(
        &self,
        municipality: MunicipalityId,
        id: &str,
        from_state: ActionState,
        to: &ActionChange,
        change: &Change<'_>,
    ) -> StoreResult<MeetingAction> {
        let kept = self.meeting_action(municipality, id).await?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, kept.household).await?;
        let done = to.state == ActionState::Done;
        let updated = sqlx::query(
            "UPDATE meeting_action SET state = $1, outcome = $2, done_by = $3, done_at = $4, version = version + 1 \
             WHERE municipality_id = $5 AND id = $6 AND state = $7",
        )
        .bind(to.state.code())
        .bind(to.outcome.as_deref())
        .bind(if done { change.user.map(|u| u.to_string()) } else { None })
        .bind(done.then(crate::now_micros))
        .bind(municipality.to_string())
        .bind(id)
        .bind(from_state.code())
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { expected: kept.version });
        }
        let event = if done {
            "household.meeting_action_done"
        } else {
            "household.meeting_action_reopened"
        };
        let details = json!({ "meeting": kept.meeting, "action": id, "state": to.state.code() });
        record_change(
            &mut tx,
            municipality,
            kept.household,
            (event, "household.meeting"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        self.meeting_action(municipality, id).await
    }

    /// How many of a party's open actions are past their due day.
    pub async fn overdue_actions(&self, municipality: MunicipalityId, party: &Party, today: Date) -> StoreResult<i64> {
        // On the work queue too, as the overdue referrals: a read by key.
        let row = sqlx::query(sqlx::AssertSqlSafe(overdue_actions_sql(party)))
            .bind(municipality.to_string())
            .bind(party.organisation().unwrap_or_default())
            .bind(date_text(today))
            .fetch_one(&mut self.key_read().await?)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// A party's open actions (at most 500), the earliest due first.
    pub async fn open_actions_of(
        &self,
        municipality: MunicipalityId,
        party: &Party,
    ) -> StoreResult<Vec<MeetingAction>> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} WHERE a.municipality_id = $1 AND a.state = 'open' AND {} \
             ORDER BY a.due_on, a.id LIMIT 500",
            owned_by(party, 2)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(party.organisation().unwrap_or_default())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(action).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn overdue_actions_are_counted_by_index() {
        let id = "01a24634-7263-70a7-b260-e66266e3f277";
        for party in [Party::Unit, Party::Organisation("nav".into())] {
            let binds = [id, party.organisation().unwrap_or_default(), "2026-12-06"];
            crate::testing::assert_reads_by_index(&overdue_actions_sql(&party), &binds).await;
        }
    }
}
