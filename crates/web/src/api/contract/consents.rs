//! Consents to share with partner organisations, the partner's list and view of a household,
//! and the municipality's partner organisations.

use super::follow_up::{Entry, Plan};
use super::{CaseStateSchema, DateSchema, MicrosSchema};
use husly_domain::bostotte::IncomeKind;
use husly_domain::cases::{CaseState, CaseType};
use husly_domain::consent::{ConsentCategory, ConsentEvidence, ConsentState, GivenBy, consent_state};
use husly_domain::follow_up::PartnerKind;
use husly_domain::household::Relation;
use husly_domain::{HouseholdId, PersonId, UserId};
use husly_store::consents::Consent as Kept;
use husly_store::partners::PartnerOrganisation;
use husly_usecases::consents::{ConsentingPage, PartnerView};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// A withdrawal: when, by whom, why.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Withdrawal {
    #[schemars(with = "MicrosSchema")]
    pub at: i64,
    /// The worker who recorded it; `null` when the person withdrew it in self-service.
    pub by: Option<String>,
    pub reason: String,
}

/// A consent as recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Consent {
    pub id: String,
    pub household_id: HouseholdId,
    /// The member it concerns.
    pub person_id: PersonId,
    pub person_name: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub purpose: String,
    pub categories: Vec<ConsentCategory>,
    #[schemars(with = "DateSchema")]
    pub valid_from: Date,
    /// The last day it is in force.
    #[schemars(with = "DateSchema")]
    pub valid_to: Date,
    pub evidence: ConsentEvidence,
    pub given_by: GivenBy,
    /// The guardian who gave it, when one did.
    pub guardian: Option<String>,
    /// Where it stands today.
    pub state: ConsentState,
    /// The worker who recorded it; null when the person gave it in self-service (on the
    /// application form).
    pub recorded_by: Option<String>,
    #[schemars(with = "MicrosSchema")]
    pub recorded_at: i64,
    pub withdrawal: Option<Withdrawal>,
}

impl Consent {
    pub fn of(c: &Kept, today: Date) -> Consent {
        Consent {
            id: c.id.clone(),
            household_id: c.household,
            person_id: c.person,
            person_name: c.person_name.clone(),
            organisation_id: c.organisation_id.clone(),
            organisation_name: c.organisation_name.clone(),
            purpose: c.purpose.clone(),
            categories: c.categories.clone(),
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            evidence: c.evidence,
            given_by: c.given_by,
            guardian: c.guardian.clone(),
            state: consent_state(c.valid_from, c.valid_to, c.withdrawal.is_some(), today),
            recorded_by: c.recorded_by.clone(),
            recorded_at: c.recorded_at,
            withdrawal: c.withdrawal.as_ref().map(|w| Withdrawal {
                at: w.at,
                by: w.by.clone(),
                reason: w.reason.clone(),
            }),
        }
    }
}

/// A household's consents, the newest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ConsentList {
    pub household_id: HouseholdId,
    pub consents: Vec<Consent>,
}

/// A consent to record.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// The household member it concerns.
    pub person_id: String,
    /// One of the municipality's partner organisations (`GET /partners`).
    pub organisation_id: String,
    /// What the partner will use the information for; at most 500 characters.
    pub purpose: String,
    /// At least one.
    pub categories: Vec<ConsentCategory>,
    /// yyyy-mm-dd (or dd.mm.yyyy).
    #[schemars(example = "2026-12-04")]
    pub valid_from: String,
    /// The last day in force: on or after `valid_from`, and not before today.
    #[schemars(example = "2027-12-03")]
    pub valid_to: String,
    pub evidence: ConsentEvidence,
    pub given_by: GivenBy,
    /// Required when `given_by` is `guardian`.
    #[serde(default)]
    pub guardian: Option<String>,
}

/// A withdrawal: what the person said, and how.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    /// At most 500 characters.
    pub reason: String,
}

/// A household on the partner's list.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ConsentingHouseholdRow {
    pub household_id: HouseholdId,
    /// Who gave the consents in force.
    pub given_by: Vec<String>,
    pub categories: Vec<ConsentCategory>,
    /// The last day a consent is in force.
    #[schemars(with = "DateSchema")]
    pub until: Date,
}

/// A page of the partner's list: the organisation the caller works for (`null`: none yet) and
/// the households with a consent to it in force today, by the name of the member who gave it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ConsentingHouseholds {
    pub organisation: Option<String>,
    pub households: Vec<ConsentingHouseholdRow>,
    /// The households with a consent in force in all.
    pub total: u64,
    /// Where this page begins; the next page is at `offset` + 50 while that is below `total`.
    pub offset: u64,
}

impl ConsentingHouseholds {
    pub fn of(page: ConsentingPage) -> ConsentingHouseholds {
        ConsentingHouseholds {
            organisation: page.organisation,
            total: page.total,
            offset: page.offset,
            households: page
                .lines
                .into_iter()
                .map(|h| ConsentingHouseholdRow {
                    household_id: h.household,
                    given_by: h.given_by,
                    categories: h.categories,
                    until: h.until,
                })
                .collect(),
        }
    }
}

/// `municipality` as everywhere; `offset`: where the page begins (default 0).
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PartnerListParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    #[serde(default)]
    pub offset: u64,
}

/// A member as a partner with a contact consent sees them: no identity number.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerMember {
    pub given_name: String,
    pub family_name: String,
    #[schemars(with = "DateSchema")]
    pub birth_date: Date,
    pub relation: Relation,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The household's contact details.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerContact {
    /// Empty when `address_protection` is set: the address is protected.
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub address_protection: Option<husly_domain::protection::AddressProtection>,
    pub members: Vec<PartnerMember>,
}

