//! The dwelling register: dwellings with their status, kept by the housing manager or a
//! property-management system. Every change is a `dwelling_event` and an audit entry in the same
//! transaction; a change is made only at the version the caller read (optimistic locking).
//! Which status moves are allowed is the domain's rule (`allocation::dwelling`), checked by the
//! use case before the store is asked.

use husly_domain::MunicipalityId;
use husly_domain::allocation::dwelling::{
    DwellingStatus, DwellingType, Matrikkel, OwnershipForm, StatusChange, ValidDwelling,
};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{self, Event};
use crate::db::{Tx, for_update};
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::{Store, date_text, flag, flag_of, parse_date_text};

/// The address in lower case on both backends: SQLite's `LOWER` folds ASCII only, so the
/// Norwegian letters are folded by hand.
const LOWER_ADDRESS: &str = "LOWER(REPLACE(REPLACE(REPLACE(address_line, 'Æ', 'æ'), 'Ø', 'ø'), 'Å', 'å'))";

/// Most dwellings one register page lists.
pub const MAX_PAGE: i64 = 200;

const COLUMNS: &str = "id, external_id, address_line, postal_code, postal_city, district, gnr, bnr, fnr, snr, \
     unit_number, dwelling_type, ownership, bedrooms, area_m2, floor, lift, wheelchair_accessible, adapted, \
     pets_allowed, monthly_rent_ore, status, status_from, version, updated_at, deleted_at";

/// A dwelling in the register as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dwelling {
    pub id: String,
    pub details: ValidDwelling,
    pub status: DwellingStatus,
    pub status_from: Date,
    pub version: i64,
    pub updated_at: i64,
    /// Soft-deleted (by a property-management system or the housing manager); can be restored.
    pub deleted: bool,
}

/// One change in a dwelling's history.
#[derive(Debug, Clone, PartialEq)]
pub struct DwellingEvent {
    pub occurred_at: i64,
    pub actor_name: String,
    pub kind: String,
    pub status: Option<DwellingStatus>,
    pub from_date: Option<Date>,
    pub reason: Option<String>,
    pub details: serde_json::Value,
}

/// What the register list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DwellingFilter {
    pub status: Option<DwellingStatus>,
    pub dwelling_type: Option<DwellingType>,
    pub bedrooms: Option<i64>,
    pub wheelchair_accessible: bool,
    /// The start of the address (case-insensitive), or an external id or unit number exactly.
    pub text: Option<String>,
    /// Soft-deleted dwellings instead of the register.
    pub deleted: bool,
    pub offset: i64,
    pub limit: i64,
}

/// One page of the register and how many dwellings match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DwellingPage {
    pub dwellings: Vec<Dwelling>,
    pub total: i64,
}

/// What saving one dwelling by its external id did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created,
    Updated,
    Unchanged,
    /// It had been soft-deleted; it is back, with the new facts.
    Restored,
}

impl Upserted {
    pub fn code(self) -> &'static str {
        match self {
            Upserted::Created => "created",
            Upserted::Updated => "updated",
            Upserted::Unchanged => "unchanged",
            Upserted::Restored => "restored",
        }
    }
}

/// How many rows of an import were created, updated or already as in the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} `{code}`"))
}

fn status_of(code: &str) -> StoreResult<DwellingStatus> {
    DwellingStatus::from_code(code).ok_or_else(|| corrupt("dwelling status", code))
}

fn dwelling(row: &sqlx::any::AnyRow) -> StoreResult<Dwelling> {
    let type_code: String = row.try_get("dwelling_type")?;
    let ownership_code: String = row.try_get("ownership")?;
    let status_code: String = row.try_get("status")?;
    Ok(Dwelling {
        id: row.try_get("id")?,
        details: ValidDwelling {
            external_id: row.try_get("external_id")?,
            address_line: row.try_get("address_line")?,
            postal_code: row.try_get("postal_code")?,
            postal_city: row.try_get("postal_city")?,
            district: row.try_get("district")?,
            matrikkel: Matrikkel {
                gnr: row.try_get("gnr")?,
                bnr: row.try_get("bnr")?,
                fnr: row.try_get("fnr")?,
                snr: row.try_get("snr")?,
            },
            unit_number: row.try_get("unit_number")?,
            dwelling_type: DwellingType::from_code(&type_code).ok_or_else(|| corrupt("dwelling type", &type_code))?,
            ownership: OwnershipForm::from_code(&ownership_code)
                .ok_or_else(|| corrupt("ownership form", &ownership_code))?,
            bedrooms: row.try_get("bedrooms")?,
            area_m2: row.try_get("area_m2")?,
            floor: row.try_get("floor")?,
            lift: flag_of(row, "lift")?,
            wheelchair_accessible: flag_of(row, "wheelchair_accessible")?,
            adapted: flag_of(row, "adapted")?,
            pets_allowed: flag_of(row, "pets_allowed")?,
            monthly_rent_ore: row.try_get("monthly_rent_ore")?,
        },
        status: status_of(&status_code)?,
        status_from: parse_date_text(&row.try_get::<String, _>("status_from")?)?,
        version: row.try_get("version")?,
        updated_at: row.try_get("updated_at")?,
        deleted: row.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
    })
}

