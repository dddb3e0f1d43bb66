//! People and households, and the case timeline they carry.
//!
//! Current state lives in ordinary rows; every change also appends a `case_event` (the timeline)
//! and an audit entry in the same transaction. Households use optimistic versioning: an update
//! names the version it was based on and fails with [`StoreError::Conflict`] if another change
//! came first.

use crate::audit::{self, Actor, Event};
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::municipalities::parse_id;
use crate::protection::PROTECTED;
use crate::{Store, date_text, parse_date_text};
use husly_domain::household::{Relation, ValidHousehold};
use husly_domain::national_id::NationalId;
use husly_domain::person::ValidPerson;
use husly_domain::protection::{AddressProtection, household_protection, mask_address};
use husly_domain::{HouseholdId, Lang, MunicipalityId, PersonId, UserId};
use sqlx::FromRow;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Person {
    pub id: PersonId,
    pub municipality_id: MunicipalityId,
    pub national_id: NationalId,
    pub id_kind: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: time::Date,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_language: Lang,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

#[derive(Debug, Clone)]
pub struct Member {
    pub person: Person,
    pub relation: Relation,
    /// The member's address block, if any.
    pub protection: Option<AddressProtection>,
}

#[derive(Debug, Clone)]
pub struct Household {
    pub id: HouseholdId,
    pub municipality_id: MunicipalityId,
    /// Empty when a member has an address block (masked, or for strengt fortrolig not stored).
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    /// The block that applies to the address: the strictest of the members'.
    pub protection: Option<AddressProtection>,
    pub from_date: time::Date,
    pub to_date: Option<time::Date>,
    pub version: i64,
    pub members: Vec<Member>,
}

impl Household {
    pub fn main_applicant(&self) -> Option<&Person> {
        self.members
            .iter()
            .find(|m| m.relation == Relation::MainApplicant)
            .map(|m| &m.person)
    }
}

#[derive(Debug, Clone)]
pub struct TimelineEvent {
    pub id: String,
    pub kind: String,
    pub actor_user_id: Option<String>,
    pub actor_name: Option<String>,
    pub reason: Option<String>,
    pub details: serde_json::Value,
    pub occurred_at: i64,
}

/// The columns `e.id, e.kind, e.actor_user_id, u.display_name, e.reason, e.details,
/// e.occurred_at` of a `case_event` joined with its actor, as a timeline entry.
impl sqlx::FromRow<'_, sqlx::any::AnyRow> for TimelineEvent {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<TimelineEvent> {
        let details: String = row.try_get("details")?;
        Ok(TimelineEvent {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            actor_user_id: row.try_get("actor_user_id")?,
            actor_name: row.try_get("display_name")?,
            reason: row.try_get("reason")?,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            occurred_at: row.try_get("occurred_at")?,
        })
    }
}

/// Who changes a household, and why (the "why" goes to the timeline and the audit log).
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub actor: &'a Actor,
    pub user: Option<UserId>,
    pub reason: Option<&'a str>,
}

pub(crate) const PERSON_COLUMNS: &str = "p.id, p.municipality_id, p.national_id, p.id_kind, p.given_name, p.family_name, \
     p.birth_date, p.phone, p.email, p.preferred_language";

/// The statement for a household and its members: one row per member (a household always has at
/// least one; the LEFT JOIN still finds one that somehow has none). The household's id is `$1`;
/// `municipality` is the municipality's placeholder or literal; `more` adds columns.
pub(crate) fn household_sql(municipality: &str, more: &str) -> String {
    format!(
        "SELECT h.address_line, h.postal_code, h.postal_city, h.from_date, h.to_date, h.version, \
         {PERSON_COLUMNS}, m.relation, pa.level AS protection{more} FROM household h \
         LEFT JOIN household_member m ON m.municipality_id = h.municipality_id AND m.household_id = h.id \
         LEFT JOIN person p ON p.id = m.person_id \
         LEFT JOIN address_protection pa ON pa.person_id = m.person_id \
         WHERE h.id = $1 AND h.municipality_id = {municipality} ORDER BY m.position"
    )
}

