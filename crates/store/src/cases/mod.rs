//! Cases: applications for municipal housing and § 6 assistance, their state, decisions and
//! letters. The store holds no case rule: [`Store::change_case`] runs a lifecycle command of the
//! domain on the locked case and writes what it returns, bumping the case's version (optimistic
//! concurrency) with a `case_event` and an audit entry in the same transaction.

use husly_domain::cases::{ApplicationForm, CaseState, CaseType};
use husly_domain::{CaseId, HouseholdId, MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::db::{Tx, for_update};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Decoded, opt_date};
use crate::{Store, date_text, parse_date_text};

mod change;
pub(crate) mod decisions;
mod flags;
mod kostra;
mod letters;
mod queue;

pub use flags::Flag;
pub use husly_domain::cases::{Case, Decision};
pub use kostra::KostraClassification;
pub(crate) use letters::store_letter;
pub use letters::{Letter, NewLetter};
pub use queue::{QUEUE_COUNT_CAP, QueueCounts, QueueCursor, QueueFilter, QueueFrom, QueueRow, QueueSort, WorkloadRow};

const CASE_COLUMNS: &str = "c.id, c.municipality_id, c.household_id, c.reference, c.case_type, c.state, c.version, \
     c.form, c.overrides, c.received_on, c.assigned_to, u.display_name AS assigned_name, c.interim_due, \
     c.interim_sent_on, c.information_due, c.decided_on, c.delivered_on, c.appeal_deadline, c.valid_until, \
     c.renewal_reminder_on, c.next_due, c.finance, c.decide_by";

pub(super) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} `{value}`"))
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Decoded<Case> {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Decoded<Case>> {
        let case_type: String = row.try_get("case_type")?;
        let state: String = row.try_get("state")?;
        let form: String = row.try_get("form")?;
        let overrides: String = row.try_get("overrides")?;
        Ok(Decoded(Case {
            id: CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
            municipality_id: MunicipalityId(parse_id(&row.try_get::<String, _>("municipality_id")?)?),
            household_id: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
            reference: row.try_get("reference")?,
            case_type: CaseType::from_code(&case_type).ok_or_else(|| corrupt("case type", &case_type))?,
            state: CaseState::from_code(&state).ok_or_else(|| corrupt("state", &state))?,
            version: row.try_get("version")?,
            form: serde_json::from_str(&form).map_err(|e| StoreError::Corrupt(format!("case form: {e}")))?,
            overrides: serde_json::from_str(&overrides).map_err(|e| StoreError::Corrupt(format!("overrides: {e}")))?,
            received_on: parse_date_text(&row.try_get::<String, _>("received_on")?)?,
            assigned_to: row
                .try_get::<Option<String>, _>("assigned_to")?
                .map(|u| parse_id(&u).map(UserId))
                .transpose()?,
            assigned_name: row.try_get("assigned_name")?,
            interim_due: opt_date(row, "interim_due")?,
            interim_sent_on: opt_date(row, "interim_sent_on")?,
            information_due: opt_date(row, "information_due")?,
            decided_on: opt_date(row, "decided_on")?,
            delivered_on: opt_date(row, "delivered_on")?,
            appeal_deadline: opt_date(row, "appeal_deadline")?,
            valid_until: opt_date(row, "valid_until")?,
            renewal_reminder_on: opt_date(row, "renewal_reminder_on")?,
            decide_by: opt_date(row, "decide_by")?,
            next_due: opt_date(row, "next_due")?,
            finance: row
                .try_get::<Option<String>, _>("finance")?
                .map(|f| serde_json::from_str(&f).map_err(|e| StoreError::Corrupt(format!("case finance: {e}"))))
                .transpose()?,
        }))
    }
}