/// The facts of a dwelling as its events record them (what changed, before and after).
fn facts_json(d: &ValidDwelling) -> serde_json::Value {
    json!({
        "external_id": d.external_id,
        "address_line": d.address_line,
        "postal_code": d.postal_code,
        "postal_city": d.postal_city,
        "district": d.district,
        "gnr": d.matrikkel.gnr,
        "bnr": d.matrikkel.bnr,
        "fnr": d.matrikkel.fnr,
        "snr": d.matrikkel.snr,
        "unit_number": d.unit_number,
        "dwelling_type": d.dwelling_type.code(),
        "ownership": d.ownership.code(),
        "bedrooms": d.bedrooms,
        "area_m2": d.area_m2,
        "floor": d.floor,
        "lift": d.lift,
        "wheelchair_accessible": d.wheelchair_accessible,
        "adapted": d.adapted,
        "pets_allowed": d.pets_allowed,
        "monthly_rent_ore": d.monthly_rent_ore,
    })
}

/// The fields that differ, each as `{"before": …, "after": …}`.
fn changed_fields(before: &ValidDwelling, after: &ValidDwelling) -> serde_json::Map<String, serde_json::Value> {
    let (before, after) = (facts_json(before), facts_json(after));
    let mut changed = serde_json::Map::new();
    if let (Some(b), Some(a)) = (before.as_object(), after.as_object()) {
        for (key, new) in a {
            let old = b.get(key).cloned().unwrap_or(serde_json::Value::Null);
            if &old != new {
                changed.insert(key.clone(), json!({ "before": old, "after": new }));
            }
        }
    }
    changed
}

fn user_of(change: &Change<'_>) -> StoreResult<String> {
    change
        .user
        .map(|u| u.to_string())
        .ok_or_else(|| StoreError::Invalid("a dwelling is changed by a user".into()))
}

struct EventRecord<'a> {
    dwelling: &'a str,
    kind: &'static str,
    status: Option<(DwellingStatus, Date)>,
    details: serde_json::Value,
}

/// Whether an event also gets its own audit entry; an import's rows share one entry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Audit {
    Each,
    Shared,
}

async fn record(
    tx: &mut Tx,
    municipality: MunicipalityId,
    event: EventRecord<'_>,
    change: &Change<'_>,
) -> StoreResult<()> {
    record_with(tx, municipality, event, change, Audit::Each).await
}

async fn record_with(
    tx: &mut Tx,
    municipality: MunicipalityId,
    event: EventRecord<'_>,
    change: &Change<'_>,
    audit: Audit,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO dwelling_event (id, municipality_id, dwelling_id, occurred_at, actor, kind, status, from_date, \
         reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(municipality.to_string())
    .bind(event.dwelling)
    .bind(crate::now_micros())
    .bind(user_of(change)?)
    .bind(event.kind)
    .bind(event.status.map(|(s, _)| s.code()))
    .bind(event.status.map(|(_, from)| date_text(from)))
    .bind(change.reason)
    .bind(event.details.to_string())
    .execute(tx.conn())
    .await?;
    if audit == Audit::Shared {
        return Ok(());
    }
    audit::append(
        tx,
        change.actor,
        Event {
            municipality: Some(municipality),
            action: event_action(event.kind),
            resource_kind: "dwelling",
            resource_id: event.dwelling.to_string(),
            details: json!({ "kind": event.kind }),
        },
    )
    .await
}

fn event_action(kind: &str) -> &'static str {
    match kind {
        "created" => "dwelling.created",
        "status" => "dwelling.status",
        "deleted" => "dwelling.deleted",
        "restored" => "dwelling.restored",
        _ => "dwelling.updated",
    }
}

