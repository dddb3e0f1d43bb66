//! Consents to share with partner organisations (schema 31): recorded and withdrawn as household
//! events with their audit entries; read for the household's page, for the partner's list and
//! for the partner's access. No rule here: the domain checks a consent
//! (`husly_domain::consent`) and decides what is in force.

use futures_util::TryStreamExt;
use husly_domain::consent::{ConsentCategory, ConsentEvidence, ConsentFields, GivenBy};
use husly_domain::{HouseholdId, MunicipalityId, PersonId, UserId};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::{Change, lock_household, record_change};
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

/// A withdrawal: when (microseconds), by which worker (`None`: by the person, in
/// self-service), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub at: i64,
    pub by: Option<String>,
    pub reason: String,
}

/// A consent as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub id: String,
    pub household: HouseholdId,
    pub person: PersonId,
    /// The name of the member who gave it.
    pub person_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub purpose: String,
    pub categories: Vec<ConsentCategory>,
    pub valid_from: Date,
    pub valid_to: Date,
    pub evidence: ConsentEvidence,
    pub given_by: GivenBy,
    pub guardian: Option<String>,
    /// The worker who recorded it (`None`: the person gave it in self-service), and when
    /// (microseconds).
    pub recorded_by: Option<String>,
    pub recorded_at: i64,
    pub withdrawal: Option<Withdrawal>,
}

const COLUMNS: &str = "c.id, c.household_id, c.person_id, p.given_name, p.family_name, c.organisation_id, \
     o.name AS organisation_name, c.purpose, c.categories, c.valid_from, c.valid_to, c.evidence, c.given_by, \
     c.guardian, r.display_name AS recorded_by, c.recorded_at, c.withdrawn_at, w.display_name AS withdrawn_by, \
     c.withdraw_reason FROM consent c JOIN person p ON p.id = c.person_id \
     JOIN partner_organisation o ON o.id = c.organisation_id LEFT JOIN app_user r ON r.id = c.recorded_by \
     LEFT JOIN app_user w ON w.id = c.withdrawn_by";

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {code:?}"))
}

fn consent(row: &sqlx::any::AnyRow) -> StoreResult<Consent> {
    let categories: String = row.try_get("categories")?;
    let evidence: String = row.try_get("evidence")?;
    let given_by: String = row.try_get("given_by")?;
    let withdrawn_at: Option<i64> = row.try_get("withdrawn_at")?;
    Ok(Consent {
        id: row.try_get("id")?,
        household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        person: PersonId(parse_id(&row.try_get::<String, _>("person_id")?)?),
        person_name: format!(
            "{} {}",
            row.try_get::<String, _>("given_name")?,
            row.try_get::<String, _>("family_name")?
        ),
        organisation_id: row.try_get("organisation_id")?,
        organisation_name: row.try_get("organisation_name")?,
        purpose: row.try_get("purpose")?,
        categories: categories
            .split_whitespace()
            .map(|c| ConsentCategory::from_code(c).ok_or_else(|| corrupt("consent category", c)))
            .collect::<StoreResult<_>>()?,
        valid_from: parse_date_text(&row.try_get::<String, _>("valid_from")?)?,
        valid_to: parse_date_text(&row.try_get::<String, _>("valid_to")?)?,
        evidence: ConsentEvidence::from_code(&evidence).ok_or_else(|| corrupt("consent evidence", &evidence))?,
        given_by: GivenBy::from_code(&given_by).ok_or_else(|| corrupt("consent giver", &given_by))?,
        guardian: row.try_get("guardian")?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: row.try_get("recorded_at")?,
        withdrawal: match withdrawn_at {
            Some(at) => Some(Withdrawal {
                at,
                by: row.try_get("withdrawn_by")?,
                reason: row.try_get::<Option<String>, _>("withdraw_reason")?.unwrap_or_default(),
            }),
            None => None,
        },
    })
}

