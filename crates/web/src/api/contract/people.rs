//! People, households, their timeline, the signed-in user and the access log.

use super::{DateSchema, LanguageSchema, MicrosSchema, RoleSchema};
use husly_domain::economy::RegisteredIncome;
use husly_domain::household::Relation;
use husly_domain::notes::NoteVisibility;
use husly_domain::protection::AddressProtection;
use husly_domain::{CaseId, HouseholdId, Lang, MunicipalityId, PersonId, UserId};
use husly_store::households as store;
use husly_store::search::HouseholdRef;
use husly_store::tenancies::Economy;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// The authenticated user and their roles per municipality.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    /// Role codes by kommunenummer.
    #[schemars(with = "BTreeMap<String, Vec<RoleSchema>>")]
    pub roles: BTreeMap<String, Vec<&'static str>>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Person {
    pub id: PersonId,
    pub municipality_id: MunicipalityId,
    /// The fødselsnummer or D-nummer, 11 digits.
    #[schemars(regex(pattern = r"^[0-9]{11}$"))]
    pub national_id: String,
    /// `fodselsnummer` or `d_nummer`.
    pub id_kind: String,
    pub given_name: String,
    pub family_name: String,
    #[schemars(with = "DateSchema")]
    pub birth_date: time::Date,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[schemars(with = "LanguageSchema")]
    pub preferred_language: Lang,
}