/// The household in the rows of [`household_sql`].
pub(crate) fn household_from_rows(
    municipality: MunicipalityId,
    id: HouseholdId,
    rows: &[sqlx::any::AnyRow],
) -> StoreResult<Household> {
    let row = rows.first().ok_or(StoreError::NotFound)?;
    let mut members = Vec::with_capacity(rows.len());
    for member in rows {
        if member.try_get::<Option<String>, _>("relation")?.is_some() {
            let protection: Option<String> = member.try_get("protection")?;
            members.push(Member {
                person: Person::from_row(member)?,
                relation: relation_of(member)?,
                protection: match protection {
                    Some(code) => Some(
                        AddressProtection::from_code(&code)
                            .ok_or_else(|| StoreError::Corrupt(format!("unknown address protection {code:?}")))?,
                    ),
                    None => None,
                },
            });
        }
    }
    let protection = household_protection(members.iter().map(|m| m.protection));
    let (mut address_line, mut postal_code, mut postal_city): (String, String, String) = (
        row.try_get("address_line")?,
        row.try_get("postal_code")?,
        row.try_get("postal_city")?,
    );
    mask_address(
        protection.is_some(),
        &mut [&mut address_line, &mut postal_code, &mut postal_city],
    );
    Ok(Household {
        id,
        municipality_id: municipality,
        address_line,
        postal_code,
        postal_city,
        protection,
        from_date: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
        to_date: crate::opt_date(row, "to_date")?,
        version: row.try_get("version")?,
        members,
    })
}

fn relation_of(row: &sqlx::any::AnyRow) -> StoreResult<Relation> {
    let code: String = row.try_get("relation")?;
    Relation::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown relation {code:?}")))
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Person {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Person> {
        let national_id: String = row.try_get("national_id")?;
        let language: String = row.try_get("preferred_language")?;
        Ok(Person {
            id: parse_id(&row.try_get::<String, _>("id")?)?,
            municipality_id: parse_id(&row.try_get::<String, _>("municipality_id")?)?,
            national_id: NationalId::from_trusted_digits(&national_id)
                .ok_or_else(|| StoreError::Corrupt("malformed identity number in the person table".into()))?,
            id_kind: row.try_get("id_kind")?,
            given_name: row.try_get("given_name")?,
            family_name: row.try_get("family_name")?,
            birth_date: parse_date_text(&row.try_get::<String, _>("birth_date")?)?,
            phone: row.try_get("phone")?,
            email: row.try_get("email")?,
            preferred_language: Lang::from_code(&language).unwrap_or_default(),
        })
    }
}

fn id_kind_code(person: &ValidPerson) -> &'static str {
    match person.id_kind {
        husly_domain::national_id::IdKind::Fodselsnummer => "fodselsnummer",
        husly_domain::national_id::IdKind::DNummer => "d_nummer",
    }
}

