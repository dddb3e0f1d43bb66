//! Renewal reviews (schema 23): which contracts are due for review, opening a review case for a
//! contract's present period (once, however often the job runs), what a sent renewal decision
//! does to the contract, and which contract a review is about. When a review is due and how long
//! a new term runs are `husly_domain::cases::renewal`'s; this module only keeps.

use husly_domain::cases::{ApplicationForm, CaseType, TenancyEffect};
use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::cases::{Case, register_application_in};
use crate::contracts::record;
use crate::db::{Tx, for_update};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, opt_date, parse_date_text};

/// An open fixed-term contract whose present period has no review yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueForReview {
    pub tenancy_id: String,
    /// The present (last) period.
    pub seq: i64,
    pub household: HouseholdId,
    pub term_end: Date,
    /// The application the contract came from: the review starts from its form.
    pub source_case: Option<CaseId>,
}

/// The contract a renewal review is about, as the case page and the letter show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedContract {
    pub tenancy_id: String,
    pub seq: i64,
    /// The dwelling's address, empty when the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub start: Date,
    /// The last day of the period under review.
    pub period_end: Option<Date>,
    /// The contract's term end now (later than `period_end` once renewed).
    pub term_end: Option<Date>,
    pub notice_11_1_on: Option<Date>,
    pub monthly_rent_ore: i64,
    pub ended_on: Option<Date>,
}

