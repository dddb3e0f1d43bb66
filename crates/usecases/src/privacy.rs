//! The person's own view, in self-service: the consents their household has given to partner
//! organisations, each withdrawn by the person at once (as easy as it was to give), and who has
//! looked at their data, when and why, from the access log (GDPR art. 15). Opened with the
//! application's link and code, as the rest of self-service; the applicant is the household's
//! main applicant, whose footprint (person, households, cases, drafts) the log is read for.

use husly_catalogue::Tr;
use husly_domain::HouseholdId;
use husly_domain::consent::{ConsentState, consent_state};
use husly_store::audit::{AuditFilter, Event};
use husly_store::consents::Consent;
use husly_store::drafts::{Draft, applicant};
use husly_store::households::{Change, Person};
use serde_json::json;

use crate::access_log::{AccessReport, PersonFound};
use crate::self_service::Applicant;
use crate::{UseCaseError, UseCaseResult};

/// The most log entries the page and the PDF list, the newest first.
pub const PRIVACY_ENTRIES: i64 = 500;

/// What the person sees of their own data's sharing and use.
pub struct Privacy {
    pub person: Person,
    /// The household's consents, the newest first.
    pub consents: Vec<Consent>,
    /// Who has read or changed the person's records: the entries, their records' names and the
    /// staff who appear in them.
    pub report: AccessReport,
}

impl Applicant {
    /// The household and its main applicant of a submitted application.
    async fn household_of(&self, draft: &Draft) -> UseCaseResult<(HouseholdId, Person)> {
        let case = draft.submitted_case.ok_or(UseCaseError::NotFound)?;
        let case = self.store.case(draft.municipality_id, case).await?;
        let household = self.store.household(draft.municipality_id, case.household_id).await?;
        let person = household.main_applicant().cloned().ok_or(UseCaseError::NotFound)?;
        Ok((case.household_id, person))
    }

    /// The person's consents and access log; reading the log is itself recorded in it.
    pub async fn privacy(&self, draft: &Draft) -> UseCaseResult<Privacy> {
        let (household, person) = self.household_of(draft).await?;
        let m = draft.municipality_id;
        let consents = self.store.consents_of_household(m, household).await?;
        let filter = AuditFilter {
            resources: self.store.person_records(m, person.id).await?,
            limit: PRIVACY_ENTRIES,
            ..Default::default()
        };
        let entries = self.store.audit_entries(m, &filter).await?;
        let ids: Vec<String> = entries.iter().map(|e| e.resource_id.clone()).collect();
        let names = self.store.record_names(m, &ids).await?;
        let users = self.store.users(Some(m)).await?;
        let event = Event {
            municipality: Some(m),
            action: "audit.view",
            resource_kind: "person",
            resource_id: person.id.to_string(),
            details: json!({ "entries": entries.len(), "by": "the_person" }),
        };
        self.store.audit(&applicant(&draft.id, &self.request_id), event).await?;
        Ok(Privacy {
            report: AccessReport {
                entries,
                names,
                users,
                person: PersonFound::One(person.clone()),
            },
            person,
            consents,
        })
    }

    /// The person withdraws one of the household's consents, at once; `reason` may be left
    /// empty (the person owes no reason; the record says it was withdrawn in self-service). Only
    /// a consent in force or not yet begun can be withdrawn; one withdrawn already is a conflict.
    pub async fn withdraw_consent(&self, draft: &Draft, consent: &str, reason: &str) -> UseCaseResult<Consent> {
        let (household, _) = self.household_of(draft).await?;
        let m = draft.municipality_id;
        let found = self
            .store
            .consents_of_household(m, household)
            .await?
            .into_iter()
            .find(|c| c.id == consent)
            .ok_or(UseCaseError::NotFound)?;
        let state = consent_state(found.valid_from, found.valid_to, found.withdrawal.is_some(), self.today);
        match state {
            ConsentState::Withdrawn => return Err(UseCaseError::Conflict),
            ConsentState::Expired => return Err(UseCaseError::NotFound),
            ConsentState::InForce | ConsentState::Scheduled => {}
        }
        let reason = match reason.trim() {
            "" => Tr::new(husly_domain::Lang::Nb)
                .t("consent.withdrawn_in_self_service")
                .to_string(),
            typed => husly_domain::consent::check_withdrawal(typed)?,
        };
        let actor = applicant(&draft.id, &self.request_id);
        let change = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        Ok(self
            .store
            .withdraw_consent(m, household, consent, &reason, &change)
            .await?)
    }
}
