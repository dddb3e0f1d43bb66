//! Reminders as kept: raised once per thing and day by the nightly job, marked done and open
//! again by those they are for. Whom a reminder is for and whether it still matters are read
//! from the contract, plan or case it is about, in the one query that lists them (see
//! `docs/architecture.md`, "Reminders"); the rules of when one is due are the domain's.

use husly_domain::reminder::{Candidate, ReminderKind, ReminderState};
use husly_domain::{HouseholdId, MunicipalityId, UserId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

/// What a reminder is about: the contract (tenancy), plan or case, and its household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: String,
    pub household: HouseholdId,
}

/// The bounds of what the job reads; the domain's `reminder::due` then decides.
#[derive(Debug, Clone, Copy)]
pub struct CandidateBounds {
    /// Contracts whose term ended before this day.
    pub term_ended_before: Date,
    /// Plans whose review day falls in this range, both ends included.
    pub review_between: (Date, Date),
    /// Approvals whose reminder day is at most, and validity at least, this day.
    pub approvals_on: Date,
}

/// Who is reading: the user, and whether they hold the role a kind is addressed to (the caller
/// says, from the domain's `ReminderKind::addressed_to`).
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub user: UserId,
    /// Holds the role contract reminders are for (the housing manager).
    pub housing_manager: bool,
    /// Holds the role an unassigned case's approval reminders are for (the caseworker).
    pub caseworker: bool,
}

/// A reminder as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: String,
    pub kind: ReminderKind,
    /// The contract (tenancy), follow-up plan or case it is about.
    pub subject: String,
    pub household: HouseholdId,
    pub due_on: Date,
    pub raised_on: Date,
    pub state: ReminderState,
    /// Who marked it done, and when (microseconds since the epoch).
    pub done_by_name: Option<String>,
    pub done_at: Option<i64>,
    pub version: i64,
}

const NOT_RAISED: &str = "NOT EXISTS (SELECT 1 FROM reminder r WHERE r.municipality_id = $1 \
     AND r.kind = $2 AND r.subject_id = s.id AND r.due_on = {due})";

/// The reminders `reader` may see that still matter: the contract not ended with its term still
/// ending on the day; the plan active with that review day and `reader` its responsible worker;
/// the case on the waiting list with that validity and `reader` its caseworker, or any
/// caseworker while it has none (`husly_domain::reminder::ReminderKind::addressed_to`).
/// Binds: $1 municipality, $2 user, $3 housing manager (0/1), $4 caseworker (0/1).
const FOR_READER: &str = "r.municipality_id = $1 AND ( \
     (r.kind = 'contract_past_term' AND $3 = 1 AND EXISTS (SELECT 1 FROM tenancy t \
        WHERE t.id = r.subject_id AND t.municipality_id = r.municipality_id AND t.ended_on IS NULL \
        AND t.term_end = r.due_on)) \
     OR (r.kind = 'plan_review' AND EXISTS (SELECT 1 FROM follow_up_plan f \
        WHERE f.id = r.subject_id AND f.municipality_id = r.municipality_id AND f.state = 'active' \
        AND f.review_on = r.due_on AND f.responsible_user_id = $2)) \
     OR (r.kind = 'approval_renewal' AND EXISTS (SELECT 1 FROM application_case c \
        WHERE c.id = r.subject_id AND c.municipality_id = r.municipality_id AND c.state = 'on_waiting_list' \
        AND c.valid_until = r.due_on AND (c.assigned_to = $2 OR (c.assigned_to IS NULL AND $4 = 1)))))";

fn reminder(row: &sqlx::any::AnyRow) -> StoreResult<Reminder> {
    let kind: String = row.try_get("kind")?;
    let done_at: Option<i64> = row.try_get("done_at")?;
    Ok(Reminder {
        id: row.try_get("id")?,
        kind: ReminderKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("reminder kind {kind}")))?,
        subject: row.try_get("subject_id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        due_on: parse_date_text(&row.try_get::<String, _>("due_on")?)?,
        raised_on: parse_date_text(&row.try_get::<String, _>("raised_on")?)?,
        state: if done_at.is_some() {
            ReminderState::Done
        } else {
            ReminderState::Open
        },
        done_by_name: row.try_get("done_by_name")?,
        done_at,
        version: row.try_get("version")?,
    })
}

impl Store {
    /// What may call for a reminder in the municipality and has none for its day yet: open
    /// fixed-term contracts past their term (from the term-end index), active plans with a review
    /// day in range, and approvals on the waiting list whose reminder day has come.
    pub async fn reminder_candidates(
        &self,
        municipality: MunicipalityId,
        bounds: CandidateBounds,
    ) -> StoreResult<Vec<Candidate<Subject>>> {
        let reads: [(ReminderKind, String, Vec<String>); 3] = [
            (
                ReminderKind::ContractPastTerm,
                format!(
                    "SELECT s.id, s.household_id, s.term_end AS due_on, NULL AS remind_on FROM tenancy s \
                     WHERE s.municipality_id = $1 AND s.ended_on IS NULL AND s.term_end IS NOT NULL \
                     AND s.term_end < $3 AND {}",
                    NOT_RAISED.replace("{due}", "s.term_end")
                ),
                vec![date_text(bounds.term_ended_before)],
            ),
            (
                ReminderKind::PlanReview,
                format!(
                    "SELECT s.id, s.household_id, s.review_on AS due_on, NULL AS remind_on FROM follow_up_plan s \
                     WHERE s.municipality_id = $1 AND s.state = 'active' AND s.review_on >= $3 \
                     AND s.review_on <= $4 AND {}",
                    NOT_RAISED.replace("{due}", "s.review_on")
                ),
                vec![date_text(bounds.review_between.0), date_text(bounds.review_between.1)],
            ),
            (
                ReminderKind::ApprovalRenewal,
                format!(
                    "SELECT s.id, s.household_id, s.valid_until AS due_on, s.renewal_reminder_on AS remind_on \
                     FROM application_case s WHERE s.municipality_id = $1 AND s.state = 'on_waiting_list' \
                     AND s.renewal_reminder_on IS NOT NULL AND s.renewal_reminder_on <= $3 \
                     AND s.valid_until >= $3 AND {}",
                    NOT_RAISED.replace("{due}", "s.valid_until")
                ),
                vec![date_text(bounds.approvals_on)],
            ),
        ];
        let mut found = Vec::new();
        for (kind, sql, binds) in reads {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(municipality.to_string())
                .bind(kind.code());
            for b in binds {
                query = query.bind(b);
            }
            for row in query.fetch_all(&mut *self.conn().await?).await? {
                let remind_on: Option<String> = row.try_get("remind_on")?;
                found.push(Candidate {
                    kind,
                    subject: Subject {
                        id: row.try_get("id")?,
                        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    },
                    due_on: parse_date_text(&row.try_get::<String, _>("due_on")?)?,
                    remind_on: remind_on.as_deref().map(parse_date_text).transpose()?,
                });
            }
        }
        Ok(found)
    }