/// Inserts a consent of the household's member inside the caller's transaction, with its
/// household event and audit entry; `user` is the worker who records it (`None`: the person in
/// self-service). The member and the organisation are checked here, so a member removed or an
/// organisation of another municipality is never written.
pub(crate) async fn insert_consent(
    tx: &mut Tx,
    (municipality, household): (MunicipalityId, HouseholdId),
    fields: &ConsentFields,
    user: Option<UserId>,
    change: &Change<'_>,
) -> StoreResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let inserted = sqlx::query(
        "INSERT INTO consent (id, municipality_id, household_id, person_id, organisation_id, purpose, categories, \
         valid_from, valid_to, evidence, given_by, guardian, recorded_by, recorded_at, sort_name) \
         SELECT $1, $2, $3, hm.person_id, o.id, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
         p.family_name || ' ' || p.given_name \
         FROM household_member hm JOIN partner_organisation o ON o.id = $5 AND o.municipality_id = $2 \
         JOIN person p ON p.id = hm.person_id \
         WHERE hm.municipality_id = $2 AND hm.household_id = $3 AND hm.person_id = $4",
    )
    .bind(&id)
    .bind(municipality.to_string())
    .bind(household.to_string())
    .bind(fields.person.to_string())
    .bind(&fields.organisation)
    .bind(&fields.purpose)
    .bind(codes(&fields.categories))
    .bind(date_text(fields.valid_from))
    .bind(date_text(fields.valid_to))
    .bind(fields.evidence.code())
    .bind(fields.given_by.code())
    .bind(fields.guardian.as_deref())
    .bind(user.map(|u| u.to_string()))
    .bind(crate::now_micros())
    .execute(tx.conn())
    .await?;
    if inserted.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    // The purpose is the worker's words about a person's situation: kept on the row only.
    let details = json!({
        "consent": id, "person": fields.person.to_string(), "organisation": fields.organisation,
        "categories": codes(&fields.categories), "valid_from": date_text(fields.valid_from),
        "valid_to": date_text(fields.valid_to), "evidence": fields.evidence.code(),
        "given_by": fields.given_by.code(),
    });
    record_change(
        tx,
        municipality,
        household,
        ("household.consent_recorded", "household.consent"),
        change,
        details,
    )
    .await?;
    Ok(id)
}

fn codes(categories: &[ConsentCategory]) -> String {
    categories.iter().map(|c| c.code()).collect::<Vec<_>>().join(" ")
}

