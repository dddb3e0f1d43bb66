//! Cases: applications for municipal housing and § 6 assistance, their state, decisions and
//! letters. The store holds no case rule: [`Store::change_case`] runs a lifecycle command of the
//! domain on the locked case and writes what it returns, bumping the case's version (optimistic
//! concurrency) with a `case_event` and an audit entry in the same transaction.

use husly_domain::cases::deadlines;
use husly_domain::cases::{
    ApplicationForm, CaseChange, CaseState, CaseType, DecisionChange, DecisionStatus, LatestDecision, LedgerEffect,
    Outcome, Refusal,
};
use husly_domain::{CaseId, DecisionId, HouseholdId, MunicipalityId, UserId};
use serde::Serialize;
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::db::{Tx, for_update};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

pub use husly_domain::cases::{Case, Decision};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub id: String,
    pub kind: String,
    pub language: String,
    pub sha256: String,
    pub created_at: i64,
}

/// A row of the work queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueRow {
    pub id: CaseId,
    pub reference: String,
    pub case_type: CaseType,
    pub state: CaseState,
    pub received_on: Date,
    pub next_due: Option<Date>,
    pub assigned_name: Option<String>,
    pub applicant: String,
    pub address_line: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueFilter {
    /// Every open case.
    Open,
    Mine(UserId),
    Unassigned,
    /// Open cases with a deadline within a week of `today`.
    DueSoon(Date),
    Overdue(Date),
    /// Proposed decisions waiting for a second person to approve them (four eyes).
    AwaitingApproval,
}

impl QueueFilter {
    /// The codes the pages and the API accept, in the order the pages list them.
    pub const CODES: [&'static str; 6] = ["mine", "unassigned", "due_soon", "overdue", "to_approve", "open"];

    /// The filter a code names, for `user` on `today`; `None` for an unknown code.
    pub fn from_code(code: &str, user: UserId, today: Date) -> Option<Self> {
        Some(match code {
            "mine" => Self::Mine(user),
            "unassigned" => Self::Unassigned,
            "due_soon" => Self::DueSoon(today),
            "overdue" => Self::Overdue(today),
            "to_approve" => Self::AwaitingApproval,
            "open" => Self::Open,
            _ => return None,
        })
    }
}

/// A letter to store with the change that sends it.
pub struct NewLetter<'a> {
    pub kind: &'a str,
    pub language: &'a str,
    pub html: &'a str,
    pub pdf: &'a [u8],
}

const CASE_COLUMNS: &str = "c.id, c.municipality_id, c.household_id, c.reference, c.case_type, c.state, c.version, \
     c.form, c.overrides, c.received_on, c.assigned_to, u.display_name AS assigned_name, c.interim_due, \
     c.interim_sent_on, c.information_due, c.decided_on, c.delivered_on, c.appeal_deadline, c.valid_until, \
     c.renewal_reminder_on, c.next_due, c.finance";

fn letter_of(row: &sqlx::any::AnyRow) -> StoreResult<Letter> {
    Ok(Letter {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        language: row.try_get("language")?,
        sha256: row.try_get("sha256")?,
        created_at: row.try_get("created_at")?,
    })
}

fn opt_date(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<Option<Date>> {
    row.try_get::<Option<String>, _>(column)?
        .map(|d| parse_date_text(&d))
        .transpose()
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} `{value}`"))
}

