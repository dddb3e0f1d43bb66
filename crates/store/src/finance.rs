//! Startlån and grant cases: the case's economy, the grant ledger (commitments, payments,
//! releases) and the municipality's yearly grant budget. The ledger is append-only; the budget
//! position is summed from it by [`husly_domain::finance::position`], or, for one grant on a
//! case's page, from the totals triggers keep beside it (`grant_ledger_total`).

use husly_domain::finance::{self, CaseFinance, Entry, EntryKind, GrantType, Position};
use husly_domain::{CaseId, DecisionId, MunicipalityId};
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::cases::Case;
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::{Store, date_text, parse_date_text};

/// One entry to book on a case's grant.
pub(crate) struct Posting<'a> {
    pub kind: EntryKind,
    pub amount_ore: i64,
    pub on: Date,
    pub decision: Option<DecisionId>,
    pub note: &'a str,
}

/// A ledger row as shown on the case and the budget page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub id: String,
    pub year: i32,
    pub grant_type: GrantType,
    pub case_id: CaseId,
    pub case_reference: String,
    pub kind: EntryKind,
    pub amount_ore: i64,
    pub occurred_on: Date,
    pub note: String,
}

/// One grant's line in a year's budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub grant_type: GrantType,
    pub position: Position,
    /// The allocation's note (e.g. the budget decision it comes from).
    pub note: String,
    /// Cases with a commitment this year.
    pub cases: i64,
}

/// Startlån granted in a year: decisions sent with a granted outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StartlanYear {
    pub loans: i64,
    pub amount_ore: i64,
}

fn grant_of(code: &str) -> StoreResult<GrantType> {
    GrantType::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("unknown grant type `{code}`")))
}

fn kind_of(code: &str) -> StoreResult<EntryKind> {
    EntryKind::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("unknown ledger entry `{code}`")))
}

/// The entries of one case (inside a write transaction, so the check sees committed state).
async fn case_entries(tx: &mut Tx, case: &Case) -> StoreResult<Vec<(i32, Entry)>> {
    let rows =
        sqlx::query("SELECT year, kind, amount_ore FROM grant_ledger WHERE municipality_id = $1 AND case_id = $2")
            .bind(case.municipality_id.to_string())
            .bind(case.id.to_string())
            .fetch_all(tx.conn())
            .await?;
    rows.iter()
        .map(|row| {
            let year: i64 = row.try_get("year")?;
            Ok((
                i32::try_from(year).map_err(|_| StoreError::Corrupt("ledger year".into()))?,
                Entry {
                    kind: kind_of(&row.try_get::<String, _>("kind")?)?,
                    amount_ore: row.try_get("amount_ore")?,
                },
            ))
        })
        .collect()
}

/// The budget year a case's entries belong to: the year of its latest commitment.
fn commitment_year(entries: &[(i32, Entry)], fallback: Date) -> i32 {
    entries
        .iter()
        .rev()
        .find(|(_, e)| e.kind == EntryKind::Committed)
        .map_or(fallback.year(), |(year, _)| *year)
}

