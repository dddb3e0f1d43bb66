//! Self-service applications: drafts opened with an id and a code, submitted as a household and a
//! case in one transaction.

use husly_domain::cases::{ApplicationForm, CaseType};
use husly_domain::consent::form::FormConsent;
use husly_domain::household::{HouseholdInput, ValidHousehold};
use husly_domain::{CaseId, MunicipalityId, PersonId};
use sha2::{Digest, Sha256};
use sqlx::Row;
use time::Date;

use crate::Store;
use crate::audit::{self, Actor, Event};
use crate::cases::register_application_in;
use crate::consents::insert_consent;
use crate::error::{StoreError, StoreResult};
use crate::households::{Change, create_household_in};
use crate::municipalities::parse_id;

/// How long a draft can be resumed.
pub const DRAFT_DAYS: i64 = 30;
/// Letters and digits that cannot be mistaken for each other when read aloud or copied.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 10;

#[derive(Debug, Clone)]
pub struct Draft {
    pub id: String,
    pub municipality_id: MunicipalityId,
    pub case_type: CaseType,
    pub household: HouseholdInput,
    pub form: ApplicationForm,
    pub expires_at: i64,
    pub submitted_case: Option<CaseId>,
}

fn code_hash(code: &str) -> String {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

/// The audit actor for an applicant working on a draft.
pub fn applicant(draft: &str, request_id: &str) -> Actor {
    Actor {
        actor: format!("applicant:{draft}"),
        role: "applicant".into(),
        request_id: request_id.to_string(),
        purpose: "self_service".into(),
    }
}

impl Store {
    /// Whether the case was applied for online: a submitted draft names it, so the applicant can
    /// follow it and write on its status page.
    pub async fn applied_online(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<bool> {
        let row =
            sqlx::query("SELECT 1 AS one FROM application_draft WHERE municipality_id = $1 AND submitted_case_id = $2")
                .bind(municipality.to_string())
                .bind(case.to_string())
                .fetch_optional(&mut *self.conn().await?)
                .await?;
        Ok(row.is_some())
    }

    /// Starts a draft; returns its id and the code the applicant needs to open it again.
    pub async fn create_draft(
        &self,
        municipality: MunicipalityId,
        case_type: CaseType,
        request_id: &str,
    ) -> StoreResult<(String, String)> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut bytes = [0u8; CODE_LEN];
        rand::fill(&mut bytes);
        let code: String = bytes
            .iter()
            .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
            .collect();
        let now = crate::now_micros();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO application_draft (id, municipality_id, code_hash, case_type, applicant, form, created_at, updated_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(code_hash(&code))
        .bind(case_type.code())
        .bind(serde_json::to_string(&HouseholdInput::default()).map_err(anyhow::Error::from)?)
        .bind(serde_json::to_string(&ApplicationForm::default()).map_err(anyhow::Error::from)?)
        .bind(now)
        .bind(now + DRAFT_DAYS * 24 * 3600 * 1_000_000)
        .execute(tx.conn())
        .await?;
        audit::append(
            &mut tx,
            &applicant(&id, request_id),
            Event {
                municipality: Some(municipality),
                action: "draft.create",
                resource_kind: "application_draft",
                resource_id: id.clone(),
                details: serde_json::json!({ "case_type": case_type.code() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((id, code))
    }

    /// Opens a draft with its code. A wrong code, an unknown id and an expired draft all answer
    /// "not found", so a guess learns nothing.
    pub async fn draft(&self, id: &str, code: &str) -> StoreResult<Draft> {
        let row = sqlx::query(
            "SELECT id, municipality_id, code_hash, case_type, applicant, form, expires_at, submitted_case_id \
             FROM application_draft WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        let stored: String = row.try_get("code_hash")?;
        let given = code_hash(code);
        let expires_at: i64 = row.try_get("expires_at")?;
        if !constant_time_eq(stored.as_bytes(), given.as_bytes()) || expires_at < crate::now_micros() {
            return Err(StoreError::NotFound);
        }
        let case_type: String = row.try_get("case_type")?;
        let household: String = row.try_get("applicant")?;
        let form: String = row.try_get("form")?;
        Ok(Draft {
            id: row.try_get("id")?,
            municipality_id: MunicipalityId(parse_id(&row.try_get::<String, _>("municipality_id")?)?),
            case_type: CaseType::from_code(&case_type)
                .ok_or_else(|| StoreError::Corrupt(format!("case type `{case_type}`")))?,
            household: serde_json::from_str(&household).map_err(|e| StoreError::Corrupt(format!("draft: {e}")))?,
            form: serde_json::from_str(&form).map_err(|e| StoreError::Corrupt(format!("draft: {e}")))?,
            expires_at,
            submitted_case: row
                .try_get::<Option<String>, _>("submitted_case_id")?
                .map(|c| parse_id(&c).map(CaseId))
                .transpose()?,
        })
    }

    pub async fn save_draft(
        &self,
        draft: &Draft,
        household: &HouseholdInput,
        form: &ApplicationForm,
        request_id: &str,
    ) -> StoreResult<()> {
        if draft.submitted_case.is_some() {
            return Err(StoreError::Invalid("the application has already been submitted".into()));
        }
        let mut tx = self.write().await?;
        sqlx::query("UPDATE application_draft SET applicant = $1, form = $2, updated_at = $3 WHERE id = $4 AND submitted_case_id IS NULL")
            .bind(serde_json::to_string(household).map_err(anyhow::Error::from)?)
            .bind(serde_json::to_string(form).map_err(anyhow::Error::from)?)
            .bind(crate::now_micros())
            .bind(&draft.id)
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            &applicant(&draft.id, request_id),
            Event {
                municipality: Some(draft.municipality_id),
                action: "draft.save",
                resource_kind: "application_draft",
                resource_id: draft.id.clone(),
                details: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await
    }

    /// Deletes every draft never sent whose time ran out (`expires_at` before `now`), with its
    /// documents, each with an entry in its municipality's audit log: nothing personal an
    /// applicant left stays longer than the 30 days. Returns how many were deleted.
    pub async fn delete_expired_drafts(&self, now: i64, actor: &Actor) -> StoreResult<u64> {
        let mut tx = self.write().await?;
        let rows = sqlx::query(
            "SELECT id, municipality_id FROM application_draft WHERE submitted_case_id IS NULL AND expires_at < $1",
        )
        .bind(now)
        .fetch_all(tx.conn())
        .await?;
        for row in &rows {
            let id: String = row.try_get("id")?;
            let municipality = parse_id(&row.try_get::<String, _>("municipality_id")?)?;
            let documents = sqlx::query("DELETE FROM case_document WHERE draft_id = $1 AND case_id IS NULL")
                .bind(&id)
                .execute(tx.conn())
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM application_draft WHERE id = $1")
                .bind(&id)
                .execute(tx.conn())
                .await?;
            let event = Event {
                municipality: Some(municipality),
                action: "draft.expired_deleted",
                resource_kind: "application_draft",
                resource_id: id,
                details: serde_json::json!({ "documents": documents }),
            };
            audit::append(&mut tx, actor, event).await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    /// Submits a complete draft: the household, the case and the consents ticked on the form
    /// (given by the main applicant, for `purpose`) are created together, or not at all.
    pub async fn submit_draft(
        &self,
        draft: &Draft,
        (household, input): (&ValidHousehold, &HouseholdInput),
        form: &ApplicationForm,
        (consents, purpose): (&[FormConsent], &str),
        received_on: Date,
        request_id: &str,
    ) -> StoreResult<(CaseId, String)> {
        let actor = applicant(&draft.id, request_id);
        let change = Change {
            actor: &actor,
            user: None,
            reason: Some("Søknad sendt av søkeren"),
        };
        let mut tx = self.write().await?;
        let claimed = sqlx::query(
            "UPDATE application_draft SET applicant = $1, form = $2, updated_at = $3 WHERE id = $4 AND submitted_case_id IS NULL",
        )
        .bind(serde_json::to_string(input).map_err(anyhow::Error::from)?)
        .bind(serde_json::to_string(form).map_err(anyhow::Error::from)?)
        .bind(crate::now_micros())
        .bind(&draft.id)
        .execute(tx.conn())
        .await?;
        if claimed.rows_affected() != 1 {
            return Err(StoreError::Invalid("the application has already been submitted".into()));
        }
        let household_id = create_household_in(&mut tx, draft.municipality_id, household, &change).await?;
        let (case, reference) = register_application_in(
            &mut tx,
            draft.municipality_id,
            household_id,
            draft.case_type,
            form,
            received_on,
            &change,
        )
        .await?;
        if !consents.is_empty() {
            let main = sqlx::query(
                "SELECT person_id FROM household_member \
                 WHERE municipality_id = $1 AND household_id = $2 AND relation = 'main_applicant'",
            )
            .bind(draft.municipality_id.to_string())
            .bind(household_id.to_string())
            .fetch_one(tx.conn())
            .await?;
            let person: PersonId = PersonId(parse_id(&main.try_get::<String, _>("person_id")?)?);
            for given in consents {
                let fields = given.given_by(person, purpose);
                insert_consent(&mut tx, (draft.municipality_id, household_id), &fields, None, &change).await?;
            }
        }
        sqlx::query("UPDATE application_draft SET submitted_case_id = $1 WHERE id = $2")
            .bind(case.to_string())
            .bind(&draft.id)
            .execute(tx.conn())
            .await?;
        // The draft's documents now belong to the case.
        sqlx::query("UPDATE case_document SET case_id = $1 WHERE draft_id = $2")
            .bind(case.to_string())
            .bind(&draft.id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok((case, reference))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
