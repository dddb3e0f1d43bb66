//! Self-service: a household applies without an account. The application is a draft opened
//! with its id and a code until it is submitted; submitting creates the household and the case
//! together. After that the applicant follows the case and reads its letters with the same code.
//!
//! Everything here acts as the [`Applicant`] of one draft: there is no staff role to authorise,
//! the draft's code is the authority, and the audit log names the draft. Rate limits on who may
//! start drafts or guess codes are the web's (they key on the client's address).

use crate::{UseCaseError, UseCaseResult};
use husly_catalogue::Tr;
use husly_domain::Lang;
use husly_domain::cases::{ApplicationForm, CaseType};
use husly_domain::consent::form::{FormConsent, form_consents};
use husly_domain::documents::DocumentType;
use husly_domain::follow_up::PartnerKind;
use husly_domain::household::{HouseholdInput, validate_household};
use husly_domain::messages::{TASK_DUE_DAYS, accepts_applicant_messages, check_applicant_message};
use husly_domain::national_id::SyntheticPolicy;
use husly_domain::validation::FieldError;
use husly_domain::{CaseId, MunicipalityId};
use husly_store::Store;
use husly_store::applicant_messages::{ApplicantContribution, ApplicantMessage};
use husly_store::audit::Event;
use husly_store::cases::{Case, Letter};
use husly_store::documents::{Document, Owner};
use husly_store::drafts::{Draft, applicant};
use serde_json::json;
use time::Date;

/// The applicant of a draft, for one request.
pub struct Applicant {
    pub store: Store,
    pub request_id: String,
    /// Today's date (the one clock): when a submitted application is received.
    pub today: Date,
}

/// How much an applicant may attach to one application.
#[derive(Debug, Clone, Copy)]
pub struct DraftLimits {
    pub documents: u32,
    pub bytes: u64,
    /// Bytes all applicants together may upload to the municipality in 24 hours.
    pub municipality_bytes_per_day: u64,
}

/// The window of [`DraftLimits::municipality_bytes_per_day`], in microseconds.
const DAY_MICROS: i64 = 24 * 3600 * 1_000_000;

/// An application checked and ready to start as a draft.
#[derive(Debug, Clone, Copy)]
pub struct NewApplication {
    pub municipality: MunicipalityId,
    pub case_type: CaseType,
}

/// What became of a saved draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Kept as a draft.
    Kept,
    /// Submitted: the household and the case now exist.
    Submitted(CaseId),
}

impl Applicant {
    /// The municipalities one can apply to: (kommunenummer, name).
    pub async fn municipalities(&self) -> UseCaseResult<Vec<(String, String)>> {
        Ok(self
            .store
            .municipalities()
            .await?
            .into_iter()
            .map(|m| (m.number, m.name))
            .collect())
    }

    /// Checks what an application is to be: `case_type` (its code) to the municipality numbered
    /// `municipality`. Nothing is stored yet, so a caller can count only drafts that are started.
    pub async fn choose(&self, municipality: &str, case_type: &str) -> UseCaseResult<NewApplication> {
        let found = self.store.municipality_by_number(municipality.trim()).await?;
        let case_type = CaseType::applied_for(case_type);
        let (Some(found), Some(case_type)) = (&found, case_type) else {
            let mut errors = Vec::new();
            if found.is_none() {
                errors.push(FieldError::new(
                    "municipality",
                    "required",
                    "error.apply.municipality_required",
                ));
            }
            if case_type.is_none() {
                errors.push(FieldError::new(
                    "case_type",
                    "required",
                    "error.apply.case_type_required",
                ));
            }
            return Err(UseCaseError::Invalid(errors));
        };
        Ok(NewApplication {
            municipality: found.id,
            case_type,
        })
    }

    /// Starts the draft of a chosen application; returns its id and the code that opens it again.
    pub async fn start(&self, chosen: NewApplication) -> UseCaseResult<(String, String)> {
        Ok(self
            .store
            .create_draft(chosen.municipality, chosen.case_type, &self.request_id)
            .await?)
    }

    /// Opens a draft with its code. A wrong code, an unknown id and an expired draft are all
    /// "not found", so a guess learns nothing.
    pub async fn open(&self, id: &str, code: &str) -> UseCaseResult<Draft> {
        Ok(self.store.draft(id, code).await?)
    }

    /// The name of the municipality the draft applies to.
    pub async fn municipality_name(&self, draft: &Draft) -> UseCaseResult<String> {
        Ok(self
            .store
            .municipalities()
            .await?
            .into_iter()
            .find(|m| m.id == draft.municipality_id)
            .map(|m| m.name)
            .unwrap_or_default())
    }

