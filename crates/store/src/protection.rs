//! Protected addresses (schema 33): the members' address blocks, set and lifted as household
//! events with their audit entries, and the few reads that see an address unmasked. No rule
//! here: `husly_domain::protection` checks a block, decides the household's level and masks.
//!
//! Every other read of a household's address selects [`PROTECTED`] beside it (or
//! `protected_sql!` for another alias), or reads the same flag kept in `household_display`
//! (schema 49, whose view states this condition for the triggers; the work queue and the
//! search's households), and passes it through `husly_domain::protection::mask_address`.

use husly_domain::protection::{AddressProtection, ContactRoute, ProtectionFields, RevealPurpose};
use husly_domain::{HouseholdId, MunicipalityId, PersonId};
use serde_json::json;
use sqlx::Row;

use crate::Store;
use crate::audit::{Actor, Event};
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::{Change, lock_household, record_change};
use crate::municipalities::parse_id;

/// Whether anyone in the household named by the column `$household` (in municipality column
/// `$municipality`) has an address block, selected as `address_protected`: a string literal,
/// so that constant column lists can hold it. The join names the municipality so that a list of
/// many households can look the few protected people up by `household_member`'s person index
/// (PostgreSQL hashes the subquery once) instead of reading the whole member table.
macro_rules! protected_sql {
    ($municipality:literal, $household:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM household_member pm JOIN address_protection pa \
             ON pa.municipality_id = pm.municipality_id AND pa.person_id = pm.person_id \
             WHERE pm.municipality_id = ",
            $municipality,
            " AND pm.household_id = ",
            $household,
            ") AS address_protected"
        )
    };
}
pub(crate) use protected_sql;

/// [`protected_sql`] for the household aliased `h`.
pub const PROTECTED: &str = protected_sql!("h.municipality_id", "h.id");

/// Reads the `address_protected` column that [`PROTECTED`] selects (SQLite gives an integer,
/// PostgreSQL a boolean).
pub fn protected_of(row: &sqlx::any::AnyRow) -> sqlx::Result<bool> {
    Ok(match row.try_get::<bool, _>("address_protected") {
        Ok(flag) => flag,
        Err(_) => row.try_get::<i64, _>("address_protected")? != 0,
    })
}

/// Masks the household address parts of a row read with [`PROTECTED`]; returns the flag.
pub fn masked(row: &sqlx::any::AnyRow, parts: &mut [&mut String]) -> sqlx::Result<bool> {
    Ok(husly_domain::protection::mask_address(protected_of(row)?, parts))
}

/// A member's address block as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonProtection {
    pub person: PersonId,
    pub level: AddressProtection,
    /// Where letters go, for strengt fortrolig.
    pub contact_route: Option<ContactRoute>,
    pub reason: String,
    /// The worker who recorded it, and when (microseconds).
    pub recorded_by: String,
    pub recorded_at: i64,
}

/// A household's address as stored: only for the audited reveal and for letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAddress {
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
}