/// Sets a locked dwelling's status with its event and audit entry; `details` says what moved it
/// (a contract, for `let` and for the vacancy after one).
pub(crate) async fn set_status_in(
    tx: &mut Tx,
    municipality: MunicipalityId,
    existing: &Dwelling,
    new: &StatusChange,
    mut details: serde_json::Value,
    change: &Change<'_>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE dwelling SET status = $1, status_from = $2, version = version + 1, updated_at = $3 \
         WHERE municipality_id = $4 AND id = $5",
    )
    .bind(new.status.code())
    .bind(date_text(new.from))
    .bind(crate::now_micros())
    .bind(municipality.to_string())
    .bind(&existing.id)
    .execute(tx.conn())
    .await?;
    if let serde_json::Value::Object(map) = &mut details {
        map.insert("before".into(), existing.status.code().into());
        map.insert("before_from".into(), date_text(existing.status_from).into());
    }
    let event = EventRecord {
        dwelling: &existing.id,
        kind: "status",
        status: Some((new.status, new.from)),
        details,
    };
    record(tx, municipality, event, change).await
}

/// The dwelling, locked for a change in this transaction.
pub(crate) async fn locked_dwelling(tx: &mut Tx, municipality: MunicipalityId, id: &str) -> StoreResult<Dwelling> {
    locked(tx, municipality, id).await
}

async fn locked(tx: &mut Tx, municipality: MunicipalityId, id: &str) -> StoreResult<Dwelling> {
    let sql = format!(
        "SELECT {COLUMNS} FROM dwelling WHERE municipality_id = $1 AND id = $2{}",
        for_update(tx.backend())
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    dwelling(&row)
}

async fn locked_by_external_id(
    tx: &mut Tx,
    municipality: MunicipalityId,
    external_id: &str,
) -> StoreResult<Option<Dwelling>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM dwelling WHERE municipality_id = $1 AND external_id = $2{}",
        for_update(tx.backend())
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(external_id)
        .fetch_optional(tx.conn())
        .await?
        .map(|row| dwelling(&row))
        .transpose()
}

/// Inserts a dwelling; `None` when its external id is already taken in the municipality.
async fn insert(
    tx: &mut Tx,
    municipality: MunicipalityId,
    d: &ValidDwelling,
    status: DwellingStatus,
    status_from: Date,
) -> StoreResult<Option<String>> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = crate::now_micros();
    let inserted = sqlx::query(
        "INSERT INTO dwelling (id, municipality_id, address_line, postal_code, postal_city, bedrooms, adapted, \
         created_at, external_id, district, gnr, bnr, fnr, snr, unit_number, dwelling_type, ownership, area_m2, \
         floor, lift, wheelchair_accessible, pets_allowed, monthly_rent_ore, status, status_from, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
         $23, $24, $25, 1, $8) ON CONFLICT (municipality_id, external_id) DO NOTHING",
    )
    .bind(&id)
    .bind(municipality.to_string())
    .bind(&d.address_line)
    .bind(&d.postal_code)
    .bind(&d.postal_city)
    .bind(d.bedrooms)
    .bind(flag(d.adapted))
    .bind(now)
    .bind(&d.external_id)
    .bind(&d.district)
    .bind(d.matrikkel.gnr)
    .bind(d.matrikkel.bnr)
    .bind(d.matrikkel.fnr)
    .bind(d.matrikkel.snr)
    .bind(&d.unit_number)
    .bind(d.dwelling_type.code())
    .bind(d.ownership.code())
    .bind(d.area_m2)
    .bind(d.floor)
    .bind(flag(d.lift))
    .bind(flag(d.wheelchair_accessible))
    .bind(flag(d.pets_allowed))
    .bind(d.monthly_rent_ore)
    .bind(status.code())
    .bind(date_text(status_from))
    .execute(tx.conn())
    .await?;
    Ok((inserted.rows_affected() == 1).then_some(id))
}