/// An application as a partner with a case consent sees it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerCase {
    pub reference: String,
    pub case_type: CaseType,
    #[schemars(with = "CaseStateSchema")]
    pub state: CaseState,
    #[schemars(with = "DateSchema")]
    pub received_on: Date,
    #[schemars(with = "Option<DateSchema>")]
    pub decided_on: Option<Date>,
}

/// The follow-up as a partner with a follow-up consent sees it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerFollowUp {
    pub plans: Vec<Plan>,
    pub entries: Vec<Entry>,
}

/// A household as the consents to the caller's organisation show it: each part is `null`
/// unless a consent in force covers it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerHousehold {
    pub household_id: HouseholdId,
    pub organisation_name: String,
    /// The consents in force the view relies on.
    pub consents: Vec<Consent>,
    pub categories: Vec<ConsentCategory>,
    pub contact: Option<PartnerContact>,
    pub cases: Option<Vec<PartnerCase>>,
    pub follow_up: Option<PartnerFollowUp>,
    pub economy: Option<PartnerEconomy>,
    /// The documents of the household's applications; each is read from
    /// `GET /partner/households/{id}/documents/{document_id}`.
    pub documents: Option<Vec<PartnerDocument>>,
}

/// An income, by the member's place in the household (names are contact details).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerIncome {
    pub relation: Relation,
    pub kind: IncomeKind,
    /// Whole øre per year.
    pub annual_ore: i64,
}

/// A benefit the household receives (`bostotte`: Husbanken's housing allowance).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerBenefit {
    pub benefit: String,
    #[schemars(with = "DateSchema")]
    pub from_date: Date,
    #[schemars(with = "Option<DateSchema>")]
    pub to_date: Option<Date>,
}

/// The economy as registered.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerEconomy {
    pub incomes: Vec<PartnerIncome>,
    pub benefits: Vec<PartnerBenefit>,
    /// The rent of the municipal dwelling rented today, whole øre per month.
    pub monthly_rent_ore: Option<i64>,
}

/// A document of the household's applications.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PartnerDocument {
    pub id: String,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    #[schemars(with = "MicrosSchema")]
    pub created_at: i64,
}

impl PartnerHousehold {
    pub fn of(v: &PartnerView, today: Date) -> PartnerHousehold {
        PartnerHousehold {
            household_id: v.household,
            organisation_name: v.grant.organisation_name.clone(),
            consents: v.grant.consents.iter().map(|c| Consent::of(c, today)).collect(),
            categories: v.grant.categories.clone(),
            contact: v.contact.as_ref().map(|h| PartnerContact {
                address_line: h.address_line.clone(),
                postal_code: h.postal_code.clone(),
                postal_city: h.postal_city.clone(),
                address_protection: h.protection,
                members: h
                    .members
                    .iter()
                    .map(|m| PartnerMember {
                        given_name: m.person.given_name.clone(),
                        family_name: m.person.family_name.clone(),
                        birth_date: m.person.birth_date,
                        relation: m.relation,
                        phone: m.person.phone.clone(),
                        email: m.person.email.clone(),
                    })
                    .collect(),
            }),
            cases: v.cases.as_ref().map(|cases| {
                cases
                    .iter()
                    .map(|c| PartnerCase {
                        reference: c.reference.clone(),
                        case_type: c.case_type,
                        state: c.state,
                        received_on: c.received_on,
                        decided_on: c.decided_on,
                    })
                    .collect()
            }),
            follow_up: v.follow_up.as_ref().map(|(plans, entries)| PartnerFollowUp {
                plans: plans.iter().map(Plan::of).collect(),
                entries: entries.iter().map(Entry::of).collect(),
            }),
            economy: v.economy.as_ref().map(|e| PartnerEconomy {
                incomes: e
                    .incomes
                    .iter()
                    .map(|(relation, kind, ore)| PartnerIncome {
                        relation: *relation,
                        kind: *kind,
                        annual_ore: *ore,
                    })
                    .collect(),
                benefits: e
                    .benefits
                    .iter()
                    .map(|b| PartnerBenefit {
                        benefit: b.benefit.clone(),
                        from_date: b.from_date,
                        to_date: b.to_date,
                    })
                    .collect(),
                monthly_rent_ore: e.monthly_rent_ore,
            }),
            documents: v.documents.as_ref().map(|documents| {
                documents
                    .iter()
                    .map(|d| PartnerDocument {
                        id: d.id.clone(),
                        filename: d.filename.clone(),
                        mime: d.mime.clone(),
                        size: d.size,
                        created_at: d.created_at,
                    })
                    .collect()
            }),
        }
    }
}

/// A partner organisation with its users.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: PartnerKind,
    pub members: Vec<OrganisationMember>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OrganisationMember {
    pub user_id: UserId,
    pub display_name: String,
    pub email: String,
}

impl Organisation {
    pub fn of(o: &PartnerOrganisation) -> Organisation {
        Organisation {
            id: o.id.clone(),
            name: o.name.clone(),
            kind: o.kind,
            members: o
                .members
                .iter()
                .map(|(id, name, email)| OrganisationMember {
                    user_id: *id,
                    display_name: name.clone(),
                    email: email.clone(),
                })
                .collect(),
        }
    }
}

/// An organisation to register.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationRequest {
    /// Unique in the municipality; at most 120 characters.
    pub name: String,
    pub kind: PartnerKind,
}

/// Which organisation a partner user works for.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipRequest {
    /// A user with the partner role in the municipality.
    pub user_id: String,
    /// `null` for none.
    #[serde(default)]
    pub organisation_id: Option<String>,
}
