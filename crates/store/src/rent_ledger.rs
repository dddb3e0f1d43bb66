//! The rent ledger (schema 24): one row per tenancy and month with what fell due and what was
//! paid, as the municipality's accounting system last said, and the imports that brought them.
//! An import is written whole or not at all; its rows were checked by
//! `husly_domain::tenancy::ledger` and the arrears are the domain's to compute: this module only
//! keeps and reads.

use std::collections::{HashMap, HashSet};

use husly_domain::rules::YearMonth;
use husly_domain::tenancy::arrears::LedgerMonth;
use husly_domain::tenancy::ledger::{KnownTenancy, LedgerRow, LedgerSummary};
use husly_domain::{HouseholdId, MunicipalityId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::error::{StoreError, StoreResult};
use crate::follow_up::Households;
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, opt_date, parse_date_text};

/// Rows per multi-row statement: few round trips, well under both backends' limits on bound
/// parameters.
const BATCH_ROWS: usize = 200;

/// An import as it is about to be written.
#[derive(Debug, Clone, Copy)]
pub struct NewLedgerImport<'a> {
    pub file_name: &'a str,
    /// `page`, `api` or `cli`.
    pub via: &'a str,
    pub summary: LedgerSummary,
}

/// What an import changed: months new to the ledger, months whose figures changed, months that
/// were already as in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImported {
    pub id: String,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// An import as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImportRecord {
    pub id: String,
    pub file_name: String,
    pub rows: i64,
    pub months: i64,
    pub tenancies: i64,
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub via: String,
    pub imported_by: Option<String>,
    pub imported_at: i64,
}

/// A tenancy with arrears on the ledger (due more than paid over its months), with its months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancyInArrears {
    pub tenancy_id: String,
    pub reference: String,
    pub household: HouseholdId,
    pub tenant_name: String,
    /// The dwelling's address, empty when the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub monthly_rent_ore: i64,
    pub ended_on: Option<Date>,
    pub months: Vec<LedgerMonth>,
}

/// An open contract's ledger with arrears, for the follow-up caseload's signal (no names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLedgerInArrears {
    pub household: HouseholdId,
    pub monthly_rent_ore: i64,
    pub months: Vec<LedgerMonth>,
}