impl Store {
    /// Open fixed-term contracts of `municipality` whose term ends on or before `due_by` and
    /// whose present period has no review, soonest first, at most `limit`.
    pub async fn contracts_due_for_review(
        &self,
        municipality: MunicipalityId,
        due_by: Date,
        limit: i64,
    ) -> StoreResult<Vec<DueForReview>> {
        let rows = sqlx::query(
            "SELECT t.id, p.seq, t.household_id, t.term_end, t.case_id FROM tenancy t \
             JOIN tenancy_period p ON p.tenancy_id = t.id \
              AND p.seq = (SELECT MAX(q.seq) FROM tenancy_period q WHERE q.tenancy_id = t.id) \
             WHERE t.municipality_id = $1 AND t.ended_on IS NULL AND t.term = 'fixed' AND t.term_end <= $2 \
              AND p.review_case_id IS NULL \
             ORDER BY t.term_end, t.id LIMIT $3",
        )
        .bind(municipality.to_string())
        .bind(date_text(due_by))
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DueForReview {
                    tenancy_id: row.try_get("id")?,
                    seq: row.try_get("seq")?,
                    household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    term_end: parse_date_text(&row.try_get::<String, _>("term_end")?)?,
                    source_case: row
                        .try_get::<Option<String>, _>("case_id")?
                        .map(|id| parse_id(&id).map(CaseId))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Opens the review of `due`'s period as a `tenancy_renewal` case received `today`, its
    /// decision due by `decide_by`, starting from the form of the application the contract came
    /// from. `None` when the period has a review already or the contract has ended since it was
    /// listed (another server, or a housing manager, was first).
    pub async fn open_renewal_review(
        &self,
        municipality: MunicipalityId,
        due: &DueForReview,
        today: Date,
        decide_by: Date,
        change: &Change<'_>,
    ) -> StoreResult<Option<(CaseId, String)>> {
        let mut tx = self.write().await?;
        let sql = format!(
            "SELECT p.review_case_id, t.ended_on FROM tenancy_period p JOIN tenancy t ON t.id = p.tenancy_id \
             WHERE p.municipality_id = $1 AND p.tenancy_id = $2 AND p.seq = $3{}",
            for_update(tx.backend()).replace("FOR UPDATE", "FOR UPDATE OF p")
        );
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(&due.tenancy_id)
            .bind(due.seq)
            .fetch_optional(tx.conn())
            .await?
        else {
            return Ok(None);
        };
        if row.try_get::<Option<String>, _>("review_case_id")?.is_some()
            || row.try_get::<Option<String>, _>("ended_on")?.is_some()
        {
            return Ok(None);
        }
        // The review starts from what the household last told us: the application the contract
        // came from, else its newest application for a municipal dwelling.
        let form: Option<String> = match due.source_case {
            Some(case) => {
                sqlx::query_scalar("SELECT form FROM application_case WHERE municipality_id = $1 AND id = $2")
                    .bind(municipality.to_string())
                    .bind(case.to_string())
                    .fetch_optional(tx.conn())
                    .await?
            }
            None => {
                sqlx::query_scalar(
                    "SELECT form FROM application_case WHERE municipality_id = $1 AND household_id = $2 \
                     AND case_type = 'municipal_housing' ORDER BY received_on DESC, id DESC LIMIT 1",
                )
                .bind(municipality.to_string())
                .bind(due.household.to_string())
                .fetch_optional(tx.conn())
                .await?
            }
        };
        let form = form
            .map(|text| serde_json::from_str::<ApplicationForm>(&text))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("application form: {e}")))?
            .unwrap_or_default();
        let (case, reference) = register_application_in(
            &mut tx,
            municipality,
            due.household,
            CaseType::TenancyRenewal,
            &form,
            today,
            change,
        )
        .await?;
        // The review's deadline, and the queue's order that follows from it.
        let mut opened = crate::cases::read_case(tx.conn(), municipality, case).await?;
        opened.decide_by = Some(decide_by);
        let next_due = opened.computed_next_due();
        sqlx::query(
            "UPDATE application_case SET decide_by = $1, next_due = $2, due_order = $3 \
             WHERE municipality_id = $4 AND id = $5",
        )
        .bind(date_text(decide_by))
        .bind(next_due.map(date_text))
        .bind(crate::cases::due_order(next_due))
        .bind(municipality.to_string())
        .bind(case.to_string())
        .execute(tx.conn())
        .await?;
        let claimed = sqlx::query(
            "UPDATE tenancy_period SET review_case_id = $1 \
             WHERE municipality_id = $2 AND tenancy_id = $3 AND seq = $4 AND review_case_id IS NULL",
        )
        .bind(case.to_string())
        .bind(municipality.to_string())
        .bind(&due.tenancy_id)
        .bind(due.seq)
        .execute(tx.conn())
        .await?;
        if claimed.rows_affected() != 1 {
            // Only reachable on SQLite's deferred reads: the transaction is dropped, nothing kept.
            return Ok(None);
        }
        let details = json!({ "case": case.to_string(), "reference": reference, "period": due.seq,
            "term_end": date_text(due.term_end), "decide_by": date_text(decide_by) });
        record(&mut tx, municipality, &due.tenancy_id, "review_opened", details, change).await?;
        tx.commit().await?;
        Ok(Some((case, reference)))
    }

    /// The contract a renewal review case is about.
    pub async fn reviewed_contract(
        &self,
        municipality: MunicipalityId,
        case: CaseId,
    ) -> StoreResult<Option<ReviewedContract>> {
        let row = sqlx::query(concat!(
            "SELECT t.id, p.seq, d.address_line, ",
            crate::protection::protected_sql!("t.municipality_id", "t.household_id"),
            ", t.from_date, p.to_date AS period_end, t.term_end, t.notice_11_1_on, \
             t.monthly_rent_ore, t.ended_on FROM tenancy_period p JOIN tenancy t ON t.id = p.tenancy_id \
             JOIN dwelling d ON d.id = t.dwelling_id WHERE p.municipality_id = $1 AND p.review_case_id = $2"
        ))
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|row| {
            let mut address_line: String = row.try_get("address_line")?;
            let address_protected = crate::protection::masked(&row, &mut [&mut address_line])?;
            Ok(ReviewedContract {
                tenancy_id: row.try_get("id")?,
                seq: row.try_get("seq")?,
                address_line,
                address_protected,
                start: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
                period_end: opt_date(&row, "period_end")?,
                term_end: opt_date(&row, "term_end")?,
                notice_11_1_on: opt_date(&row, "notice_11_1_on")?,
                monthly_rent_ore: row.try_get("monthly_rent_ore")?,
                ended_on: opt_date(&row, "ended_on")?,
            })
        })
        .transpose()
    }
}