impl Store {
    /// The household's consents, the newest first.
    pub async fn consents_of_household(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> StoreResult<Vec<Consent>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE c.municipality_id = $1 AND c.household_id = $2 ORDER BY c.recorded_at DESC, c.id DESC"
        )))
        .bind(municipality.to_string())
        .bind(household.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(consent).collect()
    }

    /// The consents to `organisation` for one household that have not ended by `day` (withdrawn
    /// or past their last day): the partner's access. The caller decides which are in force.
    pub async fn consents_to_organisation(
        &self,
        municipality: MunicipalityId,
        organisation: &str,
        household: HouseholdId,
        day: Date,
    ) -> StoreResult<Vec<Consent>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE c.municipality_id = $1 AND c.organisation_id = $2 AND c.household_id = $3 \
             AND c.valid_to >= $4 AND c.withdrawn_at IS NULL ORDER BY c.valid_from, c.id"
        )))
        .bind(municipality.to_string())
        .bind(organisation)
        .bind(household.to_string())
        .bind(date_text(day))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(consent).collect()
    }

    /// [`Store::consents_to_organisation`] for many households at once (the partner's referral
    /// queue): one query per 500 households.
    pub async fn consents_to_organisation_of(
        &self,
        municipality: MunicipalityId,
        organisation: &str,
        households: &[HouseholdId],
        day: Date,
    ) -> StoreResult<Vec<Consent>> {
        let mut found = Vec::new();
        for chunk in households.chunks(500) {
            let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect();
            let sql = format!(
                "SELECT {COLUMNS} WHERE c.municipality_id = $1 AND c.organisation_id = $2 AND c.valid_to >= $3 \
                 AND c.withdrawn_at IS NULL AND c.household_id IN ({}) ORDER BY c.household_id, c.valid_from, c.id",
                list.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(municipality.to_string())
                .bind(organisation)
                .bind(date_text(day));
            for household in chunk {
                query = query.bind(household.to_string());
            }
            for row in query.fetch_all(&mut *self.conn().await?).await? {
                found.push(consent(&row)?);
            }
        }
        Ok(found)
    }

    /// A page of the households with a consent to `organisation` in force on `day`, by the name
    /// of the member who gave it: how many there are in all, and the page's consents in force
    /// (the page's households in order, each with its consents).
    pub async fn consenting_households(
        &self,
        municipality: MunicipalityId,
        organisation: &str,
        day: Date,
        (offset, limit): (u64, u64),
    ) -> StoreResult<(u64, Vec<Consent>)> {
        const IN_FORCE: &str = "c.municipality_id = $1 AND c.organisation_id = $2 AND c.valid_from <= $3 \
             AND c.valid_to >= $3 AND c.withdrawn_at IS NULL";
        let (m, day) = (municipality.to_string(), date_text(day));
        let total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(DISTINCT c.household_id) AS n FROM consent c WHERE {IN_FORCE}"
        )))
        .bind(&m)
        .bind(organisation)
        .bind(&day)
        .fetch_one(&mut *self.conn().await?)
        .await?
        .try_get("n")?;
        // In list order from the front of `consent_list`: a household comes first with its
        // consent of the lowest name; the page's households are the distinct ones from
        // `offset` on, so only the rows up to the page's end are read.
        let mut conn = self.conn().await?;
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.household_id FROM consent c WHERE {IN_FORCE} ORDER BY c.sort_name, c.household_id"
        )))
        .bind(&m)
        .bind(organisation)
        .bind(&day)
        .fetch(&mut *conn);
        let (mut seen, mut page) = (std::collections::HashSet::new(), Vec::new());
        while let Some(row) = rows.try_next().await? {
            let household: String = row.try_get("household_id")?;
            if seen.insert(household.clone()) && seen.len() as u64 > offset {
                page.push(household);
                if page.len() as u64 >= limit {
                    break;
                }
            }
        }
        drop(rows);
        drop(conn);
        if page.is_empty() {
            return Ok((u64::try_from(total).unwrap_or(0), Vec::new()));
        }
        let wanted: Vec<String> = (0..page.len()).map(|i| format!("${}", i + 4)).collect();
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE {IN_FORCE} AND c.household_id IN ({}) ORDER BY c.valid_from, c.id",
            wanted.join(", ")
        )))
        .bind(&m)
        .bind(organisation)
        .bind(&day);
        for household in &page {
            query = query.bind(household);
        }
        let mut consents: Vec<Consent> = query
            .fetch_all(&mut *self.conn().await?)
            .await?
            .iter()
            .map(consent)
            .collect::<StoreResult<_>>()?;
        consents.sort_by_key(|c| page.iter().position(|h| *h == c.household.to_string()));
        Ok((u64::try_from(total).unwrap_or(0), consents))
    }

    /// Records a consent the household's member gave; returns its id. `NotFound` for a
    /// household not of `municipality`.
    pub async fn record_consent(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        fields: &ConsentFields,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = change
            .user
            .ok_or_else(|| StoreError::Invalid("a consent is recorded by a user".into()))?;
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        let id = insert_consent(&mut tx, (municipality, household), fields, Some(user), change).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Withdraws the household's consent `id` now, with the reason, by a worker (`change.user`)
    /// or by the person in self-service (no user); returns it as it now stands. `NotFound` when
    /// it is not the household's; `Conflict` when it is withdrawn already.
    pub async fn withdraw_consent(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
        id: &str,
        reason: &str,
        change: &Change<'_>,
    ) -> StoreResult<Consent> {
        let user = change.user.map(|u| u.to_string());
        let mut tx = self.write().await?;
        lock_household(&mut tx, municipality, household).await?;
        let updated = sqlx::query(
            "UPDATE consent SET withdrawn_at = $1, withdrawn_by = $2, withdraw_reason = $3 \
             WHERE municipality_id = $4 AND household_id = $5 AND id = $6 AND withdrawn_at IS NULL",
        )
        .bind(crate::now_micros())
        .bind(user)
        .bind(reason)
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
        let kept = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE c.municipality_id = $1 AND c.household_id = $2 AND c.id = $3"
        )))
        .bind(municipality.to_string())
        .bind(household.to_string())
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(consent)
        .transpose()?
        .ok_or(StoreError::NotFound)?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { expected: 0 });
        }
        let details = json!({ "consent": id, "organisation": kept.organisation_id });
        record_change(
            &mut tx,
            municipality,
            household,
            ("household.consent_withdrawn", "household.consent"),
            &Change {
                reason: Some(reason),
                ..*change
            },
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(kept)
    }
}