/// Books one entry (with an event and an audit entry, in the caller's transaction).
pub(crate) async fn post(
    tx: &mut Tx,
    case: &Case,
    grant: GrantType,
    posting: Posting<'_>,
    change: &Change<'_>,
) -> StoreResult<()> {
    let entries = case_entries(tx, case).await?;
    let year = match posting.kind {
        EntryKind::Committed => posting.on.year(),
        EntryKind::Paid | EntryKind::Released => commitment_year(&entries, posting.on),
    };
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO grant_ledger (id, municipality_id, year, grant_type, case_id, decision_id, kind, amount_ore, \
         occurred_on, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(case.municipality_id.to_string())
    .bind(i64::from(year))
    .bind(grant.code())
    .bind(case.id.to_string())
    .bind(posting.decision.map(|d| d.to_string()))
    .bind(posting.kind.code())
    .bind(posting.amount_ore)
    .bind(date_text(posting.on))
    .bind(posting.note)
    .bind(change.user.map(|u| u.to_string()))
    .bind(crate::now_micros())
    .execute(tx.conn())
    .await?;
    audit::append(
        tx,
        change.actor,
        Event {
            municipality: Some(case.municipality_id),
            action: "grant_ledger.post",
            resource_kind: "case",
            resource_id: case.id.to_string(),
            details: serde_json::json!({ "entry": id, "kind": posting.kind.code(), "amount_ore": posting.amount_ore,
                "year": year, "grant": grant.code() }),
        },
    )
    .await
}

/// Releases what the case has committed and not paid, if anything.
pub(crate) async fn release_outstanding(
    tx: &mut Tx,
    case: &Case,
    grant: GrantType,
    on: Date,
    note: &str,
    change: &Change<'_>,
) -> StoreResult<()> {
    let entries = case_entries(tx, case).await?;
    let rest = finance::outstanding(entries.iter().map(|(_, e)| *e));
    if rest > 0 {
        post(
            tx,
            case,
            grant,
            Posting {
                kind: EntryKind::Released,
                amount_ore: rest,
                on,
                decision: None,
                note,
            },
            change,
        )
        .await?;
    }
    Ok(())
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for LedgerRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<LedgerRow> {
        let year: i64 = row.try_get("year")?;
        Ok(LedgerRow {
            id: row.try_get("id")?,
            year: i32::try_from(year).map_err(|_| StoreError::Corrupt("ledger year".into()))?,
            grant_type: grant_of(&row.try_get::<String, _>("grant_type")?)?,
            case_id: CaseId(crate::municipalities::parse_id(&row.try_get::<String, _>("case_id")?)?),
            case_reference: row.try_get("reference")?,
            kind: kind_of(&row.try_get::<String, _>("kind")?)?,
            amount_ore: row.try_get("amount_ore")?,
            occurred_on: parse_date_text(&row.try_get::<String, _>("occurred_on")?)?,
            note: row.try_get("note")?,
        })
    }
}

const LEDGER_SELECT: &str = "SELECT l.id, l.year, l.grant_type, l.case_id, c.reference, l.kind, l.amount_ore, \
     l.occurred_on, l.note FROM grant_ledger l JOIN application_case c ON c.id = l.case_id";

impl Store {
    /// Registers an establishment-grant application for a startlån case's household, with its
    /// economy filled in from the loan (what the serviceable loan leaves uncovered), in one
    /// transaction. Returns the new case's id and reference.
    pub async fn register_combined_grant(
        &self,
        municipality: MunicipalityId,
        startlan_case: CaseId,
        grant: &CaseFinance,
        received_on: Date,
        change: &Change<'_>,
    ) -> StoreResult<(CaseId, String)> {
        let mut tx = self.write().await?;
        let loan = crate::cases::read_case_in(&mut tx, municipality, startlan_case).await?;
        let (id, reference) = crate::cases::register_application_in(
            &mut tx,
            municipality,
            loan.household_id,
            husly_domain::cases::CaseType::EstablishmentGrant,
            &loan.form,
            received_on,
            change,
        )
        .await?;
        let mut case = crate::cases::read_case_in(&mut tx, municipality, id).await?;
        case.finance = Some(grant.clone());
        crate::cases::save_case(&mut tx, &case).await?;
        crate::cases::case_event(
            &mut tx,
            &case,
            "case.finance_saved",
            change,
            serde_json::json!({ "applied_ore": grant.applied_ore(), "startlan_case": loan.reference }),
        )
        .await?;
        tx.commit().await?;
        Ok((id, reference))
    }

    /// A case's ledger entries, oldest first.
    pub async fn case_ledger(&self, municipality: MunicipalityId, id: CaseId) -> StoreResult<Vec<LedgerRow>> {
        let sql =
            format!("{LEDGER_SELECT} WHERE l.municipality_id = $1 AND l.case_id = $2 ORDER BY l.created_at, l.id");
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(id.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        Ok(rows)
    }

    /// A year's ledger entries, newest first (at most `limit`).
    pub async fn year_ledger(
        &self,
        municipality: MunicipalityId,
        year: i32,
        limit: i64,
    ) -> StoreResult<Vec<LedgerRow>> {
        let sql = format!(
            "{LEDGER_SELECT} WHERE l.municipality_id = $1 AND l.year = $2 ORDER BY l.created_at DESC, l.id DESC {}",
            crate::limit(limit)
        );
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(i64::from(year))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        Ok(rows)
    }

    /// The year's budget per grant: allocation and the ledger summed.
    pub async fn grant_budget(&self, municipality: MunicipalityId, year: i32) -> StoreResult<Vec<BudgetLine>> {
        let allocations = sqlx::query(
            "SELECT grant_type, allocated_ore, note FROM grant_budget WHERE municipality_id = $1 AND year = $2",
        )
        .bind(municipality.to_string())
        .bind(i64::from(year))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let sums = sqlx::query(
            "SELECT grant_type, kind, CAST(SUM(amount_ore) AS BIGINT) AS total, COUNT(DISTINCT case_id) AS cases FROM grant_ledger \
             WHERE municipality_id = $1 AND year = $2 GROUP BY grant_type, kind",
        )
        .bind(municipality.to_string())
        .bind(i64::from(year))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut lines = Vec::new();
        for grant in GrantType::ALL {
            let mut allocated = 0;
            let mut note = String::new();
            for row in &allocations {
                if grant_of(&row.try_get::<String, _>("grant_type")?)? == grant {
                    allocated = row.try_get("allocated_ore")?;
                    note = row.try_get("note")?;
                }
            }
            let mut entries = Vec::new();
            let mut cases = 0;
            for row in &sums {
                if grant_of(&row.try_get::<String, _>("grant_type")?)? != grant {
                    continue;
                }
                let kind = kind_of(&row.try_get::<String, _>("kind")?)?;
                entries.push(Entry {
                    kind,
                    amount_ore: row.try_get("total")?,
                });
                if kind == EntryKind::Committed {
                    cases = row.try_get("cases")?;
                }
            }
            lines.push(BudgetLine {
                grant_type: grant,
                position: finance::position(allocated, entries),
                note,
                cases,
            });
        }
        Ok(lines)
    }

    /// What is left of the year's budget for one grant: its allocation against the ledger's
    /// totals, which triggers keep as entries are written (schema 44). A few rows however long
    /// the year's ledger is: a grant case's page shows it on every view. The same position as
    /// the grant's line of [`Store::grant_budget`], which sums the ledger itself.
    pub async fn grant_year_position(
        &self,
        municipality: MunicipalityId,
        year: i32,
        grant: GrantType,
    ) -> StoreResult<Position> {
        let rows = sqlx::query(
            "SELECT 'allocated' AS kind, allocated_ore AS amount_ore FROM grant_budget \
             WHERE municipality_id = $1 AND year = $2 AND grant_type = $3 \
             UNION ALL SELECT kind, total_ore FROM grant_ledger_total \
             WHERE municipality_id = $1 AND year = $2 AND grant_type = $3",
        )
        .bind(municipality.to_string())
        .bind(i64::from(year))
        .bind(grant.code())
        .fetch_all(&mut self.key_read().await?)
        .await?;
        let mut allocated = 0;
        let mut entries = Vec::new();
        for row in &rows {
            let kind: String = row.try_get("kind")?;
            let amount_ore: i64 = row.try_get("amount_ore")?;
            match kind.as_str() {
                "allocated" => allocated = amount_ore,
                code => entries.push(Entry {
                    kind: kind_of(code)?,
                    amount_ore,
                }),
            }
        }
        Ok(finance::position(allocated, entries))
    }

    /// Sets the year's allocation for a grant (replacing an earlier one), with an audit entry.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_grant_allocation(
        &self,
        municipality: MunicipalityId,
        year: i32,
        grant: GrantType,
        allocated_ore: i64,
        note: &str,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        if allocated_ore < 0 {
            return Err(StoreError::Invalid("the allocation cannot be negative".into()));
        }
        let mut tx = self.write().await?;
        let updated = sqlx::query(
            "UPDATE grant_budget SET allocated_ore = $1, note = $2, updated_by = $3, updated_at = $4 \
             WHERE municipality_id = $5 AND year = $6 AND grant_type = $7",
        )
        .bind(allocated_ore)
        .bind(note)
        .bind(change.user.map(|u| u.to_string()))
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(i64::from(year))
        .bind(grant.code())
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO grant_budget (municipality_id, year, grant_type, allocated_ore, note, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(municipality.to_string())
            .bind(i64::from(year))
            .bind(grant.code())
            .bind(allocated_ore)
            .bind(note)
            .bind(change.user.map(|u| u.to_string()))
            .bind(crate::now_micros())
            .execute(tx.conn())
            .await?;
        }
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "grant_budget.set",
                resource_kind: "grant_budget",
                resource_id: format!("{year}/{}", grant.code()),
                details: serde_json::json!({ "allocated_ore": allocated_ore, "note": note }),
            },
        )
        .await?;
        tx.commit().await
    }

    /// Startlån granted in a year (decisions sent that year).
    pub async fn startlan_year(&self, municipality: MunicipalityId, year: i32) -> StoreResult<StartlanYear> {
        let from = crate::micros_of(
            Date::from_calendar_date(year, time::Month::January, 1)
                .map_err(|e| StoreError::Invalid(e.to_string()))?
                .midnight()
                .assume_utc(),
        );
        let to = crate::micros_of(
            Date::from_calendar_date(year + 1, time::Month::January, 1)
                .map_err(|e| StoreError::Invalid(e.to_string()))?
                .midnight()
                .assume_utc(),
        );
        let row = sqlx::query(
            "SELECT COUNT(*) AS loans, CAST(COALESCE(SUM(d.amount_ore), 0) AS BIGINT) AS amount FROM case_decision d \
             JOIN application_case c ON c.id = d.case_id \
             WHERE d.municipality_id = $1 AND c.case_type = 'startlan' AND d.status = 'sent' AND d.outcome IN ('granted', 'partly_granted') \
             AND d.sent_at >= $2 AND d.sent_at < $3",
        )
        .bind(municipality.to_string())
        .bind(from)
        .bind(to)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok(StartlanYear {
            loans: row.try_get("loans")?,
            amount_ore: row.try_get("amount")?,
        })
    }
}