/// What a sent renewal decision does, in the decision's transaction: a renewal adds the next
/// period (or, when a decision on appeal replaces one that had renewed, moves its end) and moves
/// the contract's term end; no renewal is recorded on the contract's history, which runs to its
/// term end.
pub(crate) async fn apply(tx: &mut Tx, case: &Case, effect: TenancyEffect, who: &Change<'_>) -> StoreResult<()> {
    let municipality = case.municipality_id;
    let sql = format!(
        "SELECT t.id, p.seq, p.to_date, t.ended_on, t.monthly_rent_ore FROM tenancy_period p \
         JOIN tenancy t ON t.id = p.tenancy_id WHERE p.municipality_id = $1 AND p.review_case_id = $2{}",
        for_update(tx.backend()).replace("FOR UPDATE", "FOR UPDATE OF t")
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(case.id.to_string())
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| StoreError::Invalid("the review has no contract".into()))?;
    let tenancy: String = row.try_get("id")?;
    let seq: i64 = row.try_get("seq")?;
    if row.try_get::<Option<String>, _>("ended_on")?.is_some() {
        return Err(StoreError::Invalid("the contract has ended".into()));
    }
    let period_end = opt_date(&row, "to_date")?.ok_or_else(|| StoreError::Invalid("the period has no end".into()))?;
    match effect {
        TenancyEffect::Renew { until } => {
            let from = period_end.next_day().unwrap_or(period_end);
            let replaced = sqlx::query(
                "UPDATE tenancy_period SET to_date = $1 WHERE municipality_id = $2 AND tenancy_id = $3 AND seq = $4",
            )
            .bind(date_text(until))
            .bind(municipality.to_string())
            .bind(&tenancy)
            .bind(seq + 1)
            .execute(tx.conn())
            .await?;
            if replaced.rows_affected() == 0 {
                sqlx::query(
                    "INSERT INTO tenancy_period (tenancy_id, seq, municipality_id, from_date, to_date, monthly_rent_ore, \
                     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&tenancy)
                .bind(seq + 1)
                .bind(municipality.to_string())
                .bind(date_text(from))
                .bind(date_text(until))
                .bind(row.try_get::<i64, _>("monthly_rent_ore")?)
                .bind(who.user.map(|u| u.to_string()))
                .bind(crate::now_micros())
                .execute(tx.conn())
                .await?;
            }
            set_term_end(tx, municipality, &tenancy, until).await?;
            let details = json!({ "case": case.id.to_string(), "reference": case.reference,
                "from": date_text(from), "until": date_text(until) });
            record(tx, municipality, &tenancy, "renewed", details, who).await
        }
        TenancyEffect::NotRenewed => {
            // A decision on appeal that replaces a renewal takes the added period back.
            sqlx::query("DELETE FROM tenancy_period WHERE municipality_id = $1 AND tenancy_id = $2 AND seq = $3")
                .bind(municipality.to_string())
                .bind(&tenancy)
                .bind(seq + 1)
                .execute(tx.conn())
                .await?;
            set_term_end(tx, municipality, &tenancy, period_end).await?;
            let details = json!({ "case": case.id.to_string(), "reference": case.reference,
                "term_end": date_text(period_end) });
            record(tx, municipality, &tenancy, "not_renewed", details, who).await
        }
    }
}

/// Moves the contract's term end (and `to_date`, the end every older reader knows) to `term_end`.
async fn set_term_end(tx: &mut Tx, municipality: MunicipalityId, tenancy: &str, term_end: Date) -> StoreResult<()> {
    sqlx::query(
        "UPDATE tenancy SET term_end = $1, to_date = $1, version = version + 1, updated_at = $2 \
         WHERE municipality_id = $3 AND id = $4",
    )
    .bind(date_text(term_end))
    .bind(crate::now_micros())
    .bind(municipality.to_string())
    .bind(tenancy)
    .execute(tx.conn())
    .await?;
    Ok(())
}