fn month_of(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<YearMonth> {
    Ok(YearMonth::of(parse_date_text(&row.try_get::<String, _>(column)?)?))
}

fn ledger_month(row: &sqlx::any::AnyRow) -> StoreResult<LedgerMonth> {
    Ok(LedgerMonth {
        period: month_of(row, "period")?,
        due_ore: row.try_get("due_ore")?,
        paid_ore: row.try_get("paid_ore")?,
    })
}

fn period_text(month: YearMonth) -> String {
    date_text(month.first_day())
}

impl Store {
    /// The municipality's tenancies as a ledger names them: id, reference and first day.
    pub async fn ledger_tenancies(&self, municipality: MunicipalityId) -> StoreResult<Vec<KnownTenancy>> {
        let rows = sqlx::query(
            "SELECT id, reference, from_date FROM tenancy WHERE municipality_id = $1 AND reference IS NOT NULL",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(KnownTenancy {
                    id: row.try_get("id")?,
                    reference: row.try_get("reference")?,
                    start: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
                })
            })
            .collect()
    }

    /// Writes checked ledger rows in one transaction, with the import that brought them and its
    /// audit entry: a month new to a tenancy's ledger is added, one already there takes the
    /// file's figures (the accounting system's latest word). A row naming a tenancy that is not
    /// the municipality's refuses the whole import and nothing is written.
    pub async fn import_ledger(
        &self,
        municipality: MunicipalityId,
        batch: &NewLedgerImport<'_>,
        rows: &[LedgerRow],
        change: &Change<'_>,
    ) -> StoreResult<LedgerImported> {
        let (Some(first), Some(last)) = (batch.summary.first_month, batch.summary.last_month) else {
            return Err(StoreError::Invalid("a ledger import needs at least one row".into()));
        };
        let mut tx = self.write().await?;
        let ours: HashSet<String> = sqlx::query_scalar("SELECT id FROM tenancy WHERE municipality_id = $1")
            .bind(municipality.to_string())
            .fetch_all(tx.conn())
            .await?
            .into_iter()
            .collect();
        if let Some(stranger) = rows.iter().find(|r| !ours.contains(&r.tenancy_id)) {
            return Err(StoreError::Invalid(format!(
                "row {}: the tenancy is not the municipality's",
                stranger.row
            )));
        }
        let existing: HashMap<(String, String), (i64, i64)> = sqlx::query(
            "SELECT tenancy_id, period, due_ore, paid_ore FROM rent_ledger_entry \
             WHERE municipality_id = $1 AND period >= $2 AND period <= $3",
        )
        .bind(municipality.to_string())
        .bind(period_text(first))
        .bind(period_text(last))
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|row| {
            Ok((
                (row.try_get("tenancy_id")?, row.try_get("period")?),
                (row.try_get("due_ore")?, row.try_get("paid_ore")?),
            ))
        })
        .collect::<StoreResult<_>>()?;
        let mut imported = LedgerImported {
            id: uuid::Uuid::now_v7().to_string(),
            created: 0,
            updated: 0,
            unchanged: 0,
        };
        let mut to_write: Vec<&LedgerRow> = Vec::new();
        for row in rows {
            match existing.get(&(row.tenancy_id.clone(), period_text(row.period))) {
                None => imported.created += 1,
                Some(&(due, paid)) if (due, paid) == (row.due_ore, row.paid_ore) => {
                    imported.unchanged += 1;
                    continue;
                }
                Some(_) => imported.updated += 1,
            }
            to_write.push(row);
        }
        let now = crate::now_micros();
        let user = change.user.map(|u| u.to_string());
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO rent_ledger_import (id, municipality_id, file_name, row_count, months, tenancies, first_period, \
             last_period, created, updated, unchanged, via, imported_by, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(&imported.id)
        .bind(municipality.to_string())
        .bind(batch.file_name)
        .bind(count(batch.summary.rows))
        .bind(count(batch.summary.months))
        .bind(count(batch.summary.tenancies))
        .bind(period_text(first))
        .bind(period_text(last))
        .bind(as_i64(imported.created))
        .bind(as_i64(imported.updated))
        .bind(as_i64(imported.unchanged))
        .bind(batch.via)
        .bind(user.clone())
        .bind(now)
        .execute(tx.conn())
        .await?;
        for chunk in to_write.chunks(BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO rent_ledger_entry (id, municipality_id, tenancy_id, period, due_ore, paid_ore, import_id, \
                 imported_at, imported_by) VALUES {} \
                 ON CONFLICT (municipality_id, tenancy_id, period) DO UPDATE SET due_ore = excluded.due_ore, \
                 paid_ore = excluded.paid_ore, import_id = excluded.import_id, imported_at = excluded.imported_at, \
                 imported_by = excluded.imported_by",
                crate::values_placeholders(chunk.len(), 9)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                query = query
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(municipality.to_string())
                    .bind(row.tenancy_id.clone())
                    .bind(period_text(row.period))
                    .bind(row.due_ore)
                    .bind(row.paid_ore)
                    .bind(imported.id.clone())
                    .bind(now)
                    .bind(user.clone());
            }
            query.execute(tx.conn()).await?;
        }
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "tenancy.ledger_imported",
                resource_kind: "rent_ledger_import",
                resource_id: imported.id.clone(),
                details: json!({
                    "rows": batch.summary.rows,
                    "months": batch.summary.months,
                    "tenancies": batch.summary.tenancies,
                    "first": first.to_string(),
                    "last": last.to_string(),
                    "created": imported.created,
                    "updated": imported.updated,
                    "unchanged": imported.unchanged,
                    "via": batch.via,
                }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(imported)
    }

    /// A tenancy's ledger months, the oldest first.
    pub async fn ledger_months(&self, municipality: MunicipalityId, tenancy: &str) -> StoreResult<Vec<LedgerMonth>> {
        let rows = sqlx::query(
            "SELECT period, due_ore, paid_ore FROM rent_ledger_entry \
             WHERE municipality_id = $1 AND tenancy_id = $2 ORDER BY period",
        )
        .bind(municipality.to_string())
        .bind(tenancy)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(ledger_month).collect()
    }

    /// The tenancies whose ledger shows more due than paid, each with its months (the oldest
    /// first) and what a list of them shows.
    pub async fn tenancies_in_arrears(&self, municipality: MunicipalityId) -> StoreResult<Vec<TenancyInArrears>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT t.id, t.reference, t.household_id, p.given_name, p.family_name, d.address_line, {}, \
             t.monthly_rent_ore, t.ended_on, e.period, e.due_ore, e.paid_ore \
             FROM rent_ledger_entry e JOIN tenancy t ON t.id = e.tenancy_id \
             JOIN dwelling d ON d.id = t.dwelling_id \
             JOIN household_member m ON m.municipality_id = t.municipality_id \
                 AND m.household_id = t.household_id AND m.relation = 'main_applicant' \
             JOIN person p ON p.id = m.person_id \
             WHERE e.municipality_id = $1 AND e.tenancy_id IN (SELECT tenancy_id FROM rent_ledger_entry \
                 WHERE municipality_id = $1 GROUP BY tenancy_id HAVING SUM(due_ore - paid_ore) > 0) \
             ORDER BY e.tenancy_id, e.period",
            crate::protection::protected_sql!("t.municipality_id", "t.household_id")
        )))
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out: Vec<TenancyInArrears> = Vec::new();
        for row in &rows {
            let id: String = row.try_get("id")?;
            if out.last().is_none_or(|t| t.tenancy_id != id) {
                let mut address_line: String = row.try_get("address_line")?;
                let address_protected = crate::protection::masked(row, &mut [&mut address_line])?;
                out.push(TenancyInArrears {
                    tenancy_id: id,
                    reference: row.try_get::<Option<String>, _>("reference")?.unwrap_or_default(),
                    household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    tenant_name: format!(
                        "{} {}",
                        row.try_get::<String, _>("given_name")?,
                        row.try_get::<String, _>("family_name")?
                    ),
                    address_line,
                    address_protected,
                    monthly_rent_ore: row.try_get("monthly_rent_ore")?,
                    ended_on: opt_date(row, "ended_on")?,
                    months: Vec::new(),
                });
            }
            if let Some(tenancy) = out.last_mut() {
                tenancy.months.push(ledger_month(row)?);
            }
        }
        Ok(out)
    }

    /// The open contracts of these households whose ledger shows more due than paid, each with
    /// its months, the oldest first.
    pub async fn open_ledgers_in_arrears(
        &self,
        municipality: MunicipalityId,
        households: Households,
    ) -> StoreResult<Vec<OpenLedgerInArrears>> {
        // Over the whole municipality the ledgers in arrears are picked by the database first;
        // a few households' ledgers are read whole and picked below.
        let in_arrears = if households == Households::All {
            " AND t.id IN (SELECT tenancy_id FROM rent_ledger_entry WHERE municipality_id = $1 \
             GROUP BY tenancy_id HAVING SUM(due_ore - paid_ore) > 0)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT t.id, t.household_id, t.monthly_rent_ore, e.period, e.due_ore, e.paid_ore \
             FROM tenancy t JOIN rent_ledger_entry e ON e.municipality_id = t.municipality_id AND e.tenancy_id = t.id \
             WHERE t.municipality_id = $1 AND t.ended_on IS NULL{}{in_arrears} ORDER BY t.id, e.period",
            households.condition("t.household_id", 2)
        );
        let rows = self.scoped_rows(sql, municipality, &[], households).await?;
        let mut out: Vec<(String, OpenLedgerInArrears)> = Vec::new();
        for row in &rows {
            let id: String = row.try_get("id")?;
            if out.last().is_none_or(|(last, _)| *last != id) {
                let ledger = OpenLedgerInArrears {
                    household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                    monthly_rent_ore: row.try_get("monthly_rent_ore")?,
                    months: Vec::new(),
                };
                out.push((id, ledger));
            }
            if let Some((_, ledger)) = out.last_mut() {
                ledger.months.push(ledger_month(row)?);
            }
        }
        Ok(out
            .into_iter()
            .map(|(_, ledger)| ledger)
            .filter(|ledger| ledger.months.iter().map(|m| m.due_ore - m.paid_ore).sum::<i64>() > 0)
            .collect())
    }

    /// The municipality's latest ledger imports, the newest first.
    pub async fn ledger_imports(
        &self,
        municipality: MunicipalityId,
        limit: i64,
    ) -> StoreResult<Vec<LedgerImportRecord>> {
        let sql = format!(
            "SELECT i.id, i.file_name, i.row_count, i.months, i.tenancies, i.first_period, i.last_period, i.created, \
             i.updated, i.unchanged, i.via, u.display_name, i.imported_at FROM rent_ledger_import i \
             LEFT JOIN app_user u ON u.id = i.imported_by WHERE i.municipality_id = $1 \
             ORDER BY i.imported_at DESC, i.id DESC {}",
            crate::limit(limit)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(LedgerImportRecord {
                    id: row.try_get("id")?,
                    file_name: row.try_get("file_name")?,
                    rows: row.try_get("row_count")?,
                    months: row.try_get("months")?,
                    tenancies: row.try_get("tenancies")?,
                    first_month: month_of(row, "first_period")?,
                    last_month: month_of(row, "last_period")?,
                    created: row.try_get("created")?,
                    updated: row.try_get("updated")?,
                    unchanged: row.try_get("unchanged")?,
                    via: row.try_get("via")?,
                    imported_by: row.try_get("display_name")?,
                    imported_at: row.try_get("imported_at")?,
                })
            })
            .collect()
    }
}
