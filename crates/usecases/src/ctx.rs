//! Who is acting, where, and on what day: everything a use case needs to know of its caller.

use crate::error::{UseCaseError, UseCaseResult};
use husly_domain::authz::{Action, Decision, Principal, Role, authorize, authorize_on_consent, consent_needed};
use husly_domain::consent::{ConsentCategory, ConsentState, categories_in_force, consent_state};
use husly_domain::{CaseId, HouseholdId, Lang, MunicipalityId};
use husly_store::Store;
use husly_store::accounts::User;
use husly_store::audit::{Actor, Event};
use husly_store::consents::Consent;
use husly_store::households::Change;
use time::Date;

/// Which door the caller came in by; API reads say so in the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Page,
    Api,
}

/// What a partner organisation may see of a household on the day of access.
#[derive(Debug, Clone, Default)]
pub struct PartnerGrant {
    pub organisation: String,
    pub organisation_name: String,
    /// The consents in force the access relies on.
    pub consents: Vec<Consent>,
    /// The union of their categories.
    pub categories: Vec<ConsentCategory>,
}

impl PartnerGrant {
    pub fn allows(&self, category: ConsentCategory) -> bool {
        self.categories.contains(&category)
    }
}

/// Whether a kept consent is in force on `day` (the domain's rule).
pub(crate) fn in_force(consent: &Consent, day: Date) -> bool {
    consent_state(consent.valid_from, consent.valid_to, consent.withdrawal.is_some(), day) == ConsentState::InForce
}

fn decided(decision: Decision) -> UseCaseResult<()> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Forbidden => Err(UseCaseError::Forbidden),
        Decision::NotFound => Err(UseCaseError::NotFound),
    }
}

/// The caller of a use case. Built by the web crate for each request.
#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub principal: Principal,
    pub user: User,
    pub request_id: String,
    /// The caller's language, for texts a use case writes (letters choose their own).
    pub lang: Lang,
    /// Today's date, for deadlines and dates written on letters.
    pub today: Date,
    pub channel: Channel,
    /// Where notices to parties (SMS, e-mail) go.
    pub notifier: std::sync::Arc<dyn crate::notify::Notifier>,
    /// This year's indicator values, computed a short while ago.
    pub live_values: std::sync::Arc<crate::live_values::LiveValueCache>,
}

impl Ctx {
    /// The single authorisation check; a municipality where the caller holds no role answers
    /// "not found", never "forbidden".
    pub fn require(&self, action: Action, municipality: MunicipalityId) -> UseCaseResult<()> {
        decided(authorize(&self.principal, action, municipality))
    }

    /// The municipality owning a case, once the caller may perform `action` there.
    pub async fn case_owner(&self, id: CaseId, action: Action) -> UseCaseResult<MunicipalityId> {
        let owner = self.store.case_municipality(id).await?.ok_or(UseCaseError::NotFound)?;
        self.require(action, owner)?;
        Ok(owner)
    }

    /// The municipality owning a household, once the caller's roles allow `action` there (the
    /// unit's own doors: a consent opens none of them).
    pub async fn household_owner(&self, id: HouseholdId, action: Action) -> UseCaseResult<MunicipalityId> {
        let owner = self
            .store
            .household_municipality(id)
            .await?
            .ok_or(UseCaseError::NotFound)?;
        self.require(action, owner)?;
        Ok(owner)
    }

    /// The municipality owning a household and, for a partner, the consents it acts on, once the
    /// caller may perform `action` there: the partner's door. The one authorisation decision
    /// with its consent dimension; the consents are read only when a consent could decide it.
    pub async fn household_access(
        &self,
        id: HouseholdId,
        action: Action,
    ) -> UseCaseResult<(MunicipalityId, Option<PartnerGrant>)> {
        let owner = self
            .store
            .household_municipality(id)
            .await?
            .ok_or(UseCaseError::NotFound)?;
        let by_role = authorize(&self.principal, action, owner);
        let partner = self.principal.roles_in(owner).contains(&Role::Partner);
        if by_role == Decision::Allow || !partner || consent_needed(action).is_none() {
            return decided(by_role).map(|()| (owner, None));
        }
        let grant = self.partner_grant(owner, id).await?;
        decided(authorize_on_consent(
            &self.principal,
            action,
            owner,
            Some(&grant.categories),
        ))?;
        Ok((owner, Some(grant)))
    }