    /// The documents attached to the draft.
    pub async fn documents(&self, draft: &Draft) -> UseCaseResult<Vec<Document>> {
        Ok(self
            .store
            .documents(draft.municipality_id, Owner::Draft(&draft.id))
            .await?)
    }

    /// Saves what the applicant typed, and submits it when `submit` is set and it is complete.
    ///
    /// Whatever can be kept is kept: the draft stores the form even when it has errors (`form`
    /// is the form as read, or the errors of reading it). `members` is how many household
    /// members the form lists. An `Err(Invalid)` therefore still means the readable part was
    /// saved; the errors say what is missing or wrong, by field.
    pub async fn save(
        &self,
        draft: &Draft,
        household: &HouseholdInput,
        form: Result<ApplicationForm, Vec<FieldError>>,
        members: usize,
        submit: bool,
        synthetic: SyntheticPolicy,
    ) -> UseCaseResult<Saved> {
        if draft.submitted_case.is_some() {
            return Err(UseCaseError::NotFound);
        }
        let (form, mut errors) = match form {
            Ok(form) => {
                let errors = form.check(members, self.today);
                (Some(form), errors)
            }
            Err(errors) => (None, errors),
        };
        if let Some(form) = &form {
            self.store.save_draft(draft, household, form, &self.request_id).await?;
        }
        if submit {
            let valid = validate_household(household, synthetic, self.today);
            if let Err(e) = &valid {
                errors.extend(e.iter().cloned());
            }
            if household
                .members
                .first()
                .is_some_and(|m| m.phone.trim().is_empty() && m.email.trim().is_empty())
            {
                errors.push(FieldError::new("phone", "required", "error.apply.contact_required"));
            }
            if let Some(form) = &form {
                errors.extend(form.missing_for_submission(members));
            }
            if let (Ok(valid), Some(form), true) = (valid, &form, errors.is_empty()) {
                let consents = self.form_consents(draft.municipality_id, form).await?;
                // The record is the unit's: its words are bokmål, as a worker's would be.
                let purpose = Tr::new(Lang::Nb).t("consent.form_purpose");
                let (case, _) = self
                    .store
                    .submit_draft(
                        draft,
                        (&valid, household),
                        form,
                        (&consents, purpose),
                        self.today,
                        &self.request_id,
                    )
                    .await?;
                return Ok(Saved::Submitted(case));
            }
        }
        if errors.is_empty() {
            Ok(Saved::Kept)
        } else {
            Err(UseCaseError::Invalid(errors))
        }
    }

    /// The consents the form's ticks give: to each of the municipality's organisations of a
    /// ticked kind (`husly_domain::consent::form`).
    async fn form_consents(
        &self,
        municipality: MunicipalityId,
        form: &ApplicationForm,
    ) -> UseCaseResult<Vec<FormConsent>> {
        if form.consents.is_empty() {
            return Ok(Vec::new());
        }
        let organisations: Vec<(String, PartnerKind)> = self
            .store
            .partner_organisations(municipality)
            .await?
            .into_iter()
            .map(|o| (o.id, o.kind))
            .collect();
        Ok(form_consents(&form.consents, &organisations, self.today))
    }

    /// The submitted application's case and the letters sent in it.
    pub async fn case(&self, draft: &Draft) -> UseCaseResult<(Case, Vec<Letter>)> {
        let id = draft.submitted_case.ok_or(UseCaseError::NotFound)?;
        let case = self.store.case(draft.municipality_id, id).await?;
        let letters = self.store.letters(draft.municipality_id, id).await?;
        Ok((case, letters))
    }

    /// A letter of the applicant's own case as sent (its record and PDF); the read is recorded.
    pub async fn letter(&self, draft: &Draft, letter: &str) -> UseCaseResult<(Letter, Vec<u8>)> {
        let case = draft.submitted_case.ok_or(UseCaseError::NotFound)?;
        let (meta, _, pdf) = self.store.letter(draft.municipality_id, case, letter).await?;
        let event = Event {
            municipality: Some(draft.municipality_id),
            action: "case.letter",
            resource_kind: "case",
            resource_id: case.to_string(),
            details: json!({ "letter": meta.id, "by": "applicant" }),
        };
        self.store.audit(&applicant(&draft.id, &self.request_id), event).await?;
        Ok((meta, pdf))
    }

