//! Tenancy contracts (schema 22): the `tenancy` row with its terms, periods and events. A
//! contract is written from an accepted offer in one transaction with the dwelling let and the
//! application case closed; ending one frees the dwelling; an end can be undone while the dwelling
//! has not been let again. The rules are `husly_domain::tenancy`'s; this module only keeps.

use husly_domain::allocation::dwelling::{DwellingStatus, StatusChange};
use husly_domain::allocation::offer::OfferState;
use husly_domain::cases::CaseChange;
use husly_domain::tenancy::{ContractEnd, ContractState, ContractTerm, EndReason, NewContract, SecurityKind};
use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::cases::Case;
use crate::db::{Tx, for_update};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, opt_date, parse_date_text};

/// The unique index that keeps one open contract per dwelling.
pub const OPEN_CONTRACT_FOR_DWELLING: &str = "tenancy_open_per_dwelling";
/// The unique index that keeps one contract per accepted offer.
pub const CONTRACT_FOR_OFFER: &str = "tenancy_offer";

/// A contract as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: String,
    /// What the accounting system knows the contract by (`L-000123`), unique in the
    /// municipality; numbered by the database when the contract is written.
    pub reference: String,
    pub dwelling_id: String,
    /// The dwelling's address, empty when the household's address is protected (it is their
    /// home).
    pub address_line: String,
    pub address_protected: bool,
    pub household: HouseholdId,
    pub tenant_name: String,
    pub case: Option<CaseId>,
    pub case_reference: Option<String>,
    pub offer_id: Option<String>,
    pub start: Date,
    pub term: ContractTerm,
    pub term_end: Option<Date>,
    pub monthly_rent_ore: i64,
    pub security_kind: SecurityKind,
    pub security_ore: i64,
    pub notice_11_1_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub end_reason: Option<EndReason>,
    pub notice_on: Option<Date>,
    /// The household's startlån case, when the contract ended because it bought its own home,
    /// and that case's reference.
    pub move_on_case: Option<CaseId>,
    pub move_on_reference: Option<String>,
    pub version: i64,
}

impl Contract {
    pub fn state(&self) -> ContractState {
        if self.ended_on.is_some() {
            ContractState::Ended
        } else {
            ContractState::Active
        }
    }
}

/// One period of a contract: the first is the contract itself, a renewal adds the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub seq: i64,
    pub from: Date,
    pub to: Option<Date>,
    pub monthly_rent_ore: i64,
    /// The renewal review of this period, once opened: the case and its reference.
    pub review: Option<(CaseId, String)>,
}

/// One change in a contract's history.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractEvent {
    pub occurred_at: i64,
    pub actor_name: Option<String>,
    pub kind: String,
    pub reason: Option<String>,
    pub details: serde_json::Value,
}

/// Which open contracts a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractFilter {
    /// Every open contract, newest first.
    Open,
    /// Open fixed-term contracts whose term ends on or before the day (lapsed ones included),
    /// soonest first.
    EndingBy(Date),
    /// Ended contracts, the latest end first.
    Ended,
}

/// A page of contracts and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractPage {
    pub contracts: Vec<Contract>,
    pub total: i64,
}

const COLUMNS: &str = concat!(
    "t.id, t.reference, t.dwelling_id, d.address_line, t.household_id, p.given_name, p.family_name, t.case_id, \
     c.reference AS case_reference, t.offer_id, t.from_date, t.term, t.term_end, t.monthly_rent_ore, t.security_kind, \
     t.security_ore, t.notice_11_1_on, t.ended_on, t.end_reason, t.notice_on, t.version, t.move_on_case_id, \
     mc.reference AS move_on_reference, ",
    crate::protection::protected_sql!("t.municipality_id", "t.household_id")
);
const FROM: &str = "FROM tenancy t JOIN dwelling d ON d.id = t.dwelling_id \
     JOIN household_member m ON m.municipality_id = t.municipality_id \
         AND m.household_id = t.household_id AND m.relation = 'main_applicant' \
     JOIN person p ON p.id = m.person_id \
     LEFT JOIN application_case c ON c.id = t.case_id \
     LEFT JOIN application_case mc ON mc.id = t.move_on_case_id";