    /// What the caller's partner organisation may see of a household today: its consents in
    /// force and the union of their categories (none when the caller works for no organisation).
    pub async fn partner_grant(
        &self,
        municipality: MunicipalityId,
        household: HouseholdId,
    ) -> UseCaseResult<PartnerGrant> {
        let Some((organisation, organisation_name)) =
            self.store.partner_organisation_of(self.user.id, municipality).await?
        else {
            return Ok(PartnerGrant::default());
        };
        let consents: Vec<Consent> = self
            .store
            .consents_to_organisation(municipality, &organisation, household, self.today)
            .await?
            .into_iter()
            .filter(|c| in_force(c, self.today))
            .collect();
        let categories = categories_in_force(
            consents.iter().map(|c| {
                (
                    c.categories.as_slice(),
                    c.valid_from,
                    c.valid_to,
                    c.withdrawal.is_some(),
                )
            }),
            self.today,
        );
        Ok(PartnerGrant {
            organisation,
            organisation_name,
            consents,
            categories,
        })
    }

    /// The audit actor for a partner acting on consents: the purpose names the consents relied on.
    pub fn partner_actor(&self, municipality: MunicipalityId, grant: &PartnerGrant) -> Actor {
        let ids: Vec<&str> = grant.consents.iter().map(|c| c.id.as_str()).collect();
        Actor {
            purpose: format!("consent:{}", ids.join(",")),
            ..self.actor(municipality)
        }
    }

    /// The kommunenummer of a municipality where the caller holds a role (rules and letters are
    /// keyed by it).
    pub fn municipality_number(&self, id: MunicipalityId) -> UseCaseResult<&str> {
        self.user
            .municipalities
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.number.as_str())
            .ok_or(UseCaseError::NotFound)
    }

    /// The audit actor for work in a municipality.
    pub fn actor(&self, municipality: MunicipalityId) -> Actor {
        Actor {
            actor: self.user.id.to_string(),
            role: self
                .principal
                .roles_in(municipality)
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(","),
            request_id: self.request_id.clone(),
            purpose: "case_handling".to_string(),
        }
    }

    /// Who makes a change, for its event and audit entry.
    pub fn change<'a>(&'a self, actor: &'a Actor) -> Change<'a> {
        Change {
            actor,
            user: Some(self.user.id),
            reason: None,
        }
    }

    /// Runs a lifecycle command on a case as this caller: the store locks the case at `version`,
    /// runs `command`, and saves the change with its event and audit entry (see
    /// [`Store::change_case`](husly_store::Store::change_case)).
    pub async fn change_case(
        &self,
        municipality: MunicipalityId,
        id: CaseId,
        version: i64,
        letter: Option<&husly_store::cases::NewLetter<'_>>,
        command: impl FnOnce(
            &husly_store::cases::Case,
            Option<&husly_domain::cases::LatestDecision>,
        ) -> Result<husly_domain::cases::CaseChange, husly_domain::cases::Refusal>,
    ) -> UseCaseResult<husly_store::cases::Case> {
        let actor = self.actor(municipality);
        Ok(self
            .store
            .change_case(municipality, id, version, letter, &self.change(&actor), command)
            .await?)
    }

    /// Records that the caller read personal data. Reads change nothing else, so the entry gets
    /// its own short transaction, committed before the answer is given.
    pub async fn audit_read(
        &self,
        municipality: MunicipalityId,
        action: &str,
        resource: (&str, String),
        details: serde_json::Value,
    ) -> UseCaseResult<()> {
        self.audit_read_by(&self.actor(municipality), municipality, action, resource, details)
            .await
    }

    /// Records a read as [`Ctx::audit_read`] does, by `actor` (a partner's names its consents).
    pub async fn audit_read_by(
        &self,
        actor: &Actor,
        municipality: MunicipalityId,
        action: &str,
        resource: (&str, String),
        mut details: serde_json::Value,
    ) -> UseCaseResult<()> {
        if let (Channel::Api, serde_json::Value::Object(map)) = (self.channel, &mut details) {
            map.insert("via".into(), "api".into());
        }
        let event = Event {
            municipality: Some(municipality),
            action,
            resource_kind: resource.0,
            resource_id: resource.1,
            details,
        };
        self.store.audit(actor, event).await?;
        Ok(())
    }
}