/// Finds the municipality's person with this number and refreshes their details, or creates them.
async fn upsert_person(
    tx: &mut Tx,
    municipality: MunicipalityId,
    person: &ValidPerson,
    now: i64,
) -> StoreResult<PersonId> {
    let existing = sqlx::query("SELECT id FROM person WHERE municipality_id = $1 AND national_id = $2")
        .bind(municipality.to_string())
        .bind(person.national_id.as_ref())
        .fetch_optional(tx.conn())
        .await?;
    let id = match existing {
        Some(row) => {
            let id: PersonId = parse_id(&row.try_get::<String, _>("id")?)?;
            sqlx::query(
                "UPDATE person SET given_name = $1, family_name = $2, birth_date = $3, phone = $4, email = $5, \
                 preferred_language = $6, id_kind = $7, updated_at = $8 WHERE id = $9 AND municipality_id = $10",
            )
            .bind(&person.given_name)
            .bind(&person.family_name)
            .bind(date_text(person.birth_date))
            .bind(&person.phone)
            .bind(&person.email)
            .bind(person.preferred_language.code())
            .bind(id_kind_code(person))
            .bind(now)
            .bind(id.to_string())
            .bind(municipality.to_string())
            .execute(tx.conn())
            .await?;
            // The partner's list orders by the consenting member's name, kept on the consent.
            sqlx::query("UPDATE consent SET sort_name = $1 WHERE person_id = $2 AND sort_name <> $1")
                .bind(format!("{} {}", person.family_name, person.given_name))
                .bind(id.to_string())
                .execute(tx.conn())
                .await?;
            id
        }
        None => {
            let id = PersonId::new();
            sqlx::query(
                "INSERT INTO person (id, municipality_id, national_id, id_kind, given_name, family_name, birth_date, \
                 phone, email, preferred_language, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            )
            .bind(id.to_string())
            .bind(municipality.to_string())
            .bind(person.national_id.as_ref())
            .bind(id_kind_code(person))
            .bind(&person.given_name)
            .bind(&person.family_name)
            .bind(date_text(person.birth_date))
            .bind(&person.phone)
            .bind(&person.email)
            .bind(person.preferred_language.code())
            .bind(now)
            .execute(tx.conn())
            .await?;
            id
        }
    };
    crate::search::index_person(tx, municipality, id, &person.given_name, &person.family_name).await?;
    Ok(id)
}

async fn insert_members(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    input: &ValidHousehold,
    now: i64,
) -> StoreResult<Vec<PersonId>> {
    let mut ids = Vec::with_capacity(input.members.len());
    for (position, member) in input.members.iter().enumerate() {
        let person = upsert_person(tx, municipality, &member.person, now).await?;
        sqlx::query(
            "INSERT INTO household_member (household_id, person_id, municipality_id, relation, position) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(household.to_string())
        .bind(person.to_string())
        .bind(municipality.to_string())
        .bind(member.relation.code())
        .bind(position as i64)
        .execute(tx.conn())
        .await?;
        ids.push(person);
    }
    Ok(ids)
}

async fn append_event(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    kind: &str,
    change: &Change<'_>,
    details: serde_json::Value,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO case_event (id, municipality_id, household_id, kind, actor_user_id, reason, details, occurred_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(municipality.to_string())
    .bind(household.to_string())
    .bind(kind)
    .bind(change.user.map(|u| u.to_string()))
    .bind(change.reason)
    .bind(details.to_string())
    .bind(crate::now_micros())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Locks the household row inside the caller's transaction (`FOR UPDATE` on PostgreSQL; SQLite's
/// write transactions are serial) after checking it is the municipality's: the guard of a rule
/// over all of a household's records (stays that never share a night, one active follow-up plan).
pub(crate) async fn lock_household(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> StoreResult<()> {
    let sql = format!(
        "SELECT id FROM household WHERE municipality_id = $1 AND id = $2{}",
        crate::db::for_update(tx.backend())
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

/// A change to a household goes to its timeline and to the audit log, in the caller's transaction.
pub(crate) async fn record_change(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    (event_kind, audit_action): (&str, &'static str),
    change: &Change<'_>,
    details: serde_json::Value,
) -> StoreResult<()> {
    append_event(tx, municipality, household, event_kind, change, details.clone()).await?;
    audit::append(
        tx,
        change.actor,
        household_event(municipality, audit_action, household, details),
    )
    .await
}

fn household_event(
    municipality: MunicipalityId,
    action: &'static str,
    household: HouseholdId,
    details: serde_json::Value,
) -> Event<'static> {
    Event {
        municipality: Some(municipality),
        action,
        resource_kind: "household",
        resource_id: household.to_string(),
        details,
    }
}

/// Registers a household inside the caller's transaction (self-service submits the household and
/// its application together).
pub(crate) async fn create_household_in(
    tx: &mut Tx,
    municipality: MunicipalityId,
    input: &ValidHousehold,
    change: &Change<'_>,
) -> StoreResult<HouseholdId> {
    let id = HouseholdId::new();
    let now = crate::now_micros();
    sqlx::query(
        "INSERT INTO household (id, municipality_id, address_line, postal_code, postal_city, from_date, to_date, \
         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
    )
    .bind(id.to_string())
    .bind(municipality.to_string())
    .bind(&input.address_line)
    .bind(&input.postal_code)
    .bind(&input.postal_city)
    .bind(date_text(input.from_date))
    .bind(input.to_date.map(date_text))
    .bind(now)
    .execute(tx.conn())
    .await?;
    let address = (
        input.address_line.as_str(),
        input.postal_code.as_str(),
        input.postal_city.as_str(),
    );
    let members = insert_members(tx, municipality, id, input, now).await?;
    crate::protection::erase_if_strictly_protected(tx, municipality, id).await?;
    crate::search::index_household(tx, municipality, id, address).await?;
    let details = serde_json::json!({ "members": members });
    record_change(
        tx,
        municipality,
        id,
        ("household.registered", "household.create"),
        change,
        details,
    )
    .await?;
    Ok(id)
}

impl Store {
    pub async fn create_household(
        &self,
        municipality: MunicipalityId,
        input: &ValidHousehold,
        change: &Change<'_>,
    ) -> StoreResult<HouseholdId> {
        let mut tx = self.write().await?;
        let id = create_household_in(&mut tx, municipality, input, change).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a household's address, period and members, if nobody changed it since `expected_version`.
    pub async fn update_household(
        &self,
        municipality: MunicipalityId,
        id: HouseholdId,
        expected_version: i64,
        input: &ValidHousehold,
        change: &Change<'_>,
    ) -> StoreResult<i64> {
        let before = self.household(municipality, id).await?;
        let now = crate::now_micros();
        let mut tx = self.write().await?;
        // The address as stored (the read above masks a protected one).
        let stored = crate::protection::read_address(tx.conn(), municipality, id).await?;
        let updated = sqlx::query(
            "UPDATE household SET address_line = $1, postal_code = $2, postal_city = $3, from_date = $4, to_date = $5, \
             version = version + 1, updated_at = $6 WHERE id = $7 AND municipality_id = $8 AND version = $9",
        )
        .bind(&input.address_line)
        .bind(&input.postal_code)
        .bind(&input.postal_city)
        .bind(date_text(input.from_date))
        .bind(input.to_date.map(date_text))
        .bind(now)
        .bind(id.to_string())
        .bind(municipality.to_string())
        .bind(expected_version)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict {
                expected: expected_version,
            });
        }
        let address = (
            input.address_line.as_str(),
            input.postal_code.as_str(),
            input.postal_city.as_str(),
        );
        sqlx::query("DELETE FROM household_member WHERE household_id = $1 AND municipality_id = $2")
            .bind(id.to_string())
            .bind(municipality.to_string())
            .execute(tx.conn())
            .await?;
        let after = insert_members(&mut tx, municipality, id, input, now).await?;
        crate::protection::erase_if_strictly_protected(&mut tx, municipality, id).await?;
        crate::search::index_household(&mut tx, municipality, id, address).await?;
        let old: Vec<PersonId> = before.members.iter().map(|m| m.person.id).collect();
        let details = serde_json::json!({
            "address_changed": stored.address_line != input.address_line
                || stored.postal_code != input.postal_code
                || stored.postal_city != input.postal_city,
            "period_changed": before.from_date != input.from_date || before.to_date != input.to_date,
            "members_added": after.iter().filter(|p| !old.contains(p)).collect::<Vec<_>>(),
            "members_removed": old.iter().filter(|p| !after.contains(p)).collect::<Vec<_>>(),
        });
        record_change(
            &mut tx,
            municipality,
            id,
            ("household.updated", "household.update"),
            change,
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    /// Reads a household with its members. Not audited here: callers audit the read for the
    /// person who asked ([`Store::audit`]), because only they know who and why.
    pub async fn household(&self, municipality: MunicipalityId, id: HouseholdId) -> StoreResult<Household> {
        let sql = household_sql("$2", "");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .bind(municipality.to_string())
            .fetch_all(&mut self.key_read().await?)
            .await?;
        household_from_rows(municipality, id, &rows)
    }

    /// The household's timeline, newest first.
    pub async fn timeline(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<TimelineEvent>> {
        let rows = sqlx::query_as(
            "SELECT e.id, e.kind, e.actor_user_id, u.display_name, e.reason, e.details, e.occurred_at \
             FROM case_event e LEFT JOIN app_user u ON u.id = e.actor_user_id \
             WHERE e.municipality_id = $1 AND e.household_id = $2 ORDER BY e.occurred_at DESC, e.id DESC LIMIT 200",
        )
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(&mut self.key_read().await?)
        .await?;
        Ok(rows)
    }

    pub async fn person(
        &self,
        municipality: MunicipalityId,
        id: PersonId,
    ) -> StoreResult<(Person, Vec<(crate::search::HouseholdRef, Relation)>)> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM person p WHERE p.id = $1 AND p.municipality_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .bind(municipality.to_string())
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        let person = Person::from_row(&row)?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT h.id, h.address_line, m.relation, {PROTECTED} FROM household_member m \
                 JOIN household h ON h.id = m.household_id \
                 WHERE m.municipality_id = $1 AND m.person_id = $2 ORDER BY h.from_date DESC"
        )))
        .bind(municipality.to_string())
        .bind(id.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut households = Vec::with_capacity(rows.len());
        for row in rows {
            let mut address_line: String = row.try_get("address_line")?;
            let address_protected = crate::protection::masked(&row, &mut [&mut address_line])?;
            let household = crate::search::HouseholdRef {
                id: parse_id(&row.try_get::<String, _>("id")?)?,
                address_line,
                address_protected,
            };
            households.push((household, relation_of(&row)?));
        }
        Ok((person, households))
    }

    pub async fn count_households(&self, municipality: MunicipalityId) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM household WHERE municipality_id = $1")
            .bind(municipality.to_string())
            .fetch_one(&mut *self.conn().await?)
            .await?;
        Ok(row.try_get("n")?)
    }
}

impl Store {
    /// The municipality a household belongs to, so the caller can be authorised before reading it.
    pub async fn household_municipality(&self, id: HouseholdId) -> StoreResult<Option<MunicipalityId>> {
        self.owner_of(id.0, "SELECT municipality_id FROM household WHERE id = $1")
            .await
    }

    /// The municipality a person record belongs to.
    pub async fn person_municipality(&self, id: PersonId) -> StoreResult<Option<MunicipalityId>> {
        self.owner_of(id.0, "SELECT municipality_id FROM person WHERE id = $1")
            .await
    }

    /// A record's municipality never changes, so it is remembered once found; every later read
    /// of the record itself still filters by municipality.
    pub(crate) async fn owner_of(&self, id: uuid::Uuid, sql: &'static str) -> StoreResult<Option<MunicipalityId>> {
        if let Some(known) = self
            .shared
            .owners
            .lock()
            .ok()
            .and_then(|owners| owners.get(&id).copied())
        {
            return Ok(Some(known));
        }
        let row = sqlx::query(sql)
            .bind(id.to_string())
            .fetch_optional(&mut self.key_read().await?)
            .await?;
        let owner: Option<MunicipalityId> = row
            .map(|r| parse_id(&r.try_get::<String, _>("municipality_id")?))
            .transpose()?;
        if let (Some(owner), Ok(mut owners)) = (owner, self.shared.owners.lock()) {
            // Bounded: start over rather than grow without limit.
            if owners.len() >= crate::db::OWNER_CACHE_ENTRIES {
                owners.clear();
            }
            owners.insert(id, owner);
        }
        Ok(owner)
    }
}