fn coded<T>(row: &sqlx::any::AnyRow, column: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let code: String = row.try_get(column)?;
    parse(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown {column} `{code}`")))
}

fn contract(row: &sqlx::any::AnyRow) -> StoreResult<Contract> {
    let mut address_line: String = row.try_get("address_line")?;
    let address_protected = crate::protection::masked(row, &mut [&mut address_line])?;
    Ok(Contract {
        id: row.try_get("id")?,
        reference: row.try_get::<Option<String>, _>("reference")?.unwrap_or_default(),
        dwelling_id: row.try_get("dwelling_id")?,
        address_line,
        address_protected,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        tenant_name: format!(
            "{} {}",
            row.try_get::<String, _>("given_name")?,
            row.try_get::<String, _>("family_name")?
        ),
        case: row
            .try_get::<Option<String>, _>("case_id")?
            .map(|id| parse_id(&id).map(CaseId))
            .transpose()?,
        case_reference: row.try_get("case_reference")?,
        offer_id: row.try_get("offer_id")?,
        start: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
        term: coded(row, "term", ContractTerm::from_code)?,
        term_end: opt_date(row, "term_end")?,
        monthly_rent_ore: row.try_get("monthly_rent_ore")?,
        security_kind: coded(row, "security_kind", SecurityKind::from_code)?,
        security_ore: row.try_get("security_ore")?,
        notice_11_1_on: opt_date(row, "notice_11_1_on")?,
        ended_on: opt_date(row, "ended_on")?,
        end_reason: row
            .try_get::<Option<String>, _>("end_reason")?
            .map(|code| {
                EndReason::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown end reason `{code}`")))
            })
            .transpose()?,
        notice_on: opt_date(row, "notice_on")?,
        move_on_case: row
            .try_get::<Option<String>, _>("move_on_case_id")?
            .map(|id| parse_id(&id).map(CaseId))
            .transpose()?,
        move_on_reference: row.try_get("move_on_reference")?,
        version: row.try_get("version")?,
    })
}

fn unique_conflict(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        let message = db.message().to_string();
        let constraint = db.constraint().unwrap_or_default().to_string();
        if constraint == OPEN_CONTRACT_FOR_DWELLING || message.contains("tenancy.dwelling_id") {
            return StoreError::Duplicate(OPEN_CONTRACT_FOR_DWELLING.into());
        }
        if constraint == CONTRACT_FOR_OFFER || message.contains("tenancy.offer_id") {
            return StoreError::Duplicate(CONTRACT_FOR_OFFER.into());
        }
    }
    StoreError::from(error)
}

pub(crate) async fn record(
    tx: &mut Tx,
    municipality: MunicipalityId,
    tenancy: &str,
    kind: &'static str,
    details: serde_json::Value,
    change: &Change<'_>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO tenancy_event (id, municipality_id, tenancy_id, occurred_at, actor, kind, reason, details) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(municipality.to_string())
    .bind(tenancy)
    .bind(crate::now_micros())
    .bind(change.user.map(|u| u.to_string()))
    .bind(kind)
    .bind(change.reason)
    .bind(details.to_string())
    .execute(tx.conn())
    .await?;
    audit::append(
        tx,
        change.actor,
        Event {
            municipality: Some(municipality),
            action: match kind {
                "created" => "tenancy.created",
                "ended" => "tenancy.ended",
                "review_opened" => "tenancy.review_opened",
                "renewed" => "tenancy.renewed",
                "not_renewed" => "tenancy.not_renewed",
                "rent_changed" => "tenancy.rent_changed",
                "rent_change_cancelled" => "tenancy.rent_change_cancelled",
                "rent_change_applied" => "tenancy.rent_change_applied",
                _ => "tenancy.end_undone",
            },
            resource_kind: "tenancy",
            resource_id: tenancy.to_string(),
            details: json!({ "kind": kind }),
        },
    )
    .await
}

pub(crate) async fn locked(tx: &mut Tx, municipality: MunicipalityId, id: &str, version: i64) -> StoreResult<Contract> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE t.municipality_id = $1 AND t.id = $2{}",
        for_update(tx.backend()).replace("FOR UPDATE", "FOR UPDATE OF t")
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let contract = contract(&row)?;
    if contract.version != version {
        return Err(StoreError::Conflict { expected: version });
    }
    Ok(contract)
}

async fn set_dwelling(
    tx: &mut Tx,
    municipality: MunicipalityId,
    dwelling: &str,
    status: DwellingStatus,
    from: Date,
    tenancy: &str,
    change: &Change<'_>,
) -> StoreResult<()> {
    let existing = crate::dwellings::locked_dwelling(tx, municipality, dwelling).await?;
    let new = StatusChange {
        status,
        from,
        reason: None,
    };
    crate::dwellings::set_status_in(tx, municipality, &existing, &new, json!({ "tenancy": tenancy }), change).await
}