    /// Attaches a document (already checked for its type) to the draft, within `limits`; it
    /// follows the application when submitted. A document over the limits is a field error on
    /// `file`.
    pub async fn attach(
        &self,
        draft: &Draft,
        filename: &str,
        kind: DocumentType,
        bytes: &[u8],
        limits: DraftLimits,
    ) -> UseCaseResult<Document> {
        if draft.submitted_case.is_some() {
            return Err(UseCaseError::NotFound);
        }
        let held = self.documents(draft).await?;
        room_for(&held, bytes.len(), limits).map_err(|e| UseCaseError::Invalid(vec![e]))?;
        self.room_today(draft, bytes.len(), limits).await?;
        let actor = applicant(&draft.id, &self.request_id);
        Ok(self
            .store
            .add_document(
                draft.municipality_id,
                Owner::Draft(&draft.id),
                filename,
                kind,
                bytes,
                &actor,
            )
            .await?)
    }
}

impl Applicant {
    /// What the applicant has written on the submitted application's case, oldest first.
    pub async fn messages(&self, draft: &Draft) -> UseCaseResult<Vec<ApplicantMessage>> {
        let case = draft.submitted_case.ok_or(UseCaseError::NotFound)?;
        Ok(self.store.applicant_messages(draft.municipality_id, case).await?)
    }

    /// The applicant writes to the municipality from the status page: a message, a document
    /// (already checked for its type), or both, while the case is not finished. It lands on the
    /// case as an event and, when a caseworker has the case, as a task for them. Field errors are
    /// named `text` or `file`; the day's upload cap of the municipality applies to the document.
    pub async fn write(
        &self,
        draft: &Draft,
        text: &str,
        document: Option<(&str, DocumentType, &[u8])>,
        limits: DraftLimits,
    ) -> UseCaseResult<()> {
        let id = draft.submitted_case.ok_or(UseCaseError::NotFound)?;
        let case = self.store.case(draft.municipality_id, id).await?;
        if !accepts_applicant_messages(case.state) {
            return Err(UseCaseError::Invalid(vec![FieldError::new(
                "text",
                "case.finished",
                "error.applicant_message.case_finished",
            )]));
        }
        let text = check_applicant_message(text, document.is_some())?;
        if let Some((_, _, bytes)) = document {
            self.room_today(draft, bytes.len(), limits).await?;
        }
        let title = Tr::new(Lang::Nb).t("task.applicant_wrote").to_string();
        let due = self.today + time::Duration::days(TASK_DUE_DAYS);
        let contribution = ApplicantContribution {
            text: text.as_deref(),
            document,
            task: case.assigned_to.map(|caseworker| (title.as_str(), due, caseworker)),
        };
        let actor = applicant(&draft.id, &self.request_id);
        Ok(self
            .store
            .add_applicant_contribution(draft.municipality_id, id, &draft.id, &contribution, &actor)
            .await?)
    }

    /// A door without an account must not fill the municipality's disk: the day's uploads of all
    /// applicants together are capped, and the answer says when room is made again.
    async fn room_today(&self, draft: &Draft, bytes: usize, limits: DraftLimits) -> UseCaseResult<()> {
        let now = husly_store::now_micros();
        let (used, earliest) = self
            .store
            .applicant_uploads_since(draft.municipality_id, now - DAY_MICROS)
            .await?;
        if u64::try_from(used).unwrap_or(0) + bytes as u64 > limits.municipality_bytes_per_day {
            let frees_at = earliest.map_or(now + DAY_MICROS, |t| t + DAY_MICROS);
            let wait = u64::try_from(frees_at - now).unwrap_or(0).max(1_000_000);
            return Err(UseCaseError::Quota(std::time::Duration::from_micros(wait)));
        }
        Ok(())
    }
}

/// Whether one more document of `bytes` fits beside those `held`.
fn room_for(held: &[Document], bytes: usize, limits: DraftLimits) -> Result<(), FieldError> {
    let total = held.iter().map(|d| u64::try_from(d.size).unwrap_or(0)).sum::<u64>() + bytes as u64;
    if held.len() >= limits.documents as usize {
        Err(
            FieldError::new("file", "too_many_documents", "error.apply.too_many_documents")
                .arg("max", limits.documents),
        )
    } else if total > limits.bytes {
        Err(
            FieldError::new("file", "documents_too_large", "error.apply.documents_too_large")
                .arg("mb", limits.bytes / (1024 * 1024)),
        )
    } else {
        Ok(())
    }
}
