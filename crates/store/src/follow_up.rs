//! Follow-up plans, their measures, and the contacts, visits and complaints logged on a
//! household. One active plan per household (a unique index); every change is an event on the
//! household's timeline and an audit entry naming the plan, measure or entry and its codes, never
//! the goals or a note's text. The facts the caseload's risk signals are computed from are read
//! here; the signals themselves are the domain's.

use husly_domain::follow_up::{
    CloseReason, Entry, EntryFields, EntryKind, Measure, MeasureFields, MeasureStatus, Outcome, PartnerKind, Plan,
    PlanFields, PlanState,
};
use husly_domain::{HouseholdId, MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::{Change, lock_household, record_change};
use crate::municipalities::parse_id;
use crate::{Store, date_text, opt_date, parse_date_text};

fn coded<T>(value: Option<String>, parse: fn(&str) -> Option<T>, what: &str) -> StoreResult<Option<T>> {
    value
        .map(|code| parse(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown {what} {code:?}"))))
        .transpose()
}

const PLAN_COLUMNS: &str = "p.id, p.household_id, p.state, p.goals, p.responsible_user_id, u.display_name, \
     p.partner_kind, p.partner_name, p.review_on, p.started_on, p.closed_on, p.close_reason, p.close_note, p.version \
     FROM follow_up_plan p JOIN app_user u ON u.id = p.responsible_user_id";

fn plan(row: &sqlx::any::AnyRow) -> StoreResult<Plan> {
    Ok(Plan {
        id: row.try_get("id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        state: coded(Some(row.try_get("state")?), PlanState::from_code, "plan state")?
            .ok_or_else(|| StoreError::Corrupt("plan state".into()))?,
        goals: row.try_get("goals")?,
        responsible: UserId(parse_id(&row.try_get::<String, _>("responsible_user_id")?)?),
        responsible_name: row.try_get("display_name")?,
        partner_kind: coded(row.try_get("partner_kind")?, PartnerKind::from_code, "partner kind")?,
        partner_name: row.try_get("partner_name")?,
        review_on: parse_date_text(&row.try_get::<String, _>("review_on")?)?,
        started_on: parse_date_text(&row.try_get::<String, _>("started_on")?)?,
        closed_on: opt_date(row, "closed_on")?,
        close_reason: coded(row.try_get("close_reason")?, CloseReason::from_code, "close reason")?,
        close_note: row.try_get("close_note")?,
        version: row.try_get("version")?,
        measures: Vec::new(),
    })
}

fn measure(row: &sqlx::any::AnyRow) -> StoreResult<Measure> {
    Ok(Measure {
        id: row.try_get("id")?,
        text: row.try_get("text")?,
        owner: row.try_get("owner")?,
        due_on: opt_date(row, "due_on")?,
        status: coded(Some(row.try_get("status")?), MeasureStatus::from_code, "measure status")?
            .ok_or_else(|| StoreError::Corrupt("measure status".into()))?,
    })
}

fn entry(row: &sqlx::any::AnyRow) -> StoreResult<Entry> {
    Ok(Entry {
        id: row.try_get("id")?,
        kind: coded(Some(row.try_get("kind")?), EntryKind::from_code, "entry kind")?
            .ok_or_else(|| StoreError::Corrupt("entry kind".into()))?,
        outcome: coded(row.try_get("outcome")?, Outcome::from_code, "outcome")?,
        occurred_on: parse_date_text(&row.try_get::<String, _>("occurred_on")?)?,
        note: row.try_get("note")?,
        recorded_by: row.try_get("display_name")?,
        plan_id: row.try_get("plan_id")?,
    })
}

/// Which households a caseload read covers: the municipality's, those of the active plans one
/// worker is responsible for, or one household. A worker's caseload reads its forty households,
/// not the municipality's twenty thousand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Households {
    All,
    PlansOf(UserId),
    One(HouseholdId),
}

impl Households {
    /// ` AND <column> …` restricting `column` (a household id) to these households, with `$n`
    /// as its one parameter ([`Households::value`]), or nothing for all of them.
    pub(crate) fn condition(self, column: &str, n: usize) -> String {
        match self {
            Households::All => String::new(),
            Households::PlansOf(_) => format!(
                " AND {column} IN (SELECT household_id FROM follow_up_plan \
                 WHERE municipality_id = $1 AND state = 'active' AND responsible_user_id = ${n})"
            ),
            Households::One(_) => format!(" AND {column} = ${n}"),
        }
    }

    /// The parameter of [`Households::condition`], to bind after the query's others.
    pub(crate) fn value(self) -> Option<String> {
        match self {
            Households::All => None,
            Households::PlansOf(user) => Some(user.to_string()),
            Households::One(household) => Some(household.to_string()),
        }
    }
}

/// A household on the caseload because of its plan: the plan's facts (the names are read for
/// the page shown, [`Store::caseload_names`]).
#[derive(Debug, Clone)]
pub struct PlanLine {
    pub household: HouseholdId,
    pub plan_id: String,
    pub responsible: UserId,
    pub responsible_name: String,
    pub started_on: Date,
    pub review_on: Date,
}

/// A logged entry's facts for the risk signals (no note).
#[derive(Debug, Clone, Copy)]
pub struct EntryFact {
    pub household: HouseholdId,
    pub kind: EntryKind,
    pub outcome: Option<Outcome>,
    pub occurred_on: Date,
}

async fn active_plan_id(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query(
        "SELECT id FROM follow_up_plan WHERE municipality_id = $1 AND household_id = $2 AND state = 'active'",
    )
    .bind(municipality.to_string())
    .bind(household.to_string())
    .fetch_optional(tx.conn())
    .await?
    .map(|row| row.try_get("id"))
    .transpose()?)
}

/// Moves the plan from `version` to the next one (a conflict when it has moved on): the guard of
/// every change to a plan and its measures.
async fn bump_plan(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    plan_id: &str,
    version: i64,
) -> StoreResult<()> {
    let found =
        sqlx::query("SELECT version FROM follow_up_plan WHERE municipality_id = $1 AND household_id = $2 AND id = $3")
            .bind(municipality.to_string())
            .bind(household.to_string())
            .bind(plan_id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
    let current: i64 = found.try_get("version")?;
    let done =
        sqlx::query("UPDATE follow_up_plan SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
            .bind(crate::now_micros())
            .bind(plan_id)
            .bind(version)
            .execute(tx.conn())
            .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict { expected: current })
    }
}

/// Ends a change to a plan: exactly one row moved (else the plan is no longer as the change
/// needs it: a conflict, or `missing` when the row was not there), then the household event with
/// its audit entry, then the commit.
async fn finish(
    mut tx: Tx,
    (moved, missing): (u64, StoreError),
    (municipality, household): (MunicipalityId, HouseholdId),
    event: &str,
    change: &Change<'_>,
    details: serde_json::Value,
) -> StoreResult<()> {
    if moved != 1 {
        return Err(missing);
    }
    record_change(
        &mut tx,
        municipality,
        household,
        (event, "household.follow_up"),
        change,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

impl Store {
    /// A household's plans, the active or newest first, each with its measures.
    pub async fn follow_up_plans(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<Plan>> {
        let sql = format!(
            "SELECT {PLAN_COLUMNS} WHERE p.municipality_id = $1 AND p.household_id = $2 \
             ORDER BY CASE WHEN p.state = 'active' THEN 0 ELSE 1 END, p.created_at DESC, p.id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(household.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let mut plans: Vec<Plan> = rows.iter().map(plan).collect::<StoreResult<_>>()?;
        let measures = sqlx::query(
            "SELECT m.plan_id, m.id, m.text, m.owner, m.due_on, m.status FROM follow_up_measure m \
             JOIN follow_up_plan p ON p.id = m.plan_id \
             WHERE m.municipality_id = $1 AND p.household_id = $2 ORDER BY m.created_at, m.id",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        for row in &measures {
            let plan_id: String = row.try_get("plan_id")?;
            if let Some(p) = plans.iter_mut().find(|p| p.id == plan_id) {
                p.measures.push(measure(row)?);
            }
        }
        Ok(plans)
    }

    /// A household's logged entries, the newest first.
    pub async fn follow_up_entries(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<Entry>> {
        let rows = sqlx::query(
            "SELECT e.id, e.kind, e.outcome, e.occurred_on, e.note, e.plan_id, u.display_name FROM follow_up_entry e \
             JOIN app_user u ON u.id = e.recorded_by \
             WHERE e.municipality_id = $1 AND e.household_id = $2 ORDER BY e.occurred_on DESC, e.id DESC",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(entry).collect()
    }

    /// Starts a plan for the household on `started_on`. A household that already has an active
    /// plan gets `Conflict` (nothing written); the database's unique index stands behind the
    /// check for writers at the same moment.
    pub async fn create_follow_up_plan(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        fields: &PlanFields,
        started_on: Date,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a plan is made by a user".into()))?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        if active_plan_id(&mut tx, municipality, household).await?.is_some() {
            return Err(StoreError::Conflict { expected: 0 });
        }
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        sqlx::query(
            "INSERT INTO follow_up_plan (id, municipality_id, household_id, state, goals, responsible_user_id, \
             partner_kind, partner_name, review_on, started_on, created_by, created_at, updated_at, version) \
             VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $8, $9, $10, $11, $11, 1)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(&fields.goals)
        .bind(fields.responsible.to_string())
        .bind(fields.partner_kind.map(PartnerKind::code))
        .bind(fields.partner_name.as_deref())
        .bind(date_text(fields.review_on))
        .bind(date_text(started_on))
        .bind(user.to_string())
        .bind(now)
        .execute(tx.conn())
        .await?;
        let details = plan_details(&id, fields);
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.follow_up_plan_created", "household.follow_up"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes the active plan's goals, worker, partner and review day, from `version`.
    pub async fn update_follow_up_plan(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        plan_id: &str,
        version: i64,
        fields: &PlanFields,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        bump_plan(&mut tx, municipality, household, plan_id, version).await?;
        let done = sqlx::query(
            "UPDATE follow_up_plan SET goals = $1, responsible_user_id = $2, partner_kind = $3, partner_name = $4, \
             review_on = $5 WHERE id = $6 AND state = 'active'",
        )
        .bind(&fields.goals)
        .bind(fields.responsible.to_string())
        .bind(fields.partner_kind.map(PartnerKind::code))
        .bind(fields.partner_name.as_deref())
        .bind(date_text(fields.review_on))
        .bind(plan_id)
        .execute(tx.conn())
        .await?;
        finish(
            tx,
            (done.rows_affected(), StoreError::Conflict { expected: version + 1 }),
            (municipality, household),
            "household.follow_up_plan_changed",
            change,
            plan_details(plan_id, fields),
        )
        .await
    }

    /// Closes the active plan on `closed_on` for `reason`, from `version`.
    #[allow(clippy::too_many_arguments)]
    pub async fn close_follow_up_plan(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        plan_id: &str,
        version: i64,
        (reason, note): (CloseReason, Option<&str>),
        closed_on: Date,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        bump_plan(&mut tx, municipality, household, plan_id, version).await?;
        let done = sqlx::query(
            "UPDATE follow_up_plan SET state = 'closed', closed_on = $1, close_reason = $2, close_note = $3 \
             WHERE id = $4 AND state = 'active'",
        )
        .bind(date_text(closed_on))
        .bind(reason.code())
        .bind(note)
        .bind(plan_id)
        .execute(tx.conn())
        .await?;
        finish(
            tx,
            (done.rows_affected(), StoreError::Conflict { expected: version + 1 }),
            (municipality, household),
            "household.follow_up_plan_closed",
            change,
            serde_json::json!({ "plan": plan_id, "reason": reason.code(), "closed_on": date_text(closed_on) }),
        )
        .await
    }

    /// Reopens a closed plan, from `version` (undoing a close). `Conflict` when the household has
    /// another active plan by now.
    pub async fn reopen_follow_up_plan(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        plan_id: &str,
        version: i64,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        bump_plan(&mut tx, municipality, household, plan_id, version).await?;
        if active_plan_id(&mut tx, municipality, household).await?.is_some() {
            return Err(StoreError::Conflict { expected: version });
        }
        let done = sqlx::query(
            "UPDATE follow_up_plan SET state = 'active', closed_on = NULL, close_reason = NULL, close_note = NULL \
             WHERE id = $1 AND state = 'closed'",
        )
        .bind(plan_id)
        .execute(tx.conn())
        .await?;
        finish(
            tx,
            (done.rows_affected(), StoreError::Conflict { expected: version + 1 }),
            (municipality, household),
            "household.follow_up_plan_reopened",
            change,
            serde_json::json!({ "plan": plan_id }),
        )
        .await
    }

    /// Adds a measure to the active plan, from the plan's `version`.
    pub async fn add_follow_up_measure(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        (plan_id, version): (&str, i64),
        fields: &MeasureFields,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a measure is agreed by a user".into()))?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        bump_plan(&mut tx, municipality, household, plan_id, version).await?;
        if active_plan_id(&mut tx, municipality, household).await?.as_deref() != Some(plan_id) {
            return Err(StoreError::Conflict { expected: version });
        }
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        sqlx::query(
            "INSERT INTO follow_up_measure (id, municipality_id, plan_id, text, owner, due_on, status, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'agreed', $7, $8, $8)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(plan_id)
        .bind(&fields.text)
        .bind(&fields.owner)
        .bind(fields.due_on.map(date_text))
        .bind(user.to_string())
        .bind(now)
        .execute(tx.conn())
        .await?;
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.follow_up_measure_added", "household.follow_up"),
            change,
            serde_json::json!({ "plan": plan_id, "measure": id, "due_on": fields.due_on.map(date_text) }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets a measure's status (done, dropped, or agreed again), from the plan's `version`.
    pub async fn set_follow_up_measure_status(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        (plan_id, version): (&str, i64),
        measure_id: &str,
        status: MeasureStatus,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a measure is changed by a user".into()))?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        bump_plan(&mut tx, municipality, household, plan_id, version).await?;
        let done = sqlx::query(
            "UPDATE follow_up_measure SET status = $1, updated_by = $2, updated_at = $3 \
             WHERE municipality_id = $4 AND plan_id = $5 AND id = $6",
        )
        .bind(status.code())
        .bind(user.to_string())
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(plan_id)
        .bind(measure_id)
        .execute(tx.conn())
        .await?;
        finish(
            tx,
            (done.rows_affected(), StoreError::NotFound),
            (municipality, household),
            "household.follow_up_measure_changed",
            change,
            serde_json::json!({ "plan": plan_id, "measure": measure_id, "status": status.code() }),
        )
        .await
    }

    /// Logs a contact, visit or complaint on the household, under its active plan if it has one.
    pub async fn add_follow_up_entry(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        fields: &EntryFields,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("an entry is logged by a user".into()))?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        let plan_id = active_plan_id(&mut tx, municipality, household).await?;
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO follow_up_entry (id, municipality_id, household_id, plan_id, kind, outcome, occurred_on, note, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(plan_id.as_deref())
        .bind(fields.kind.code())
        .bind(fields.outcome.map(Outcome::code))
        .bind(date_text(fields.occurred_on))
        .bind(fields.note.as_deref())
        .bind(user.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.follow_up_logged", "household.follow_up"),
            change,
            serde_json::json!({
                "entry": id,
                "kind": fields.kind.code(),
                "outcome": fields.outcome.map(Outcome::code),
                "occurred_on": date_text(fields.occurred_on),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// How many plans (active or closed) the user is or was responsible for in the municipality.
    pub async fn follow_up_plans_of(&self, municipality: MunicipalityId, user: UserId) -> StoreResult<i64> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM follow_up_plan WHERE municipality_id = $1 AND responsible_user_id = $2",
        )
        .bind(municipality.to_string())
        .bind(user.to_string())
        .fetch_one(&mut *self.conn().await?)
        .await?
        .try_get("n")?)
    }

    /// Hands up to `limit` of the municipality's active plans whose worker is not `to` (the
    /// oldest first) to `to`, as when a worker leaves and another takes over the caseload; each
    /// plan's handover is a `household.follow_up_plan_changed` event with its audit entry.
    /// Returns how many were handed over.
    pub async fn hand_over_follow_up_plans(
        &self,
        municipality: MunicipalityId,
        to: UserId,
        limit: i64,
        change: &Change<'_>,
    ) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        let sql = format!(
            "SELECT id, household_id FROM follow_up_plan WHERE municipality_id = $1 AND state = 'active' \
             AND responsible_user_id <> $2 ORDER BY started_on, id {}",
            crate::limit(limit)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(to.to_string())
            .fetch_all(tx.conn())
            .await?;
        for row in &rows {
            let id: String = row.try_get("id")?;
            let household = HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?);
            sqlx::query(
                "UPDATE follow_up_plan SET responsible_user_id = $1, version = version + 1, updated_at = $2 WHERE id = $3",
            )
            .bind(to.to_string())
            .bind(crate::now_micros())
            .bind(&id)
            .execute(tx.conn())
            .await?;
            record_change(
                &mut tx,
                municipality,
                household,
                ("household.follow_up_plan_changed", "household.follow_up"),
                change,
                serde_json::json!({ "plan": id, "responsible": to.to_string() }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// The active plans of these households.
    pub async fn active_follow_up_plans(
        &self,
        municipality: MunicipalityId,
        households: Households,
    ) -> StoreResult<Vec<PlanLine>> {
        let sql = format!(
            "SELECT f.id, f.household_id, f.responsible_user_id, u.display_name, f.started_on, f.review_on \
             FROM follow_up_plan f JOIN app_user u ON u.id = f.responsible_user_id \
             WHERE f.municipality_id = $1 AND f.state = 'active'{}",
            households.condition("f.household_id", 2)
        );
        let rows = self.scoped_rows(sql, municipality, &[], households).await?;
        rows.iter()
            .map(|row| {
                Ok(PlanLine {
                    household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    plan_id: row.try_get("id")?,
                    responsible: UserId(parse_id(&row.try_get::<String, _>("responsible_user_id")?)?),
                    responsible_name: row.try_get("display_name")?,
                    started_on: parse_date_text(&row.try_get::<String, _>("started_on")?)?,
                    review_on: parse_date_text(&row.try_get::<String, _>("review_on")?)?,
                })
            })
            .collect()
    }

    /// The open fixed-term contracts of these households whose term ends by `ending_by` (the
    /// signal's horizon): whose, and the last day. Read from the term-end index, so the
    /// municipality's caseload reads the few hundred ending, not every open contract.
    pub async fn open_contracts_ending_by(
        &self,
        municipality: MunicipalityId,
        households: Households,
        ending_by: Date,
    ) -> StoreResult<Vec<(HouseholdId, Date)>> {
        let sql = format!(
            "SELECT household_id, term_end FROM tenancy WHERE municipality_id = $1 AND ended_on IS NULL \
             AND term_end IS NOT NULL AND term_end <= $2{}",
            households.condition("household_id", 3)
        );
        let rows = self
            .scoped_rows(sql, municipality, &[date_text(ending_by)], households)
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    parse_date_text(&row.try_get::<String, _>("term_end")?)?,
                ))
            })
            .collect()
    }

    /// Which of these households have an open contract.
    pub async fn with_open_contract(
        &self,
        municipality: MunicipalityId,
        households: &[HouseholdId],
    ) -> StoreResult<std::collections::HashSet<HouseholdId>> {
        let mut found = std::collections::HashSet::new();
        for chunk in households.chunks(ID_LIST_CHUNK) {
            let sql = format!(
                "SELECT DISTINCT household_id FROM tenancy WHERE municipality_id = $1 AND ended_on IS NULL \
                 AND household_id IN ({})",
                id_placeholders(chunk.len())
            );
            for row in self.rows_for_ids(sql, municipality, chunk).await? {
                found.insert(HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?));
            }
        }
        Ok(found)
    }

    /// What a caseload line shows of each of these households (the page's, some fifty): the main
    /// person's name, the household's address (masked when protected) and whether it is. A household not found is left out.
    pub async fn caseload_names(
        &self,
        municipality: MunicipalityId,
        households: &[HouseholdId],
    ) -> StoreResult<std::collections::HashMap<HouseholdId, (String, String, bool)>> {
        let mut names = std::collections::HashMap::new();
        for chunk in households.chunks(ID_LIST_CHUNK) {
            let sql = format!(
                "SELECT h.id, h.address_line, {}, p.given_name, p.family_name FROM household h \
                 JOIN household_member m ON m.municipality_id = h.municipality_id \
                     AND m.household_id = h.id AND m.relation = 'main_applicant' \
                 JOIN person p ON p.id = m.person_id WHERE h.municipality_id = $1 AND h.id IN ({})",
                crate::protection::PROTECTED,
                id_placeholders(chunk.len())
            );
            for row in self.rows_for_ids(sql, municipality, chunk).await? {
                let mut address: String = row.try_get("address_line")?;
                let protected = crate::protection::masked(&row, &mut [&mut address])?;
                names.insert(
                    HouseholdId(parse_id(&row.try_get::<String, _>("id")?)?),
                    (full_name(&row)?, address, protected),
                );
            }
        }
        Ok(names)
    }

    /// The rows of `sql`, whose parameters are the municipality (`$1`) and the households'
    /// ids (`$2`…, [`id_placeholders`]).
    async fn rows_for_ids(
        &self,
        sql: String,
        municipality: MunicipalityId,
        households: &[HouseholdId],
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
        for household in households {
            query = query.bind(household.to_string());
        }
        Ok(query.fetch_all(&mut *self.conn().await?).await?)
    }

    /// These households' complaints and missed appointments from `since` on (no notes), and
    /// each one's last contact held, whenever it was.
    pub async fn follow_up_facts(
        &self,
        municipality: MunicipalityId,
        since: Date,
        households: Households,
    ) -> StoreResult<(Vec<EntryFact>, Vec<(HouseholdId, Date)>)> {
        let sql = format!(
            "SELECT household_id, kind, outcome, occurred_on FROM follow_up_entry \
             WHERE municipality_id = $1 AND occurred_on >= $2 AND (kind = 'neighbour_complaint' OR outcome = 'missed'){}",
            households.condition("household_id", 3)
        );
        let rows = self
            .scoped_rows(sql, municipality, &[date_text(since)], households)
            .await?;
        let facts = rows
            .iter()
            .map(|row| {
                Ok(EntryFact {
                    household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    kind: coded(Some(row.try_get("kind")?), EntryKind::from_code, "entry kind")?
                        .ok_or_else(|| StoreError::Corrupt("entry kind".into()))?,
                    outcome: coded(row.try_get("outcome")?, Outcome::from_code, "outcome")?,
                    occurred_on: parse_date_text(&row.try_get::<String, _>("occurred_on")?)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let sql = format!(
            "SELECT household_id, MAX(occurred_on) AS last_on FROM follow_up_entry \
             WHERE municipality_id = $1 AND kind <> 'neighbour_complaint' AND (outcome IS NULL OR outcome = 'held'){} \
             GROUP BY household_id",
            households.condition("household_id", 2)
        );
        let rows = self.scoped_rows(sql, municipality, &[], households).await?;
        let last = rows
            .iter()
            .map(|row| {
                Ok((
                    HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    parse_date_text(&row.try_get::<String, _>("last_on")?)?,
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((facts, last))
    }

    /// The municipality's users who may be responsible for a plan: active, with the caseworker
    /// or follow-up worker role, by name.
    pub async fn follow_up_workers(&self, municipality: MunicipalityId) -> StoreResult<Vec<(UserId, String)>> {
        let rows = sqlx::query(
            "SELECT DISTINCT u.id, u.display_name FROM app_user u JOIN role_assignment r ON r.user_id = u.id \
             WHERE r.municipality_id = $1 AND r.role IN ('caseworker', 'follow_up_worker') AND u.disabled = 0 \
             ORDER BY u.display_name, u.id",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    UserId(parse_id(&row.try_get::<String, _>("id")?)?),
                    row.try_get("display_name")?,
                ))
            })
            .collect()
    }
}

impl Store {
    /// The rows of `sql`, whose parameters are the municipality (`$1`), then `params` (`$2`…),
    /// and last the households' ([`Households::condition`] numbered `params.len() + 2`).
    pub(crate) async fn scoped_rows(
        &self,
        sql: String,
        municipality: MunicipalityId,
        params: &[String],
        households: Households,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
        for param in params {
            query = query.bind(param.clone());
        }
        if let Some(value) = households.value() {
            query = query.bind(value);
        }
        Ok(query.fetch_all(&mut *self.conn().await?).await?)
    }
}

/// How many ids one `IN (…)` list binds (well within both backends' parameter limits).
const ID_LIST_CHUNK: usize = 500;

/// `$2, $3, …` for `n` ids after the municipality.
fn id_placeholders(n: usize) -> String {
    (2..n + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn full_name(row: &sqlx::any::AnyRow) -> StoreResult<String> {
    Ok(format!(
        "{} {}",
        row.try_get::<String, _>("given_name")?,
        row.try_get::<String, _>("family_name")?
    ))
}

/// What an audit entry and event say of a plan: its id and codes, never the goals or names.
fn plan_details(id: &str, fields: &PlanFields) -> serde_json::Value {
    serde_json::json!({
        "plan": id,
        "responsible": fields.responsible.to_string(),
        "partner_kind": fields.partner_kind.map(PartnerKind::code),
        "review_on": date_text(fields.review_on),
    })
}