/// The tenancy's `to_date` as every older reader understands it.
fn known_end(contract_end: Option<Date>, term_end: Option<Date>) -> Option<String> {
    contract_end.or(term_end).map(date_text)
}

impl Store {
    /// Writes the contract for the accepted offer `offer` (at `offer_version`), in one
    /// transaction: the contract and its first period, the dwelling let from the start day, and
    /// the application case changed as `close` returns (the lifecycle's close, which takes the
    /// household off the waiting list); `None` leaves the case as it is, which the caller decides.
    /// Returns the contract's id.
    pub async fn create_contract(
        &self,
        municipality: MunicipalityId,
        offer: &str,
        offer_version: i64,
        new: &NewContract,
        change: &Change<'_>,
        close: impl FnOnce(&Case) -> Option<CaseChange>,
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        let sql = format!(
            "SELECT state, version, dwelling_id, case_id FROM offer WHERE municipality_id = $1 AND id = $2{}",
            for_update(tx.backend())
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(offer)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.try_get::<i64, _>("version")? != offer_version {
            return Err(StoreError::Conflict {
                expected: offer_version,
            });
        }
        if row.try_get::<String, _>("state")? != OfferState::Accepted.code() {
            return Err(StoreError::Invalid(
                "a contract is written from an accepted offer".into(),
            ));
        }
        let written: Option<String> = sqlx::query_scalar("SELECT id FROM tenancy WHERE offer_id = $1")
            .bind(offer)
            .fetch_optional(tx.conn())
            .await?;
        if written.is_some() {
            return Err(StoreError::Duplicate(CONTRACT_FOR_OFFER.into()));
        }
        let dwelling: String = row.try_get("dwelling_id")?;
        let case_id = CaseId(parse_id(&row.try_get::<String, _>("case_id")?)?);
        let version: i64 =
            sqlx::query_scalar("SELECT version FROM application_case WHERE municipality_id = $1 AND id = $2")
                .bind(municipality.to_string())
                .bind(case_id.to_string())
                .fetch_one(tx.conn())
                .await?;
        let before = crate::cases::locked_case(&mut tx, municipality, case_id, version).await?;
        let closed = close(&before);
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        sqlx::query(
            "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, monthly_rent_ore, \
             heating_included, created_at, offer_id, case_id, term, term_end, security_kind, security_ore, \
             notice_11_1_on, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, $13, $14, $15, 1, $8)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(&dwelling)
        .bind(before.household_id.to_string())
        .bind(date_text(new.start))
        .bind(known_end(None, new.term_end))
        .bind(new.monthly_rent_ore)
        .bind(now)
        .bind(offer)
        .bind(case_id.to_string())
        .bind(new.term.code())
        .bind(new.term_end.map(date_text))
        .bind(new.security_kind.code())
        .bind(new.security_ore)
        .bind(new.notice_11_1_on.map(date_text))
        .execute(tx.conn())
        .await
        .map_err(unique_conflict)?;
        sqlx::query(
            "INSERT INTO tenancy_period (tenancy_id, seq, municipality_id, from_date, to_date, monthly_rent_ore, \
             created_by, created_at) VALUES ($1, 1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(date_text(new.start))
        .bind(new.term_end.map(date_text))
        .bind(new.monthly_rent_ore)
        .bind(change.user.map(|u| u.to_string()))
        .bind(now)
        .execute(tx.conn())
        .await?;
        let details_of_contract = json!({
            "offer": offer,
            "dwelling": dwelling,
            "case": case_id.to_string(),
            "case_closed": closed.is_some(),
            "start": date_text(new.start),
            "term": new.term.code(),
            "term_end": new.term_end.map(date_text),
            "monthly_rent_ore": new.monthly_rent_ore,
        });
        record(&mut tx, municipality, &id, "created", details_of_contract, change).await?;
        set_dwelling(
            &mut tx,
            municipality,
            &dwelling,
            DwellingStatus::Let,
            new.start,
            &id,
            change,
        )
        .await?;
        if let Some(CaseChange {
            case,
            event,
            mut details,
            reason,
            ..
        }) = closed
        {
            let case_change = Change {
                reason: reason.as_deref().or(change.reason),
                ..*change
            };
            crate::cases::save_case(&mut tx, &case).await?;
            if let serde_json::Value::Object(map) = &mut details {
                map.insert("tenancy".into(), id.clone().into());
            }
            crate::cases::case_event(&mut tx, &case, event, &case_change, details).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Ends the contract (at `version`): the move-out day, the reason and the day notice was
    /// given; the dwelling is vacant from the day after.
    pub async fn end_contract(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        end: &ContractEnd,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let before = locked(&mut tx, municipality, id, version).await?;
        if before.ended_on.is_some() {
            return Err(StoreError::Invalid("the contract has already ended".into()));
        }
        sqlx::query(
            "UPDATE tenancy SET ended_on = $1, end_reason = $2, notice_on = $3, to_date = $1, version = version + 1, \
             updated_at = $4, move_on_case_id = $5 WHERE municipality_id = $6 AND id = $7",
        )
        .bind(date_text(end.ended_on))
        .bind(end.reason.code())
        .bind(end.notice_on.map(date_text))
        .bind(crate::now_micros())
        .bind(end.move_on_case.map(|c| c.to_string()))
        .bind(municipality.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
        let details = json!({
            "ended_on": date_text(end.ended_on),
            "reason": end.reason.code(),
            "notice_on": end.notice_on.map(date_text),
            "move_on_case_id": end.move_on_case.map(|c| c.to_string()),
        });
        let with_note = Change {
            reason: end.note.as_deref().or(change.reason),
            ..*change
        };
        record(&mut tx, municipality, id, "ended", details, &with_note).await?;
        let free_from = end.ended_on.next_day().unwrap_or(end.ended_on);
        set_dwelling(
            &mut tx,
            municipality,
            &before.dwelling_id,
            DwellingStatus::Vacant,
            free_from,
            id,
            change,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Undoes the end of the contract (at `version`), with the reason in `change`: it runs again
    /// and the dwelling is let again. Refused when the dwelling has an open contract of its own
    /// by now.
    pub async fn undo_contract_end(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let before = locked(&mut tx, municipality, id, version).await?;
        let Some(ended_on) = before.ended_on else {
            return Err(StoreError::Invalid("the contract has not ended".into()));
        };
        sqlx::query(
            "UPDATE tenancy SET ended_on = NULL, end_reason = NULL, notice_on = NULL, move_on_case_id = NULL, \
             to_date = $1, version = version + 1, updated_at = $2 WHERE municipality_id = $3 AND id = $4",
        )
        .bind(known_end(None, before.term_end))
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(unique_conflict)?;
        let details = json!({
            "ended_on": date_text(ended_on),
            "reason": before.end_reason.map(EndReason::code),
            "move_on_case_id": before.move_on_case.map(|c| c.to_string()),
        });
        record(&mut tx, municipality, id, "end_undone", details, change).await?;
        set_dwelling(
            &mut tx,
            municipality,
            &before.dwelling_id,
            DwellingStatus::Let,
            before.start,
            id,
            change,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The municipality that holds a contract, if any.
    pub async fn contract_municipality(&self, id: &str) -> StoreResult<Option<MunicipalityId>> {
        let owner: Option<String> = sqlx::query_scalar("SELECT municipality_id FROM tenancy WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        owner.map(|m| parse_id(&m).map(MunicipalityId)).transpose()
    }

    pub async fn contract(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Contract> {
        let row = sqlx::query(sqlx::AssertSqlSafe(contract_sql()))
            .bind(municipality.to_string())
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        contract(&row)
    }

    /// The contract written from an offer, if any.
    pub async fn contract_of_offer(&self, municipality: MunicipalityId, offer: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM tenancy WHERE municipality_id = $1 AND offer_id = $2")
                .bind(municipality.to_string())
                .bind(offer)
                .fetch_optional(&mut *self.conn().await?)
                .await?,
        )
    }

    /// The contract's periods, the first first.
    pub async fn contract_periods(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Vec<Period>> {
        let rows = sqlx::query(
            "SELECT p.seq, p.from_date, p.to_date, p.monthly_rent_ore, p.review_case_id, c.reference \
             FROM tenancy_period p LEFT JOIN application_case c ON c.id = p.review_case_id \
             WHERE p.municipality_id = $1 AND p.tenancy_id = $2 ORDER BY p.seq",
        )
        .bind(municipality.to_string())
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Period {
                    seq: row.try_get("seq")?,
                    from: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
                    to: opt_date(row, "to_date")?,
                    monthly_rent_ore: row.try_get("monthly_rent_ore")?,
                    review: match row.try_get::<Option<String>, _>("review_case_id")? {
                        Some(case) => Some((CaseId(parse_id(&case)?), row.try_get("reference")?)),
                        None => None,
                    },
                })
            })
            .collect()
    }

    /// The contract's history, oldest first.
    pub async fn contract_events(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Vec<ContractEvent>> {
        let rows = sqlx::query(
            "SELECT e.occurred_at, u.display_name, e.kind, e.reason, e.details FROM tenancy_event e \
             LEFT JOIN app_user u ON u.id = e.actor WHERE e.municipality_id = $1 AND e.tenancy_id = $2 \
             ORDER BY e.occurred_at, e.id",
        )
        .bind(municipality.to_string())
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let details: String = row.try_get("details")?;
                Ok(ContractEvent {
                    occurred_at: row.try_get("occurred_at")?,
                    actor_name: row.try_get("display_name")?,
                    kind: row.try_get("kind")?,
                    reason: row.try_get("reason")?,
                    details: serde_json::from_str(&details)
                        .map_err(|e| StoreError::Corrupt(format!("tenancy event details: {e}")))?,
                })
            })
            .collect()
    }

    /// The municipality's contracts that ended in `[from, to)`: the facts of the "from renting to
    /// owning" indicators.
    pub async fn ended_tenancies_between(
        &self,
        municipality: MunicipalityId,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<husly_domain::indicators::EndedTenancy>> {
        let rows = sqlx::query(
            "SELECT ended_on, end_reason, move_on_case_id FROM tenancy \
             WHERE municipality_id = $1 AND ended_on >= $2 AND ended_on < $3",
        )
        .bind(municipality.to_string())
        .bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(husly_domain::indicators::EndedTenancy {
                    ended_on: parse_date_text(&row.try_get::<String, _>("ended_on")?)?,
                    bought_own_home: row.try_get::<Option<String>, _>("end_reason")?.as_deref()
                        == Some(EndReason::BoughtOwnHome.code()),
                    with_startlan_case: row.try_get::<Option<String>, _>("move_on_case_id")?.is_some(),
                })
            })
            .collect()
    }

    /// A page of the municipality's contracts: `limit` from `offset`.
    pub async fn contracts(
        &self,
        municipality: MunicipalityId,
        filter: ContractFilter,
        offset: i64,
        limit: i64,
    ) -> StoreResult<ContractPage> {
        let (condition, order, day) = match filter {
            ContractFilter::Open => ("t.ended_on IS NULL", "t.from_date DESC, t.id DESC", None),
            ContractFilter::EndingBy(day) => (
                "t.ended_on IS NULL AND t.term_end IS NOT NULL AND t.term_end <= $2",
                "t.term_end, t.id",
                Some(date_text(day)),
            ),
            ContractFilter::Ended => ("t.ended_on IS NOT NULL", "t.ended_on DESC, t.id DESC", None),
        };
        let offset_at = if day.is_some() { 3 } else { 2 };
        let limit = crate::limit(limit);
        // The page's contracts are picked from the list's index first and only they are joined:
        // a page far down the list skips index entries, not joined rows.
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE t.id IN (SELECT t.id FROM tenancy t \
             WHERE t.municipality_id = $1 AND {condition} ORDER BY {order} {limit} OFFSET ${offset_at}) \
             ORDER BY {order}"
        );
        // The contracts alone are counted (from the list's index): each has its dwelling (a
        // foreign key) and its household one main applicant (the household rule), so the page's
        // joins neither drop nor repeat a contract.
        let count_sql = format!("SELECT COUNT(*) FROM tenancy t WHERE t.municipality_id = $1 AND {condition}");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
        let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql)).bind(municipality.to_string());
        if let Some(day) = &day {
            query = query.bind(day.clone());
            count = count.bind(day.clone());
        }
        let rows = query.bind(offset).fetch_all(&mut *self.conn().await?).await?;
        let total = count.fetch_one(&mut *self.conn().await?).await?;
        Ok(ContractPage {
            contracts: rows.iter().map(contract).collect::<StoreResult<_>>()?,
            total,
        })
    }
}

/// One contract: `$1` municipality, `$2` tenancy.
fn contract_sql() -> String {
    format!("SELECT {COLUMNS} {FROM} WHERE t.municipality_id = $1 AND t.id = $2")
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_contract_is_looked_up_by_index() {
        let id = "01a24634-7263-70a7-b260-e66266e3f277";
        crate::testing::assert_reads_by_index(&super::contract_sql(), &[id, id]).await;
    }
}