fn protection_of(row: &sqlx::any::AnyRow) -> StoreResult<PersonProtection> {
    let level: String = row.try_get("level")?;
    let level = AddressProtection::from_code(&level)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown address protection {level:?}")))?;
    let line: Option<String> = row.try_get("contact_line")?;
    let contact_route = match line {
        Some(address_line) => Some(ContactRoute {
            address_line,
            postal_code: row
                .try_get::<Option<String>, _>("contact_postal_code")?
                .unwrap_or_default(),
            postal_city: row
                .try_get::<Option<String>, _>("contact_postal_city")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(PersonProtection {
        person: parse_id(&row.try_get::<String, _>("person_id")?)?,
        level,
        contact_route,
        reason: row.try_get("reason")?,
        recorded_by: row.try_get("display_name")?,
        recorded_at: row.try_get("recorded_at")?,
    })
}

/// Whether anyone in the household has a block, in the caller's transaction.
pub(crate) async fn household_is_protected(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> StoreResult<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM household_member pm JOIN address_protection pa ON pa.person_id = pm.person_id \
         WHERE pm.municipality_id = $1 AND pm.household_id = $2",
    )
    .bind(municipality.to_string())
    .bind(household.to_string())
    .fetch_one(tx.conn())
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Erases the household's address when a member has strengt fortrolig adresse (the domain's
/// strictest block decides), in the caller's transaction: a household registered or changed
/// with such a member keeps no address either.
pub(crate) async fn erase_if_strictly_protected(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> StoreResult<()> {
    let rows = sqlx::query(
        "SELECT pa.level FROM household_member pm JOIN address_protection pa ON pa.person_id = pm.person_id \
         WHERE pm.municipality_id = $1 AND pm.household_id = $2",
    )
    .bind(municipality.to_string())
    .bind(household.to_string())
    .fetch_all(tx.conn())
    .await?;
    let levels = rows
        .iter()
        .map(|row| {
            row.try_get::<String, _>("level")
                .map(|code| AddressProtection::from_code(&code))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if husly_domain::protection::household_protection(levels) == Some(AddressProtection::StrengtFortrolig) {
        sqlx::query(
            "UPDATE household SET address_line = '', postal_code = '', postal_city = '' \
             WHERE municipality_id = $1 AND id = $2",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Empties the address words of every protected household (after the index is rebuilt).
pub(crate) async fn unindex_protected(tx: &mut Tx) -> StoreResult<()> {
    sqlx::query(
        "UPDATE household_search SET words = '', pairs = '', sort_key = '' WHERE household_id IN (SELECT pm.household_id \
         FROM household_member pm JOIN address_protection pa \
         ON pa.municipality_id = pm.municipality_id AND pa.person_id = pm.person_id)",
    )
    .execute(tx.conn())
    .await?;
    Ok(())
}

impl Store {
    /// The household's members' address blocks, in the members' order.
    pub async fn household_protections(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<PersonProtection>> {
        let rows = sqlx::query(
            "SELECT pa.person_id, pa.level, pa.contact_line, pa.contact_postal_code, pa.contact_postal_city, \
             pa.reason, u.display_name, pa.recorded_at FROM household_member pm \
             JOIN address_protection pa ON pa.person_id = pm.person_id JOIN app_user u ON u.id = pa.recorded_by \
             WHERE pm.municipality_id = $1 AND pm.household_id = $2 ORDER BY pm.position",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(protection_of).collect()
    }

    /// Sets (or changes) a member's block. With `erase_address` (strengt fortrolig) the
    /// household's address is erased in the same transaction. The household's address words
    /// leave the search index while anyone has a block. `NotFound` when the person is not a
    /// member of the household.
    pub async fn protect_person(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        fields: &ProtectionFields,
        erase_address: bool,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("an address block is recorded by a user".into()))?;
        let route = fields.contact_route.as_ref();
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        let member = sqlx::query(
            "SELECT 1 AS one FROM household_member WHERE municipality_id = $1 AND household_id = $2 AND person_id = $3",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(fields.person.to_string())
        .fetch_optional(tx.conn())
        .await?;
        if member.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "INSERT INTO address_protection (person_id, municipality_id, level, contact_line, contact_postal_code, \
             contact_postal_city, reason, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (person_id) DO UPDATE SET level = excluded.level, contact_line = excluded.contact_line, \
             contact_postal_code = excluded.contact_postal_code, contact_postal_city = excluded.contact_postal_city, \
             reason = excluded.reason, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        )
        .bind(fields.person.to_string())
        .bind(municipality.to_string())
        .bind(fields.level.code())
        .bind(route.map(|r| r.address_line.clone()))
        .bind(route.map(|r| r.postal_code.clone()))
        .bind(route.map(|r| r.postal_city.clone()))
        .bind(&fields.reason)
        .bind(user.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        if erase_address {
            sqlx::query(
                "UPDATE household SET address_line = '', postal_code = '', postal_city = '', version = version + 1, \
                 updated_at = $1 WHERE municipality_id = $2 AND id = $3",
            )
            .bind(crate::now_micros())
            .bind(municipality.to_string())
            .bind(household.to_string())
            .execute(tx.conn())
            .await?;
        }
        sqlx::query("UPDATE household_search SET words = '', pairs = '', sort_key = '' WHERE household_id = $1")
            .bind(household.to_string())
            .execute(tx.conn())
            .await?;
        // The reason is the worker's words about a person's safety: kept on the row only.
        let details = json!({
            "person": fields.person.to_string(), "level": fields.level.code(), "address_erased": erase_address,
        });
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.address_protected", "household.address_protection"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Lifts a member's block, with the reason (on the household's timeline). The household's
    /// address returns to the search index when no one in it has a block any more. `NotFound`
    /// when the member has none.
    pub async fn lift_protection(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        person: PersonId,
        change: &Change<'_>,
    ) -> StoreResult<AddressProtection> {
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        let row = sqlx::query(
            "SELECT pa.level FROM address_protection pa JOIN household_member pm ON pm.person_id = pa.person_id \
             WHERE pm.municipality_id = $1 AND pm.household_id = $2 AND pa.person_id = $3",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(person.to_string())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
        let level: String = row.try_get("level")?;
        let level = AddressProtection::from_code(&level)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown address protection {level:?}")))?;
        sqlx::query("DELETE FROM address_protection WHERE person_id = $1 AND municipality_id = $2")
            .bind(person.to_string())
            .bind(municipality.to_string())
            .execute(tx.conn())
            .await?;
        if !household_is_protected(&mut tx, municipality, household).await? {
            let address = read_address(tx.conn(), municipality, household).await?;
            crate::search::index_household(
                &mut tx,
                municipality,
                household,
                (&address.address_line, &address.postal_code, &address.postal_city),
            )
            .await?;
        }
        let details = json!({ "person": person.to_string(), "level": level.code() });
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.address_protection_lifted", "household.address_protection"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(level)
    }

    /// The household's address as stored, unmasked: the one read for a user who opens a
    /// protected address. It is audited here, in the same transaction, with the stated purpose,
    /// so no address is ever shown without its entry.
    pub async fn reveal_address(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        purpose: RevealPurpose,
        actor: &Actor,
    ) -> StoreResult<StoredAddress> {
        let mut tx = self.write().await?;
        let address = read_address(tx.conn(), municipality, household).await?;
        crate::audit::append(
            &mut tx,
            actor,
            Event {
                municipality: Some(municipality),
                action: "household.address_reveal",
                resource_kind: "household",
                resource_id: household.to_string(),
                details: json!({ "purpose": purpose.code() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(address)
    }

    /// The household's address as stored, unmasked and unaudited: only to keep it when a
    /// protected household is edited with the (masked, empty) address fields left empty. Never
    /// shown.
    pub async fn stored_address(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<StoredAddress> {
        let mut conn = self.conn().await?;
        read_address(&mut conn, municipality, household).await
    }

    /// Where the household's letters go: its stored address, or, while a member has strengt
    /// fortrolig adresse, the contact route recorded with that block (the first in the members'
    /// order). Used only to address letters; never shown on a page.
    pub async fn letter_address(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<StoredAddress> {
        let route = sqlx::query(
            "SELECT pa.contact_line, pa.contact_postal_code, pa.contact_postal_city FROM household_member pm \
             JOIN address_protection pa ON pa.person_id = pm.person_id \
             WHERE pm.municipality_id = $1 AND pm.household_id = $2 AND pa.level = 'strengt_fortrolig' \
             ORDER BY pm.position LIMIT 1",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        if let Some(row) = route {
            return Ok(StoredAddress {
                address_line: row.try_get::<Option<String>, _>("contact_line")?.unwrap_or_default(),
                postal_code: row
                    .try_get::<Option<String>, _>("contact_postal_code")?
                    .unwrap_or_default(),
                postal_city: row
                    .try_get::<Option<String>, _>("contact_postal_city")?
                    .unwrap_or_default(),
            });
        }
        let mut conn = self.conn().await?;
        read_address(&mut conn, municipality, household).await
    }
}

pub(crate) async fn read_address(
    conn: &mut sqlx::AnyConnection,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> StoreResult<StoredAddress> {
    let row = sqlx::query(
        "SELECT address_line, postal_code, postal_city FROM household WHERE municipality_id = $1 AND id = $2",
    )
    .bind(municipality.to_string())
    .bind(household.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(StoredAddress {
        address_line: row.try_get("address_line")?,
        postal_code: row.try_get("postal_code")?,
        postal_city: row.try_get("postal_city")?,
    })
}