pub(crate) async fn case_event(
    tx: &mut Tx,
    case: &Case,
    kind: &str,
    change: &Change<'_>,
    details: serde_json::Value,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO case_event (id, municipality_id, household_id, case_id, kind, actor_user_id, reason, details, occurred_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(case.municipality_id.to_string())
    .bind(case.household_id.to_string())
    .bind(case.id.to_string())
    .bind(kind)
    .bind(change.user.map(|u| u.to_string()))
    .bind(change.reason)
    .bind(details.to_string())
    .bind(crate::now_micros())
    .execute(tx.conn())
    .await?;
    audit::append(
        tx,
        change.actor,
        Event {
            municipality: Some(case.municipality_id),
            action: "case.change",
            resource_kind: "case",
            resource_id: case.id.to_string(),
            details: serde_json::json!({ "event": kind, "details": details }),
        },
    )
    .await
}

/// Why an update of one row of a case's own table (`case_flag`, `case_task`) changed nothing: the
/// row is not the case's (not found), or it is no longer in the state the update expected, so
/// somebody else got there first (a conflict).
pub(crate) async fn unchanged_row(tx: &mut Tx, table: &'static str, case: &Case, id: &str) -> StoreResult<StoreError> {
    let sql = format!("SELECT 1 AS one FROM {table} WHERE municipality_id = $1 AND case_id = $2 AND id = $3");
    let exists = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(case.municipality_id.to_string())
        .bind(case.id.to_string())
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .is_some();
    Ok(if exists {
        StoreError::Conflict { expected: 0 }
    } else {
        StoreError::NotFound
    })
}

/// Reads one case of a municipality.
pub(super) async fn read_case<'c>(
    conn: impl sqlx::Executor<'c, Database = sqlx::Any>,
    municipality: MunicipalityId,
    id: CaseId,
) -> StoreResult<Case> {
    // The municipality written in: see `db::SAMPLED_INDEXES`.
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM application_case c LEFT JOIN app_user u ON u.id = c.assigned_to \
         WHERE c.municipality_id = {} AND c.id = $1",
        crate::literal(&municipality.to_string())
    );
    let row: Decoded<Case> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.into_inner())
}

/// Reads a case inside a transaction, without a lock or version check.
pub(crate) async fn read_case_in(tx: &mut Tx, municipality: MunicipalityId, id: CaseId) -> StoreResult<Case> {
    read_case(tx.conn(), municipality, id).await
}

/// Reads a case inside a write transaction, locked, and checks the version the caller read.
pub(crate) async fn locked_case(
    tx: &mut Tx,
    municipality: MunicipalityId,
    id: CaseId,
    expected: i64,
) -> StoreResult<Case> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM application_case c LEFT JOIN app_user u ON u.id = c.assigned_to \
         WHERE c.municipality_id = $1 AND c.id = $2 {}",
        for_update(tx.backend()).replace("FOR UPDATE", "FOR UPDATE OF c")
    );
    let case: Decoded<Case> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let case = case.into_inner();
    if case.version != expected {
        return Err(StoreError::Conflict { expected });
    }
    Ok(case)
}