/// Writes new facts over a locked dwelling (and clears a soft delete when `restore`).
async fn overwrite(
    tx: &mut Tx,
    municipality: MunicipalityId,
    id: &str,
    d: &ValidDwelling,
    restore: bool,
) -> StoreResult<()> {
    let sql = format!(
        "UPDATE dwelling SET external_id = $1, address_line = $2, postal_code = $3, postal_city = $4, district = $5, \
         gnr = $6, bnr = $7, fnr = $8, snr = $9, unit_number = $10, dwelling_type = $11, ownership = $12, \
         bedrooms = $13, area_m2 = $14, floor = $15, lift = $16, wheelchair_accessible = $17, adapted = $18, \
         pets_allowed = $19, monthly_rent_ore = $20, version = version + 1, updated_at = $21{} \
         WHERE municipality_id = $22 AND id = $23",
        if restore { ", deleted_at = NULL" } else { "" }
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&d.external_id)
        .bind(&d.address_line)
        .bind(&d.postal_code)
        .bind(&d.postal_city)
        .bind(&d.district)
        .bind(d.matrikkel.gnr)
        .bind(d.matrikkel.bnr)
        .bind(d.matrikkel.fnr)
        .bind(d.matrikkel.snr)
        .bind(&d.unit_number)
        .bind(d.dwelling_type.code())
        .bind(d.ownership.code())
        .bind(d.bedrooms)
        .bind(d.area_m2)
        .bind(d.floor)
        .bind(flag(d.lift))
        .bind(flag(d.wheelchair_accessible))
        .bind(flag(d.adapted))
        .bind(flag(d.pets_allowed))
        .bind(d.monthly_rent_ore)
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Saves one dwelling keyed by its external id inside a transaction: created, updated,
/// restored or left as it is.
async fn upsert_in(
    tx: &mut Tx,
    municipality: MunicipalityId,
    d: &ValidDwelling,
    today: Date,
    change: &Change<'_>,
    kind_on_change: &'static str,
    audit: Audit,
) -> StoreResult<(String, Upserted)> {
    let external_id = d
        .external_id
        .as_deref()
        .ok_or_else(|| StoreError::Invalid("an upsert needs the external id".into()))?;
    // Two attempts: a concurrent insert of the same external id loses the first and updates.
    for _ in 0..2 {
        match locked_by_external_id(tx, municipality, external_id).await? {
            Some(existing) => {
                let changed = changed_fields(&existing.details, d);
                if changed.is_empty() && !existing.deleted {
                    return Ok((existing.id, Upserted::Unchanged));
                }
                overwrite(tx, municipality, &existing.id, d, existing.deleted).await?;
                let (kind, outcome) = if existing.deleted {
                    ("restored", Upserted::Restored)
                } else {
                    (kind_on_change, Upserted::Updated)
                };
                let event = EventRecord {
                    dwelling: &existing.id,
                    kind,
                    status: None,
                    details: json!({ "changed": changed }),
                };
                record_with(tx, municipality, event, change, audit).await?;
                return Ok((existing.id, outcome));
            }
            None => {
                if let Some(id) = insert(tx, municipality, d, DwellingStatus::Vacant, today).await? {
                    let event = EventRecord {
                        dwelling: &id,
                        kind: "created",
                        status: Some((DwellingStatus::Vacant, today)),
                        details: facts_json(d),
                    };
                    record_with(tx, municipality, event, change, audit).await?;
                    return Ok((id, Upserted::Created));
                }
            }
        }
    }
    Err(StoreError::Conflict { expected: 0 })
}

impl Store {
    /// The municipality a dwelling belongs to.
    pub async fn dwelling_municipality(&self, id: &str) -> StoreResult<Option<MunicipalityId>> {
        sqlx::query("SELECT municipality_id FROM dwelling WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .map(|row| {
                Ok(MunicipalityId(crate::municipalities::parse_id(
                    &row.try_get::<String, _>("municipality_id")?,
                )?))
            })
            .transpose()
    }

    /// A page of the register, in address order.
    pub async fn dwellings(&self, municipality: MunicipalityId, filter: &DwellingFilter) -> StoreResult<DwellingPage> {
        let mut conditions = vec!["municipality_id = $1".to_string()];
        conditions.push(
            if filter.deleted {
                "deleted_at IS NOT NULL"
            } else {
                "deleted_at IS NULL"
            }
            .to_string(),
        );
        let mut binds: Vec<String> = vec![municipality.to_string()];
        let next = |value: String, binds: &mut Vec<String>| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(status) = filter.status {
            let p = next(status.code().to_string(), &mut binds);
            conditions.push(format!("status = {p}"));
        }
        if let Some(kind) = filter.dwelling_type {
            let p = next(kind.code().to_string(), &mut binds);
            conditions.push(format!("dwelling_type = {p}"));
        }
        if filter.wheelchair_accessible {
            conditions.push("wheelchair_accessible = 1".to_string());
        }
        let bedrooms = filter.bedrooms;
        if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let exact = next(text.to_string(), &mut binds);
            let unit = next(text.to_uppercase(), &mut binds);
            let prefix = next(format!("{}%", escape_like(&text.to_lowercase())), &mut binds);
            conditions.push(format!(
                "(external_id = {exact} OR unit_number = {unit} OR {LOWER_ADDRESS} LIKE {prefix} ESCAPE '\\')"
            ));
        }
        let bedroom_condition = bedrooms.map(|n| format!(" AND bedrooms = {n}")).unwrap_or_default();
        let where_clause = format!("{}{bedroom_condition}", conditions.join(" AND "));
        let count_sql = format!("SELECT COUNT(*) AS n FROM dwelling WHERE {where_clause}");
        let mut count = sqlx::query(sqlx::AssertSqlSafe(count_sql));
        for b in &binds {
            count = count.bind(b.clone());
        }
        let total: i64 = count.fetch_one(&mut *self.conn().await?).await?.try_get("n")?;
        let limit = filter.limit.clamp(1, MAX_PAGE);
        let offset = filter.offset.max(0);
        let list_sql = format!(
            "SELECT {COLUMNS} FROM dwelling WHERE {where_clause} ORDER BY address_line, id LIMIT {limit} OFFSET {offset}"
        );
        let mut list = sqlx::query(sqlx::AssertSqlSafe(list_sql));
        for b in &binds {
            list = list.bind(b.clone());
        }
        let rows = list.fetch_all(&mut *self.conn().await?).await?;
        Ok(DwellingPage {
            dwellings: rows.iter().map(dwelling).collect::<StoreResult<_>>()?,
            total,
        })
    }

    /// Every vacant dwelling of the municipality (not removed), in address order: what an
    /// allocation round offers.
    pub async fn vacant_dwellings(&self, municipality: MunicipalityId) -> StoreResult<Vec<Dwelling>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM dwelling WHERE municipality_id = $1 AND status = 'vacant' AND deleted_at IS NULL \
             ORDER BY address_line, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(dwelling).collect()
    }

    /// How many of the municipality's dwellings (not deleted) have each status.
    pub async fn dwelling_status_counts(
        &self,
        municipality: MunicipalityId,
    ) -> StoreResult<Vec<(DwellingStatus, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM dwelling WHERE municipality_id = $1 AND deleted_at IS NULL GROUP BY status",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut counts: Vec<(DwellingStatus, i64)> = rows
            .iter()
            .map(|row| Ok((status_of(&row.try_get::<String, _>("status")?)?, row.try_get("n")?)))
            .collect::<StoreResult<_>>()?;
        counts.sort();
        Ok(counts)
    }

    /// One dwelling of the municipality (also when soft-deleted).
    pub async fn dwelling(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Dwelling> {
        let sql = format!("SELECT {COLUMNS} FROM dwelling WHERE municipality_id = $1 AND id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        dwelling(&row)
    }

    /// The dwelling a property-management system knows by `external_id`.
    pub async fn dwelling_by_external_id(
        &self,
        municipality: MunicipalityId,
        external_id: &str,
    ) -> StoreResult<Option<Dwelling>> {
        let sql = format!("SELECT {COLUMNS} FROM dwelling WHERE municipality_id = $1 AND external_id = $2");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(external_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .map(|row| dwelling(&row))
            .transpose()
    }

    /// A dwelling's history, the newest first.
    pub async fn dwelling_events(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Vec<DwellingEvent>> {
        let rows = sqlx::query(
            "SELECT e.occurred_at, u.display_name, e.kind, e.status, e.from_date, e.reason, e.details \
             FROM dwelling_event e JOIN app_user u ON u.id = e.actor \
             WHERE e.municipality_id = $1 AND e.dwelling_id = $2 ORDER BY e.occurred_at DESC, e.id DESC",
        )
        .bind(municipality.to_string())
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let details: String = row.try_get("details")?;
                Ok(DwellingEvent {
                    occurred_at: row.try_get("occurred_at")?,
                    actor_name: row.try_get("display_name")?,
                    kind: row.try_get("kind")?,
                    status: row
                        .try_get::<Option<String>, _>("status")?
                        .map(|code| status_of(&code))
                        .transpose()?,
                    from_date: crate::opt_date(row, "from_date")?,
                    reason: row.try_get("reason")?,
                    details: serde_json::from_str(&details).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }

    /// Registers a dwelling with its first status. A taken external id is a `Duplicate`.
    pub async fn create_dwelling(
        &self,
        municipality: MunicipalityId,
        d: &ValidDwelling,
        status: DwellingStatus,
        status_from: Date,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        let id = insert(&mut tx, municipality, d, status, status_from)
            .await?
            .ok_or_else(|| StoreError::Duplicate("external_id".into()))?;
        let event = EventRecord {
            dwelling: &id,
            kind: "created",
            status: Some((status, status_from)),
            details: facts_json(d),
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a dwelling's facts if it is still at `version`. A taken external id is a `Duplicate`.
    pub async fn update_dwelling(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        d: &ValidDwelling,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let existing = locked(&mut tx, municipality, id).await?;
        if existing.version != version {
            return Err(StoreError::Conflict { expected: version });
        }
        if let Some(external_id) = d.external_id.as_deref()
            && existing.details.external_id.as_deref() != Some(external_id)
            && locked_by_external_id(&mut tx, municipality, external_id)
                .await?
                .is_some()
        {
            return Err(StoreError::Duplicate("external_id".into()));
        }
        let changed = changed_fields(&existing.details, d);
        if changed.is_empty() {
            return Ok(());
        }
        overwrite(&mut tx, municipality, id, d, false).await?;
        let event = EventRecord {
            dwelling: id,
            kind: "updated",
            status: None,
            details: json!({ "changed": changed }),
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a dwelling's status (already checked by the domain) if it is still at `version`.
    pub async fn set_dwelling_status(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        new: &StatusChange,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let existing = locked(&mut tx, municipality, id).await?;
        if existing.version != version {
            return Err(StoreError::Conflict { expected: version });
        }
        set_status_in(&mut tx, municipality, &existing, new, json!({}), change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Soft-deletes (`deleted`) or restores a dwelling if it is still at `version`.
    pub async fn set_dwelling_deleted(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: Option<i64>,
        deleted: bool,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let existing = locked(&mut tx, municipality, id).await?;
        if version.is_some_and(|v| v != existing.version) {
            return Err(StoreError::Conflict {
                expected: version.unwrap_or_default(),
            });
        }
        if existing.deleted == deleted {
            return Ok(());
        }
        let now = crate::now_micros();
        sqlx::query(
            "UPDATE dwelling SET deleted_at = $1, version = version + 1, updated_at = $2 \
             WHERE municipality_id = $3 AND id = $4",
        )
        .bind(deleted.then_some(now))
        .bind(now)
        .bind(municipality.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
        let event = EventRecord {
            dwelling: id,
            kind: if deleted { "deleted" } else { "restored" },
            status: None,
            details: json!({}),
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves one dwelling keyed by its external id (a property-management system's sync).
    pub async fn upsert_dwelling(
        &self,
        municipality: MunicipalityId,
        d: &ValidDwelling,
        today: Date,
        change: &Change<'_>,
    ) -> StoreResult<(String, Upserted)> {
        let mut tx = self.write().await?;
        let saved = upsert_in(&mut tx, municipality, d, today, change, "updated", Audit::Each).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Saves a checked import in one transaction: rows with an external id already in the
    /// register update it, the rest are new dwellings, vacant from `today`. All or nothing.
    pub async fn import_dwellings(
        &self,
        municipality: MunicipalityId,
        rows: &[ValidDwelling],
        today: Date,
        change: &Change<'_>,
    ) -> StoreResult<ImportCounts> {
        let mut tx = self.write().await?;
        let mut counts = ImportCounts::default();
        for d in rows {
            let outcome = if d.external_id.is_some() {
                upsert_in(&mut tx, municipality, d, today, change, "imported", Audit::Shared)
                    .await?
                    .1
            } else {
                let id = insert(&mut tx, municipality, d, DwellingStatus::Vacant, today)
                    .await?
                    .ok_or_else(|| StoreError::Duplicate("external_id".into()))?;
                let event = EventRecord {
                    dwelling: &id,
                    kind: "created",
                    status: Some((DwellingStatus::Vacant, today)),
                    details: facts_json(d),
                };
                record_with(&mut tx, municipality, event, change, Audit::Shared).await?;
                Upserted::Created
            };
            match outcome {
                Upserted::Created => counts.created += 1,
                Upserted::Updated | Upserted::Restored => counts.updated += 1,
                Upserted::Unchanged => counts.unchanged += 1,
            }
        }
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "dwelling.imported",
                resource_kind: "dwelling",
                resource_id: String::new(),
                details: json!({ "rows": rows.len(), "created": counts.created, "updated": counts.updated }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(counts)
    }
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE … ESCAPE '\'` pattern.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
