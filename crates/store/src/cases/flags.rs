//! Possible duplicates: found when a case is registered, linked or dismissed by a caseworker with
//! a reason; records are never merged.

use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use sqlx::Row;

use super::{case_event, read_case};
use crate::Store;
use crate::db::Tx;
use crate::error::StoreResult;
use crate::households::Change;
use crate::municipalities::parse_id;

/// A possible duplicate found when the case was registered.
#[derive(Debug, Clone, PartialEq, Eq)]
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
pub(super) async fn flag_duplicates(
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
        let rows = sqlx::query_as(
            "SELECT f.id, f.kind, p.given_name, p.family_name, f.other_case_id, oc.reference, f.other_household_id, \
             f.status, f.resolution_reason FROM case_flag f JOIN person p ON p.id = f.person_id \
             LEFT JOIN application_case oc ON oc.id = f.other_case_id \
             WHERE f.municipality_id = $1 AND f.case_id = $2 ORDER BY f.created_at, f.id",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_all(&mut self.key_read().await?)
        .await?;
        Ok(rows)
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
            // A flag of this case that is no longer open was resolved by someone else first.
            return Err(super::unchanged_row(&mut tx, "case_flag", &case, flag).await?);
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

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Flag {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Flag> {
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
    }
}