    /// Raises these reminders in one transaction, each once (one raised before for the same
    /// thing and day is left as it is), with one audit entry naming how many; returns how many
    /// were new.
    pub async fn raise_reminders(
        &self,
        municipality: MunicipalityId,
        due: &[Candidate<Subject>],
        raised_on: Date,
        change: &Change<'_>,
    ) -> StoreResult<usize> {
        if due.is_empty() {
            return Ok(0);
        }
        let mut tx = self.write().await?;
        let mut raised = 0;
        for c in due {
            let inserted = sqlx::query(
                "INSERT INTO reminder (id, municipality_id, kind, subject_id, household_id, due_on, raised_on, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1) \
                 ON CONFLICT (municipality_id, kind, subject_id, due_on) DO NOTHING",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(municipality.to_string())
            .bind(c.kind.code())
            .bind(&c.subject.id)
            .bind(c.subject.household.to_string())
            .bind(date_text(c.due_on))
            .bind(date_text(raised_on))
            .execute(tx.conn())
            .await?;
            raised += inserted.rows_affected() as usize;
        }
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "reminders.raise",
                resource_kind: "municipality",
                resource_id: municipality.to_string(),
                details: json!({ "raised": raised }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(raised)
    }

    /// The reminders `reader` may see that still matter: the open ones, then those done since
    /// `done_since` (microseconds); each group by day; at most `limit`.
    pub async fn reminders_for(
        &self,
        municipality: MunicipalityId,
        reader: Reader,
        done_since: i64,
        limit: i64,
    ) -> StoreResult<Vec<Reminder>> {
        let sql = format!(
            "SELECT r.id, r.kind, r.subject_id, r.household_id, r.due_on, r.raised_on, r.done_at, r.version, \
             u.display_name AS done_by_name FROM reminder r LEFT JOIN app_user u ON u.id = r.done_by \
             WHERE {FOR_READER} AND (r.done_at IS NULL OR r.done_at >= $5) \
             ORDER BY CASE WHEN r.done_at IS NULL THEN 0 ELSE 1 END, r.due_on, r.id {}",
            crate::limit(limit)
        );
        let rows = reader_query(&sql, municipality, reader)
            .bind(done_since)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(reminder).collect()
    }

    /// How many reminders for `reader` are open and still matter.
    pub async fn open_reminder_count(&self, municipality: MunicipalityId, reader: Reader) -> StoreResult<i64> {
        let sql = format!("SELECT COUNT(*) AS n FROM reminder r WHERE {FOR_READER} AND r.done_at IS NULL");
        let row = reader_query(&sql, municipality, reader)
            .fetch_one(&mut *self.conn().await?)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// One reminder for `reader`, if it is theirs and still matters.
    pub async fn reminder_for(&self, municipality: MunicipalityId, reader: Reader, id: &str) -> StoreResult<Reminder> {
        let sql = format!(
            "SELECT r.id, r.kind, r.subject_id, r.household_id, r.due_on, r.raised_on, r.done_at, r.version, \
             u.display_name AS done_by_name FROM reminder r LEFT JOIN app_user u ON u.id = r.done_by \
             WHERE {FOR_READER} AND r.id = $5"
        );
        let row = reader_query(&sql, municipality, reader)
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(reminder).transpose()?.ok_or(StoreError::NotFound)
    }

    /// Marks the reminder done or open again, from `version`; a change meanwhile is a conflict.
    pub async fn mark_reminder(
        &self,
        municipality: MunicipalityId,
        kept: &Reminder,
        to: ReminderState,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = to == ReminderState::Done;
        let updated = sqlx::query(
            "UPDATE reminder SET done_by = $1, done_at = $2, version = version + 1 \
             WHERE municipality_id = $3 AND id = $4 AND version = $5",
        )
        .bind(if done { change.user.map(|u| u.to_string()) } else { None })
        .bind(done.then(crate::now_micros))
        .bind(municipality.to_string())
        .bind(&kept.id)
        .bind(kept.version)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { expected: kept.version });
        }
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "reminders.mark",
                resource_kind: "household",
                resource_id: kept.household.to_string(),
                details: json!({ "reminder": kept.id, "kind": kept.kind.code(), "state": to.code() }),
            },
        )
        .await?;
        tx.commit().await
    }
}

fn reader_query(
    sql: &str,
    municipality: MunicipalityId,
    reader: Reader,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(municipality.to_string())
        .bind(reader.user.to_string())
        .bind(i64::from(reader.housing_manager))
        .bind(i64::from(reader.caseworker))
}