fn case_from_row(row: &sqlx::any::AnyRow) -> StoreResult<Case> {
    let case_type: String = row.try_get("case_type")?;
    let state: String = row.try_get("state")?;
    let form: String = row.try_get("form")?;
    let overrides: String = row.try_get("overrides")?;
    Ok(Case {
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
        next_due: opt_date(row, "next_due")?,
        finance: row
            .try_get::<Option<String>, _>("finance")?
            .map(|f| serde_json::from_str(&f).map_err(|e| StoreError::Corrupt(format!("case finance: {e}"))))
            .transpose()?,
    })
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

/// Reads one case of a municipality.
async fn read_case(conn: &mut sqlx::AnyConnection, municipality: MunicipalityId, id: CaseId) -> StoreResult<Case> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM application_case c LEFT JOIN app_user u ON u.id = c.assigned_to \
         WHERE c.municipality_id = $1 AND c.id = $2"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    case_from_row(&row)
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
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(id.to_string())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let case = case_from_row(&row)?;
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
         valid_until = $10, renewal_reminder_on = $11, next_due = $12, due_order = $17, finance = $18, updated_at = $13 \
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
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The queue's sort key: the next deadline, or the end of time when there is none.
pub(crate) fn due_order(next_due: Option<Date>) -> String {
    next_due.map_or_else(|| "9999-12-31".to_string(), date_text)
}

async fn latest_decision(tx: &mut Tx, case: &Case) -> StoreResult<Option<LatestDecision>> {
    let row = sqlx::query(
        "SELECT id, proposed_by, outcome, status, amount_ore FROM case_decision WHERE municipality_id = $1 AND case_id = $2 \
         ORDER BY proposed_at DESC, id DESC LIMIT 1",
    )
    .bind(case.municipality_id.to_string())
    .bind(case.id.to_string())
    .fetch_optional(tx.conn())
    .await?;
    row.map(|row| {
        let outcome: String = row.try_get("outcome")?;
        let status: String = row.try_get("status")?;
        Ok(LatestDecision {
            id: DecisionId(parse_id(&row.try_get::<String, _>("id")?)?),
            proposed_by: UserId(parse_id(&row.try_get::<String, _>("proposed_by")?)?),
            outcome: Outcome::from_code(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?,
            status: DecisionStatus::from_code(&status).ok_or_else(|| corrupt("decision status", &status))?,
            amount_ore: row.try_get("amount_ore")?,
        })
    })
    .transpose()
}

async fn store_letter(
    tx: &mut Tx,
    case: &Case,
    decision: Option<DecisionId>,
    letter: &NewLetter<'_>,
    user: Option<UserId>,
) -> StoreResult<String> {
    use sha2::{Digest, Sha256};
    let id = uuid::Uuid::now_v7().to_string();
    let sha = hex::encode(Sha256::digest(letter.pdf));
    sqlx::query(
        "INSERT INTO case_letter (id, municipality_id, case_id, decision_id, kind, language, html, pdf_hex, sha256, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(case.municipality_id.to_string())
    .bind(case.id.to_string())
    .bind(decision.map(|d| d.to_string()))
    .bind(letter.kind)
    .bind(letter.language)
    .bind(letter.html)
    .bind(hex::encode(letter.pdf))
    .bind(&sha)
    .bind(user.map(|u| u.to_string()))
    .bind(crate::now_micros())
    .execute(tx.conn())
    .await?;
    Ok(sha)
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
         overrides, received_on, interim_due, next_due, due_order, existing_tenant, main_reason, children, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '[]', $9, $10, $11, $12, $13, $14, $15, $16, $16)",
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
    .bind(form.main_reason().map(|r| r.code()))
    .bind(children)
    .bind(now)
    .execute(tx.conn())
    .await?;
    let flags = flag_duplicates(tx, municipality, household, id).await?;
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
        let mut conn = self.pool().acquire().await?;
        read_case(&mut conn, municipality, id).await
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
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM application_case c LEFT JOIN app_user u ON u.id = c.assigned_to \
             WHERE c.municipality_id = $1 AND c.household_id = $2 ORDER BY c.received_on DESC, c.id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(household.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(case_from_row).collect()
    }

    pub async fn decisions(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<Vec<Decision>> {
        let rows = sqlx::query(
            "SELECT d.id, d.outcome, d.reasons, d.granted_text, d.assessment, d.status, d.proposed_by, u.display_name, \
             d.proposed_at, d.decided_by, d.decided_at, d.sent_at, d.on_appeal, d.amount_ore, d.conditions FROM case_decision d \
             JOIN app_user u ON u.id = d.proposed_by WHERE d.municipality_id = $1 AND d.case_id = $2 \
             ORDER BY d.proposed_at DESC, d.id DESC",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let outcome: String = row.try_get("outcome")?;
                let assessment: String = row.try_get("assessment")?;
                Ok(Decision {
                    id: DecisionId(parse_id(&row.try_get::<String, _>("id")?)?),
                    outcome: Outcome::from_code(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?,
                    reasons: row.try_get("reasons")?,
                    granted_text: row.try_get("granted_text")?,
                    assessment: serde_json::from_str(&assessment).unwrap_or(serde_json::Value::Null),
                    status: {
                        let status: String = row.try_get("status")?;
                        DecisionStatus::from_code(&status).ok_or_else(|| corrupt("decision status", &status))?
                    },
                    proposed_by: UserId(parse_id(&row.try_get::<String, _>("proposed_by")?)?),
                    proposed_by_name: row.try_get("display_name")?,
                    proposed_at: row.try_get("proposed_at")?,
                    decided_by: row
                        .try_get::<Option<String>, _>("decided_by")?
                        .map(|u| parse_id(&u).map(UserId))
                        .transpose()?,
                    decided_at: row.try_get("decided_at")?,
                    sent_at: row.try_get("sent_at")?,
                    on_appeal: crate::flag_of(row, "on_appeal")?,
                    amount_ore: row.try_get("amount_ore")?,
                    conditions: row
                        .try_get::<Option<String>, _>("conditions")?
                        .map(|c| serde_json::from_str(&c).map_err(|e| StoreError::Corrupt(format!("conditions: {e}"))))
                        .transpose()?
                        .unwrap_or_default(),
                })
            })
            .collect()
    }

    pub async fn letters(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<Vec<Letter>> {
        let rows = sqlx::query(
            "SELECT id, kind, language, sha256, created_at FROM case_letter WHERE municipality_id = $1 AND case_id = $2 \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(letter_of).collect()
    }

    /// A stored letter: its HTML and PDF, exactly as sent.
    pub async fn letter(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
        id: &str,
    ) -> StoreResult<(Letter, String, Vec<u8>)> {
        let row = sqlx::query(
            "SELECT id, kind, language, sha256, created_at, html, pdf_hex FROM case_letter \
             WHERE municipality_id = $1 AND case_id = $2 AND id = $3",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let pdf = hex::decode(row.try_get::<String, _>("pdf_hex")?)
            .map_err(|e| StoreError::Corrupt(format!("letter pdf: {e}")))?;
        Ok((letter_of(&row)?, row.try_get("html")?, pdf))
    }

    /// The work queue: open cases with the earliest deadline first.
    pub async fn queue(
        &self,
        municipality: MunicipalityId,
        filter: QueueFilter,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        // First the page of case ids, walking an index in the queue's order (no joins, no sort);
        // then the names and addresses for those few rows only.
        let open =
            "c.state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body')";
        let (condition, param): (String, Option<String>) = match filter {
            QueueFilter::Open => (open.to_string(), None),
            QueueFilter::Mine(user) => (format!("{open} AND c.assigned_to = $4"), Some(user.to_string())),
            QueueFilter::Unassigned => (format!("{open} AND c.assigned_to IS NULL"), None),
            QueueFilter::DueSoon(today) => (
                "c.due_order >= $4 AND c.due_order <= $5".to_string(),
                Some(date_text(today)),
            ),
            QueueFilter::Overdue(today) => ("c.due_order < $4".to_string(), Some(date_text(today))),
            QueueFilter::AwaitingApproval => ("c.state = 'decision_proposed'".to_string(), None),
        };
        let sql = format!(
            "SELECT c.id, c.reference, c.case_type, c.state, c.received_on, c.next_due, u.display_name AS assigned_name, \
             h.address_line, p.given_name, p.family_name \
             FROM (SELECT c.id FROM application_case c WHERE c.municipality_id = $1 AND {condition} \
                   ORDER BY c.due_order, c.id LIMIT $2 OFFSET $3) page \
             JOIN application_case c ON c.id = page.id \
             JOIN household h ON h.id = c.household_id \
             LEFT JOIN household_member m ON m.municipality_id = c.municipality_id AND m.household_id = c.household_id \
                 AND m.relation = 'main_applicant' \
             LEFT JOIN person p ON p.id = m.person_id \
             LEFT JOIN app_user u ON u.id = c.assigned_to \
             ORDER BY c.due_order, c.id"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(limit)
            .bind(offset);
        if let Some(param) = &param {
            query = query.bind(param.clone());
        }
        if let QueueFilter::DueSoon(today) = filter {
            query = query.bind(date_text(today + time::Duration::days(deadlines::DUE_SOON_DAYS)));
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let case_type: String = row.try_get("case_type")?;
                let state: String = row.try_get("state")?;
                let given: Option<String> = row.try_get("given_name")?;
                let family: Option<String> = row.try_get("family_name")?;
                Ok(QueueRow {
                    id: CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
                    reference: row.try_get("reference")?,
                    case_type: CaseType::from_code(&case_type).ok_or_else(|| corrupt("case type", &case_type))?,
                    state: CaseState::from_code(&state).ok_or_else(|| corrupt("state", &state))?,
                    received_on: parse_date_text(&row.try_get::<String, _>("received_on")?)?,
                    next_due: opt_date(row, "next_due")?,
                    assigned_name: row.try_get("assigned_name")?,
                    applicant: format!("{} {}", given.unwrap_or_default(), family.unwrap_or_default())
                        .trim()
                        .to_string(),
                    address_line: row.try_get("address_line")?,
                })
            })
            .collect()
    }

    /// Changes a case. Locks it at the version the user saw (a newer one is a conflict), runs
    /// `command` — a lifecycle command of the domain — on it and its newest decision, and writes
    /// what the command returns: the case with the next version, the decision, the letter (the
    /// decision's, when the change sends one), the grant budget postings, and the event with its
    /// audit entry, all in one transaction. A refused command writes nothing.
    pub async fn change_case(
        &self,
        municipality: MunicipalityId,
        id: CaseId,
        expected_version: i64,
        letter: Option<&NewLetter<'_>>,
        who: &Change<'_>,
        command: impl FnOnce(&Case, Option<&LatestDecision>) -> Result<CaseChange, Refusal>,
    ) -> StoreResult<Case> {
        let mut tx = self.write().await?;
        let before = locked_case(&mut tx, municipality, id, expected_version).await?;
        let latest = latest_decision(&mut tx, &before).await?;
        let change = command(&before, latest.as_ref()).map_err(StoreError::Refused)?;
        let CaseChange {
            case,
            event,
            mut details,
            reason,
            decision,
            ledger,
        } = change;
        if case.id != before.id || case.municipality_id != municipality || case.version != before.version {
            return Err(StoreError::Invalid("a command may not change which case it is".into()));
        }
        let who = Change {
            reason: reason.as_deref().or(who.reason),
            ..*who
        };
        let sent_decision = match &decision {
            Some(DecisionChange::Send { id }) => Some(*id),
            _ => None,
        };
        if let Some(decision) = &decision {
            write_decision(&mut tx, municipality, id, decision).await?;
        }
        if let Some(letter) = letter {
            let sha = store_letter(&mut tx, &case, sent_decision, letter, who.user).await?;
            if let serde_json::Value::Object(map) = &mut details {
                map.insert("letter_sha256".into(), sha.into());
            }
        }
        for effect in ledger {
            apply_ledger(&mut tx, &case, effect, &who).await?;
        }
        save_case(&mut tx, &case).await?;
        case_event(&mut tx, &case, event, &who, details).await?;
        let after = read_case(tx.conn(), municipality, id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The case's timeline, newest first.
    pub async fn case_timeline(
        &self,
        municipality: MunicipalityId,
        id: CaseId,
    ) -> StoreResult<Vec<crate::households::TimelineEvent>> {
        let rows = sqlx::query(
            "SELECT e.id, e.kind, e.actor_user_id, u.display_name, e.reason, e.details, e.occurred_at \
             FROM case_event e LEFT JOIN app_user u ON u.id = e.actor_user_id \
             WHERE e.municipality_id = $1 AND e.case_id = $2 ORDER BY e.occurred_at DESC, e.id DESC LIMIT 500",
        )
        .bind(municipality.to_string())
        .bind(id.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(crate::households::timeline_event).collect()
    }
}

/// A possible duplicate found when the case was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub id: String,
    /// `person_in_open_case` or `member_in_other_household`.
    pub kind: String,
    pub person_name: String,
    pub other_case: Option<(CaseId, String)>,
    pub other_household: Option<HouseholdId>,
    /// `open`, `linked` or `dismissed`.
    pub status: String,
    pub resolution_reason: Option<String>,
}

/// Flags members who are in another open case or another current household. Returns how many.
async fn flag_duplicates(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    case: CaseId,
) -> StoreResult<usize> {
    let m = municipality.to_string();
    let h = household.to_string();
    let open_cases = sqlx::query(
        "SELECT DISTINCT me.person_id, c.id AS other_case FROM household_member me \
         JOIN household_member other ON other.municipality_id = me.municipality_id AND other.person_id = me.person_id \
         JOIN application_case c ON c.municipality_id = other.municipality_id AND c.household_id = other.household_id \
         WHERE me.municipality_id = $1 AND me.household_id = $2 AND c.id <> $3 \
           AND c.state NOT IN ('expired', 'withdrawn', 'closed', 'refused')",
    )
    .bind(&m)
    .bind(&h)
    .bind(case.to_string())
    .fetch_all(tx.conn())
    .await?;
    let households = sqlx::query(
        "SELECT DISTINCT me.person_id, other.household_id AS other_household FROM household_member me \
         JOIN household_member other ON other.municipality_id = me.municipality_id AND other.person_id = me.person_id \
         JOIN household oh ON oh.id = other.household_id \
         WHERE me.municipality_id = $1 AND me.household_id = $2 AND other.household_id <> $2 AND oh.to_date IS NULL",
    )
    .bind(&m)
    .bind(&h)
    .fetch_all(tx.conn())
    .await?;
    let now = crate::now_micros();
    let mut count = 0;
    for (kind, rows, column) in [
        ("person_in_open_case", &open_cases, "other_case"),
        ("member_in_other_household", &households, "other_household"),
    ] {
        for row in rows {
            let person: String = row.try_get("person_id")?;
            let other: String = row.try_get(column)?;
            let (other_case, other_household) = if column == "other_case" {
                (Some(other), None)
            } else {
                (None, Some(other))
            };
            sqlx::query(
                "INSERT INTO case_flag (id, municipality_id, case_id, kind, person_id, other_case_id, other_household_id, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&m)
            .bind(case.to_string())
            .bind(kind)
            .bind(person)
            .bind(other_case)
            .bind(other_household)
            .bind(now)
            .execute(tx.conn())
            .await?;
            count += 1;
        }
    }
    Ok(count)
}

impl Store {
    pub async fn flags(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<Vec<Flag>> {
        let rows = sqlx::query(
            "SELECT f.id, f.kind, p.given_name, p.family_name, f.other_case_id, oc.reference, f.other_household_id, \
             f.status, f.resolution_reason FROM case_flag f JOIN person p ON p.id = f.person_id \
             LEFT JOIN application_case oc ON oc.id = f.other_case_id \
             WHERE f.municipality_id = $1 AND f.case_id = $2 ORDER BY f.created_at, f.id",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let other_case: Option<String> = row.try_get("other_case_id")?;
                let reference: Option<String> = row.try_get("reference")?;
                Ok(Flag {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    person_name: format!(
                        "{} {}",
                        row.try_get::<String, _>("given_name")?,
                        row.try_get::<String, _>("family_name")?
                    ),
                    other_case: match (other_case, reference) {
                        (Some(id), Some(reference)) => Some((CaseId(parse_id(&id)?), reference)),
                        _ => None,
                    },
                    other_household: row
                        .try_get::<Option<String>, _>("other_household_id")?
                        .map(|h| parse_id(&h).map(HouseholdId))
                        .transpose()?,
                    status: row.try_get("status")?,
                    resolution_reason: row.try_get("resolution_reason")?,
                })
            })
            .collect()
    }

    /// A caseworker links (the same household applying twice, handled together) or dismisses
    /// (not a duplicate) a flag, with the reason; the records stay as they are.
    pub async fn resolve_flag(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
        flag: &str,
        link: bool,
        reason: &str,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case = read_case(tx.conn(), municipality, case).await?;
        let updated = sqlx::query(
            "UPDATE case_flag SET status = $1, resolved_by = $2, resolution_reason = $3 \
             WHERE municipality_id = $4 AND case_id = $5 AND id = $6 AND status = 'open'",
        )
        .bind(if link { "linked" } else { "dismissed" })
        .bind(change.user.map(|u| u.to_string()))
        .bind(reason)
        .bind(municipality.to_string())
        .bind(case.id.to_string())
        .bind(flag)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Invalid("the flag is not open".into()));
        }
        case_event(
            &mut tx,
            &case,
            if link {
                "case.duplicate_linked"
            } else {
                "case.duplicate_dismissed"
            },
            change,
            serde_json::json!({ "flag": flag }),
        )
        .await?;
        tx.commit().await
    }
}

async fn write_decision(
    tx: &mut Tx,
    municipality: MunicipalityId,
    case: CaseId,
    decision: &DecisionChange,
) -> StoreResult<()> {
    match decision {
        DecisionChange::Propose {
            id,
            proposal,
            proposed_by,
            on_appeal,
            assessment,
        } => {
            sqlx::query(
                "INSERT INTO case_decision (id, municipality_id, case_id, outcome, reasons, granted_text, assessment, status, \
                 proposed_by, proposed_at, on_appeal, amount_ore, conditions) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(id.to_string())
            .bind(municipality.to_string())
            .bind(case.to_string())
            .bind(proposal.outcome.code())
            .bind(&proposal.reasons)
            .bind(proposal.granted_text.as_deref())
            .bind(assessment.to_string())
            .bind(DecisionStatus::Proposed.code())
            .bind(proposed_by.to_string())
            .bind(crate::now_micros())
            .bind(crate::flag(*on_appeal))
            .bind(proposal.amount_ore)
            .bind(serde_json::to_string(&proposal.conditions).map_err(anyhow::Error::from)?)
            .execute(tx.conn())
            .await?;
        }
        DecisionChange::Review { id, status, by } => {
            sqlx::query(
                "UPDATE case_decision SET status = $1, decided_by = $2, decided_at = $3 \
                 WHERE municipality_id = $4 AND id = $5 AND status = $6",
            )
            .bind(status.code())
            .bind(by.to_string())
            .bind(crate::now_micros())
            .bind(municipality.to_string())
            .bind(id.to_string())
            .bind(DecisionStatus::Proposed.code())
            .execute(tx.conn())
            .await?;
        }
        DecisionChange::Send { id } => {
            sqlx::query(
                "UPDATE case_decision SET status = $1, sent_at = $2 WHERE municipality_id = $3 AND id = $4 AND status = $5",
            )
            .bind(DecisionStatus::Sent.code())
            .bind(crate::now_micros())
            .bind(municipality.to_string())
            .bind(id.to_string())
            .bind(DecisionStatus::Approved.code())
            .execute(tx.conn())
            .await?;
        }
    }
    Ok(())
}

async fn apply_ledger(tx: &mut Tx, case: &Case, effect: LedgerEffect, who: &Change<'_>) -> StoreResult<()> {
    match effect {
        LedgerEffect::ReleaseOutstanding { grant, on, note } => {
            crate::finance::release_outstanding(tx, case, grant, on, note, who).await
        }
        LedgerEffect::Pay {
            grant,
            amount_ore,
            on,
            note,
        } => {
            crate::finance::post(
                tx,
                case,
                grant,
                crate::finance::Posting {
                    kind: husly_domain::finance::EntryKind::Paid,
                    amount_ore,
                    on,
                    decision: None,
                    note: &note,
                },
                who,
            )
            .await
        }
        LedgerEffect::Commit {
            grant,
            amount_ore,
            on,
            decision,
        } => {
            crate::finance::post(
                tx,
                case,
                grant,
                crate::finance::Posting {
                    kind: husly_domain::finance::EntryKind::Committed,
                    amount_ore,
                    on,
                    decision: Some(decision),
                    note: "",
                },
                who,
            )
            .await
        }
    }
}