/// Writes a case's state and dates back with the next version.
pub(crate) async fn save_case(tx: &mut Tx, case: &Case) -> StoreResult<()> {
    let next_due = case.computed_next_due();
    sqlx::query(
        "UPDATE application_case SET state = $1, version = version + 1, form = $2, overrides = $3, assigned_to = $4, \
         interim_sent_on = $5, information_due = $6, decided_on = $7, delivered_on = $8, appeal_deadline = $9, \
         valid_until = $10, renewal_reminder_on = $11, next_due = $12, due_order = $17, finance = $18, updated_at = $13, \
         decide_by = $19 \
         WHERE municipality_id = $14 AND id = $15 AND version = $16",
    )
    .bind(case.state.code())
    .bind(serde_json::to_string(&case.form).map_err(anyhow::Error::from)?)
    .bind(serde_json::to_string(&case.overrides).map_err(anyhow::Error::from)?)
    .bind(case.assigned_to.map(|u| u.to_string()))
    .bind(case.interim_sent_on.map(date_text))
    .bind(case.information_due.map(date_text))
    .bind(case.decided_on.map(date_text))
    .bind(case.delivered_on.map(date_text))
    .bind(case.appeal_deadline.map(date_text))
    .bind(case.valid_until.map(date_text))
    .bind(case.renewal_reminder_on.map(date_text))
    .bind(next_due.map(date_text))
    .bind(crate::now_micros())
    .bind(case.municipality_id.to_string())
    .bind(case.id.to_string())
    .bind(case.version)
    .bind(due_order(next_due))
    .bind(
        case.finance
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(anyhow::Error::from)?,
    )
    .bind(case.decide_by.map(date_text))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The queue's sort key: the next deadline, or the end of time when there is none.
pub(crate) fn due_order(next_due: Option<Date>) -> String {
    next_due.map_or_else(|| "9999-12-31".to_string(), date_text)
}

pub(crate) async fn register_application_in(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    case_type: CaseType,
    form: &ApplicationForm,
    received_on: Date,
    change: &Change<'_>,
) -> StoreResult<(CaseId, String)> {
    let members = sqlx::query(
        "SELECT p.birth_date FROM household_member m JOIN person p ON p.id = m.person_id \
             WHERE m.municipality_id = $1 AND m.household_id = $2",
    )
    .bind(municipality.to_string())
    .bind(household.to_string())
    .fetch_all(tx.conn())
    .await?;
    if members.is_empty() {
        return Err(StoreError::NotFound);
    }
    let mut children = 0i64;
    for row in &members {
        let birth = parse_date_text(&row.try_get::<String, _>("birth_date")?)?;
        if husly_domain::bostotte::age_at(birth, received_on) < 18 {
            children += 1;
        }
    }
    let year = i64::from(received_on.year());
    let updated =
        sqlx::query("UPDATE case_reference_counter SET last = last + 1 WHERE municipality_id = $1 AND year = $2")
            .bind(municipality.to_string())
            .bind(year)
            .execute(tx.conn())
            .await?;
    if updated.rows_affected() == 0 {
        sqlx::query("INSERT INTO case_reference_counter (municipality_id, year, last) VALUES ($1, $2, 1)")
            .bind(municipality.to_string())
            .bind(year)
            .execute(tx.conn())
            .await?;
    }
    let number: i64 = sqlx::query("SELECT last FROM case_reference_counter WHERE municipality_id = $1 AND year = $2")
        .bind(municipality.to_string())
        .bind(year)
        .fetch_one(tx.conn())
        .await?
        .try_get("last")?;
    let reference = format!("{year}-{number:06}");
    let case = Case::received(
        CaseId::new(),
        municipality,
        household,
        reference.clone(),
        case_type,
        form.clone(),
        received_on,
    );
    let id = case.id;
    let now = crate::now_micros();
    sqlx::query(
        "INSERT INTO application_case (id, municipality_id, household_id, reference, case_type, state, version, form, \
         overrides, received_on, interim_due, next_due, due_order, existing_tenant, children, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '[]', $9, $10, $11, $12, $13, $14, $15, $15)",
    )
    .bind(id.to_string())
    .bind(municipality.to_string())
    .bind(household.to_string())
    .bind(&reference)
    .bind(case_type.code())
    .bind(case.state.code())
    .bind(case.version)
    .bind(serde_json::to_string(form).map_err(anyhow::Error::from)?)
    .bind(date_text(received_on))
    .bind(case.interim_due.map(date_text))
    .bind(case.next_due.map(date_text))
    .bind(due_order(case.next_due))
    .bind(crate::flag(form.existing_tenant))
    .bind(children)
    .bind(now)
    .execute(tx.conn())
    .await?;
    let flags = flags::flag_duplicates(tx, municipality, household, id).await?;
    case_event(
            tx,
            &case,
            "case.received",
            change,
            serde_json::json!({ "reference": reference, "case_type": case_type.code(), "received_on": date_text(received_on), "possible_duplicates": flags }),
        )
        .await?;
    Ok((id, reference))
}

impl Store {
    /// Registers an application received on `received_on` for a household; returns the case id
    /// and its reference (`2026-000042`).
    pub async fn register_application(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        case_type: CaseType,
        form: &ApplicationForm,
        received_on: Date,
        change: &Change<'_>,
    ) -> StoreResult<(CaseId, String)> {
        let mut tx = self.write().await?;
        let result =
            register_application_in(&mut tx, municipality, household, case_type, form, received_on, change).await?;
        tx.commit().await?;
        Ok(result)
    }

    pub async fn case(&self, municipality: MunicipalityId, id: CaseId) -> StoreResult<Case> {
        read_case(&mut self.key_read().await?, municipality, id).await
    }

    /// The municipality a case belongs to (for authorisation before reading it).
    pub async fn case_municipality(&self, id: CaseId) -> StoreResult<Option<MunicipalityId>> {
        self.owner_of(id.0, "SELECT municipality_id FROM application_case WHERE id = $1")
            .await
    }

    pub async fn cases_of_household(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<Case>> {
        // The municipality written in: see `db::SAMPLED_INDEXES`.
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM application_case c LEFT JOIN app_user u ON u.id = c.assigned_to \
             WHERE c.municipality_id = {} AND c.household_id = $1 ORDER BY c.received_on DESC, c.id DESC",
            crate::literal(&municipality.to_string())
        );
        let rows: Vec<Decoded<Case>> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(household.to_string())
            .fetch_all(&mut self.key_read().await?)
            .await?;
        Ok(rows.into_iter().map(Decoded::into_inner).collect())
    }

    /// The case's timeline, newest first.
    pub async fn case_timeline(
        &self,
        municipality: MunicipalityId,
        id: CaseId,
    ) -> StoreResult<Vec<crate::households::TimelineEvent>> {
        let rows = sqlx::query_as(
            "SELECT e.id, e.kind, e.actor_user_id, u.display_name, e.reason, e.details, e.occurred_at \
             FROM case_event e LEFT JOIN app_user u ON u.id = e.actor_user_id \
             WHERE e.municipality_id = $1 AND e.case_id = $2 ORDER BY e.occurred_at DESC, e.id DESC LIMIT 500",
        )
        .bind(municipality.to_string())
        .bind(id.to_string())
        .fetch_all(&mut self.key_read().await?)
        .await?;
        Ok(rows)
    }
}