impl From<&store::Person> for Person {
    fn from(p: &store::Person) -> Person {
        Person {
            id: p.id,
            municipality_id: p.municipality_id,
            national_id: p.national_id.as_ref().to_string(),
            id_kind: p.id_kind.clone(),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            birth_date: p.birth_date,
            phone: p.phone.clone(),
            email: p.email.clone(),
            preferred_language: p.preferred_language,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Member {
    pub person: Person,
    pub relation: Relation,
    /// The member's address block (fortrolig or strengt fortrolig adresse), if any.
    pub address_protection: Option<AddressProtection>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Household {
    pub id: HouseholdId,
    pub municipality_id: MunicipalityId,
    /// Empty when `address_protection` is set: the address is protected (shown to no one here).
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    /// The strictest address block among the members; the address is masked while it is set.
    pub address_protection: Option<AddressProtection>,
    #[schemars(with = "DateSchema")]
    pub from_date: time::Date,
    #[schemars(with = "Option<DateSchema>")]
    pub to_date: Option<time::Date>,
    /// Send it back when updating (optimistic versioning).
    pub version: i64,
    pub members: Vec<Member>,
}

impl From<&store::Household> for Household {
    fn from(h: &store::Household) -> Household {
        Household {
            id: h.id,
            municipality_id: h.municipality_id,
            address_line: h.address_line.clone(),
            postal_code: h.postal_code.clone(),
            postal_city: h.postal_city.clone(),
            address_protection: h.protection,
            from_date: h.from_date,
            to_date: h.to_date,
            version: h.version,
            members: h
                .members
                .iter()
                .map(|m| Member {
                    person: Person::from(&m.person),
                    relation: m.relation,
                    address_protection: m.protection,
                })
                .collect(),
        }
    }
}

/// A household a person is found in.
#[derive(Debug, Serialize, JsonSchema)]
pub struct HouseholdLink {
    pub id: HouseholdId,
    /// Empty when `address_protected`.
    pub address_line: String,
    pub address_protected: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchHit {
    pub person: Person,
    pub households: Vec<HouseholdLink>,
}

/// The case a case number named.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseLink {
    pub id: CaseId,
    pub reference: String,
    pub household: HouseholdId,
}

/// Matching people with their households; with the case when the query was a case number.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SearchResults {
    pub results: Vec<SearchHit>,
    pub case: Option<CaseLink>,
    /// More than 1 000 names or addresses start with the query's words: the results are the
    /// best of the whole-word matches and the first 1 000 others, not of all; type more words.
    pub too_many: bool,
}

impl From<&husly_store::search::Found> for SearchResults {
    fn from(found: &husly_store::search::Found) -> SearchResults {
        SearchResults {
            too_many: found.too_many,
            case: found.case.as_ref().map(|c| CaseLink {
                id: c.id,
                reference: c.reference.clone(),
                household: c.household,
            }),
            results: found
                .hits
                .iter()
                .map(|hit| SearchHit {
                    person: Person::from(&hit.person),
                    households: hit
                        .households
                        .iter()
                        .map(|h| HouseholdLink {
                            id: h.id,
                            address_line: h.address_line.clone(),
                            address_protected: h.address_protected,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A household of the person, with the person's place in it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonHousehold {
    pub id: HouseholdId,
    /// Empty when `address_protected`.
    pub address_line: String,
    pub address_protected: bool,
    pub relation: Relation,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PersonWithHouseholds {
    pub person: Person,
    pub households: Vec<PersonHousehold>,
}

impl PersonWithHouseholds {
    pub fn new(person: &store::Person, households: &[(HouseholdRef, Relation)]) -> PersonWithHouseholds {
        PersonWithHouseholds {
            person: Person::from(person),
            households: households
                .iter()
                .map(|(h, relation)| PersonHousehold {
                    id: h.id,
                    address_line: h.address_line.clone(),
                    address_protected: h.address_protected,
                    relation: *relation,
                })
                .collect(),
        }
    }
}

/// One event of a household's or a case's timeline.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TimelineEvent {
    pub id: String,
    /// What happened, e.g. `household.updated` or `case.decision_sent`.
    pub kind: String,
    pub actor_user_id: Option<String>,
    pub actor_name: Option<String>,
    pub reason: Option<String>,
    /// The facts of the change; their keys depend on `kind`.
    pub details: serde_json::Value,
    #[schemars(with = "MicrosSchema")]
    pub occurred_at: i64,
}

impl From<&store::TimelineEvent> for TimelineEvent {
    fn from(e: &store::TimelineEvent) -> TimelineEvent {
        TimelineEvent {
            id: e.id.clone(),
            kind: e.kind.clone(),
            actor_user_id: e.actor_user_id.clone(),
            actor_name: e.actor_name.clone(),
            reason: e.reason.clone(),
            details: e.details.clone(),
            occurred_at: e.occurred_at,
        }
    }
}

/// One entry of the tamper-evident access log.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditEntry {
    pub chain: String,
    pub seq: i64,
    pub id: String,
    #[schemars(with = "MicrosSchema")]
    pub occurred_at: i64,
    pub actor: String,
    pub actor_role: String,
    pub municipality_id: Option<String>,
    pub action: String,
    pub resource_kind: String,
    pub resource_id: String,
    pub purpose: String,
    pub request_id: String,
    /// A JSON object as text; never personal data in clear.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AuditEntries {
    pub entries: Vec<AuditEntry>,
}

impl From<&[husly_store::audit::AuditEntry]> for AuditEntries {
    fn from(entries: &[husly_store::audit::AuditEntry]) -> AuditEntries {
        AuditEntries {
            entries: entries
                .iter()
                .map(|e| AuditEntry {
                    chain: e.chain.clone(),
                    seq: e.seq,
                    id: e.id.clone(),
                    occurred_at: e.occurred_at,
                    actor: e.actor.clone(),
                    actor_role: e.actor_role.clone(),
                    municipality_id: e.municipality_id.clone(),
                    action: e.action.clone(),
                    resource_kind: e.resource_kind.clone(),
                    resource_id: e.resource_id.clone(),
                    purpose: e.purpose.clone(),
                    request_id: e.request_id.clone(),
                    details: e.details.clone(),
                    prev_hash: e.prev_hash.clone(),
                    hash: e.hash.clone(),
                })
                .collect(),
        }
    }
}

/// A household's registered economy: the incomes verified per member, the benefits it receives
/// and its tenancies, newest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct HouseholdEconomy {
    pub household_id: HouseholdId,
    pub incomes: Vec<RegisteredIncome>,
    pub benefits: Vec<Benefit>,
    pub tenancies: Vec<Tenancy>,
}

/// A benefit the household receives (`bostotte`), from a date.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Benefit {
    pub benefit: String,
    #[schemars(with = "DateSchema")]
    pub from_date: time::Date,
    #[schemars(with = "Option<DateSchema>")]
    pub to_date: Option<time::Date>,
}

/// A tenancy of a municipal dwelling.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Tenancy {
    pub dwelling_address: String,
    pub bedrooms: i64,
    /// Adapted for a person with a disability.
    pub adapted: bool,
    #[schemars(with = "DateSchema")]
    pub from_date: time::Date,
    #[schemars(with = "Option<DateSchema>")]
    pub to_date: Option<time::Date>,
    /// Whole øre.
    pub monthly_rent_ore: i64,
    pub heating_included: bool,
}

impl HouseholdEconomy {
    pub fn new(household: HouseholdId, economy: &Economy) -> HouseholdEconomy {
        HouseholdEconomy {
            household_id: household,
            incomes: economy
                .incomes
                .iter()
                .map(|(person_id, kind, annual_ore)| RegisteredIncome {
                    person_id: *person_id,
                    kind: *kind,
                    annual_ore: *annual_ore,
                })
                .collect(),
            benefits: economy
                .benefits
                .iter()
                .map(|b| Benefit {
                    benefit: b.benefit.clone(),
                    from_date: b.from_date,
                    to_date: b.to_date,
                })
                .collect(),
            tenancies: economy
                .tenancies
                .iter()
                .map(|t| Tenancy {
                    dwelling_address: t.dwelling_address.clone(),
                    bedrooms: t.bedrooms,
                    adapted: t.adapted,
                    from_date: t.from_date,
                    to_date: t.to_date,
                    monthly_rent_ore: t.monthly_rent_ore,
                    heating_included: t.heating_included,
                })
                .collect(),
        }
    }
}

/// Journal notes the caller may read, oldest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NoteList {
    pub notes: Vec<Note>,
}

/// A journal note: kept as written, never changed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Note {
    pub id: String,
    pub visibility: NoteVisibility,
    pub text: String,
    /// The writer's name.
    pub written_by: String,
    #[schemars(with = "MicrosSchema")]
    pub written_at: i64,
}

impl From<&[husly_store::notes::Note]> for NoteList {
    fn from(notes: &[husly_store::notes::Note]) -> NoteList {
        NoteList {
            notes: notes
                .iter()
                .map(|n| Note {
                    id: n.id.clone(),
                    visibility: n.visibility,
                    text: n.text.clone(),
                    written_by: n.written_by.clone(),
                    written_at: n.written_at,
                })
                .collect(),
        }
    }
}

/// A household's representatives (fullmektig or verge), the acting one first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RepresentativeList {
    pub representatives: Vec<Representative>,
}

/// A party's representative: while one acts, the household's letters are addressed to it
/// (forvaltningsloven § 12).
#[derive(Debug, Serialize, JsonSchema)]
pub struct Representative {
    pub id: String,
    pub kind: husly_domain::representative::RepresentativeKind,
    pub name: String,
    pub organisation: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub phone: Option<String>,
    /// Fullmektig: the day the written authority was received; verge: the day it began.
    #[schemars(with = "DateSchema")]
    pub authority_from: time::Date,
    /// Whether the party gets a copy of each letter.
    pub copy_to_party: bool,
    /// Whether letters go to this representative now.
    pub acting: bool,
    #[schemars(with = "Option<DateSchema>")]
    pub ended_on: Option<time::Date>,
    pub end_reason: Option<String>,
}

impl RepresentativeList {
    pub fn of(kept: &[husly_domain::representative::Representative], today: time::Date) -> RepresentativeList {
        RepresentativeList {
            representatives: kept
                .iter()
                .map(|r| Representative {
                    id: r.id.clone(),
                    kind: r.details.kind,
                    name: r.details.name.clone(),
                    organisation: r.details.organisation.clone(),
                    address_line: r.details.address_line.clone(),
                    postal_code: r.details.postal_code.clone(),
                    postal_city: r.details.postal_city.clone(),
                    phone: r.details.phone.clone(),
                    authority_from: r.details.authority_from,
                    copy_to_party: r.details.copy_to_party,
                    acting: r.acts_on(today),
                    ended_on: r.ended_on,
                    end_reason: r.end_reason.clone(),
                })
                .collect(),
        }
    }
}
