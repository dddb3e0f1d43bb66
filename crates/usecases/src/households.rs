//! People and households: finding them, reading them, registering and changing a household.
//! Every read is recorded; a search only as a keyed hash of what was searched for.

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::bostotte::IncomeKind;
use husly_domain::economy::{RegisteredIncome, check_incomes};
use husly_domain::household::{HouseholdInput, Relation, validate_household, validate_household_without_address};
use husly_domain::national_id::SyntheticPolicy;
use husly_domain::protection::AddressProtection;
use husly_domain::validation::FieldError;
use husly_domain::{HouseholdId, MunicipalityId, PersonId};
use husly_store::cases::Case;
use husly_store::households::{Change, Household, Person, TimelineEvent};
use husly_store::search::{Found, SearchQuery};
use husly_store::tenancies::{BOSTOTTE, Economy};
use serde_json::json;
use time::Date;

/// Finds people in a municipality by the start of the words of their name or address, by a
/// full identity number, or by a case reference (then with the case).
pub async fn search_people(ctx: &Ctx, municipality: MunicipalityId, q: &str, limit: i64) -> UseCaseResult<Found> {
    ctx.require(Action::SearchPeople, municipality)?;
    let q = q.trim();
    let query = SearchQuery::parse(q)
        .ok_or_else(|| UseCaseError::Invalid(vec![FieldError::new("q", "invalid_query", "error.search.query")]))?;
    let found = ctx.store.search_people(municipality, &query, limit).await?;
    let query_hmac = ctx.store.keyed_hash(&q.to_lowercase()).await?;
    ctx.audit_read(
        municipality,
        "person.search",
        ("person", String::new()),
        json!({ "query_hmac": query_hmac, "hits": found.hits.len(), "case": found.case.as_ref().map(|c| c.id) }),
    )
    .await?;
    Ok(found)
}

/// A person and the households they belong to.
pub async fn person(
    ctx: &Ctx,
    id: PersonId,
) -> UseCaseResult<(Person, Vec<(husly_store::search::HouseholdRef, Relation)>)> {
    let municipality = ctx.store.person_municipality(id).await?.ok_or(UseCaseError::NotFound)?;
    ctx.require(Action::ViewPerson, municipality)?;
    let found = ctx.store.person(municipality, id).await?;
    ctx.audit_read(municipality, "person.view", ("person", id.to_string()), json!({}))
        .await?;
    Ok(found)
}

/// Opens a household for `action`, recording the read with `details` (what it was opened for).
pub async fn open_household(
    ctx: &Ctx,
    id: HouseholdId,
    action: Action,
    details: serde_json::Value,
) -> UseCaseResult<Household> {
    let household = read_household(ctx, id, action).await?;
    audit_household_view(ctx, &household, details).await?;
    Ok(household)
}

/// The household, once the caller may `action` on it; not yet audited.
async fn read_household(ctx: &Ctx, id: HouseholdId, action: Action) -> UseCaseResult<Household> {
    let municipality = ctx.household_owner(id, action).await?;
    Ok(ctx.store.household(municipality, id).await?)
}

async fn audit_household_view(ctx: &Ctx, household: &Household, details: serde_json::Value) -> UseCaseResult<()> {
    let resource = ("household", household.id.to_string());
    ctx.audit_read(household.municipality_id, "household.view", resource, details)
        .await
}

/// A household with its timeline and, for those who may see cases, its cases.
pub struct HouseholdOverview {
    pub household: Household,
    pub timeline: Vec<TimelineEvent>,
    pub cases: Option<Vec<Case>>,
    /// The journal notes on the household the caller may read, oldest first.
    pub notes: Vec<husly_store::notes::Note>,
    /// The party's representatives (fullmektig or verge), the acting one first.
    pub representatives: Vec<husly_domain::representative::Representative>,
    /// Stays in temporary accommodation, the newest first (for those who may see them).
    pub stays: Option<Vec<husly_domain::stays::Stay>>,
}

pub async fn household_overview(ctx: &Ctx, id: HouseholdId) -> UseCaseResult<HouseholdOverview> {
    // Audited after the last read: a request gives its pinned connection back while it waits for
    // the audit entry's commit, so auditing first would take a second connection for the rest.
    // The lists the household has none of are not read (`husly_store::page_lists`).
    let municipality = ctx.household_owner(id, Action::ViewHousehold).await?;
    let (household, lists) = ctx.store.household_with_lists(municipality, id).await?;
    let timeline = ctx.store.timeline(municipality, id).await?;
    let cases = match ctx.require(Action::ViewCase, municipality) {
        Ok(()) => Some(crate::read_if_any(lists.cases, ctx.store.cases_of_household(municipality, id)).await?),
        Err(_) => None,
    };
    let notes = crate::read_if_any(
        lists.notes,
        crate::notes::readable(ctx, municipality, husly_store::notes::NoteSubject::Household(id)),
    )
    .await?;
    let representatives =
        crate::read_if_any(lists.representatives, ctx.store.representatives(municipality, id)).await?;
    let stays = match ctx.require(Action::ViewTemporaryStays, municipality) {
        Ok(()) => Some(crate::read_if_any(lists.stays, ctx.store.stays(municipality, id)).await?),
        Err(_) => None,
    };
    audit_household_view(ctx, &household, json!({})).await?;
    Ok(HouseholdOverview {
        stays,
        household,
        timeline,
        cases,
        notes,
        representatives,
    })
}

/// A household's timeline, newest first.
pub async fn household_timeline(ctx: &Ctx, id: HouseholdId) -> UseCaseResult<Vec<TimelineEvent>> {
    let municipality = ctx.household_owner(id, Action::ViewHousehold).await?;
    let events = ctx.store.timeline(municipality, id).await?;
    ctx.audit_read(
        municipality,
        "household.timeline",
        ("household", id.to_string()),
        json!({}),
    )
    .await?;
    Ok(events)
}

/// Registers a household with its members; synthetic identity numbers only where `synthetic`
/// allows them (demo installations).
pub async fn register_household(
    ctx: &Ctx,
    municipality: MunicipalityId,
    input: &HouseholdInput,
    synthetic: SyntheticPolicy,
) -> UseCaseResult<Household> {
    ctx.require(Action::RegisterHousehold, municipality)?;
    let valid = validate_household(input, synthetic, ctx.today)?;
    let actor = ctx.actor(municipality);
    let id = ctx
        .store
        .create_household(municipality, &valid, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.household(municipality, id).await?)
}

/// Longest reason accepted for a change to a household.
pub const MAX_REASON: usize = 1_000;

/// Changes a household from the version the user read; `reason` is recorded with the event.
pub async fn update_household(
    ctx: &Ctx,
    id: HouseholdId,
    version: i64,
    input: &HouseholdInput,
    reason: &str,
    synthetic: SyntheticPolicy,
) -> UseCaseResult<Household> {
    let municipality = ctx.household_owner(id, Action::EditHousehold).await?;
    let reason = reason.trim();
    let mut refused: Vec<FieldError> = (reason.chars().count() > MAX_REASON)
        .then(|| FieldError::too_long("reason", MAX_REASON))
        .into_iter()
        .collect();
    let protection = ctx.store.household(municipality, id).await?.protection;
    let input = &with_protected_address(ctx, municipality, id, protection, input, &mut refused).await?;
    let validated = match protection {
        // No address is stored for strengt fortrolig adresse.
        Some(AddressProtection::StrengtFortrolig) => validate_household_without_address(input, synthetic, ctx.today),
        _ => validate_household(input, synthetic, ctx.today),
    };
    let valid = match validated {
        Ok(valid) if refused.is_empty() => valid,
        Ok(_) => return Err(UseCaseError::Invalid(refused)),
        Err(mut errors) => {
            errors.extend(refused);
            return Err(UseCaseError::Invalid(errors));
        }
    };
    let actor = ctx.actor(municipality);
    let change = Change {
        reason: (!reason.is_empty()).then_some(reason),
        ..ctx.change(&actor)
    };
    ctx.store
        .update_household(municipality, id, version, &valid, &change)
        .await?;
    Ok(ctx.store.household(municipality, id).await?)
}

fn address_blank(input: &HouseholdInput) -> bool {
    [&input.address_line, &input.postal_code, &input.postal_city]
        .iter()
        .all(|v| v.trim().is_empty())
}

/// The input to validate for a household whose address is protected: the edit form shows the
/// address fields empty (masked), so left empty they keep the stored address; filled they
/// replace it (fortrolig). For strengt fortrolig no address is stored, and one typed is refused
/// (added to `refused`).
async fn with_protected_address(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: HouseholdId,
    protection: Option<AddressProtection>,
    input: &HouseholdInput,
    refused: &mut Vec<FieldError>,
) -> UseCaseResult<HouseholdInput> {
    let mut input = input.clone();
    match protection {
        Some(AddressProtection::StrengtFortrolig) if !address_blank(&input) => {
            refused.push(FieldError::new(
                "address_line",
                "protection.address_not_stored",
                "error.protection.address_not_stored",
            ));
        }
        Some(AddressProtection::Fortrolig) if address_blank(&input) => {
            let stored = ctx.store.stored_address(municipality, id).await?;
            input.address_line = stored.address_line;
            input.postal_code = stored.postal_code;
            input.postal_city = stored.postal_city;
        }
        _ => {}
    }
    Ok(input)
}

/// A household opened with its economy: the incomes registered per member and the benefits it
/// receives. The read is recorded with what it was opened for (`purpose`).
pub async fn open_economy(
    ctx: &Ctx,
    id: HouseholdId,
    action: Action,
    purpose: &str,
) -> UseCaseResult<(Household, Economy)> {
    let household = open_household(ctx, id, action, json!({ "for": purpose })).await?;
    let economy = ctx.store.economy(household.municipality_id, id).await?;
    Ok((household, economy))
}

/// Replaces the incomes the caseworker has verified for the household's members, as one event on
/// the household's timeline; returns the economy as it now stands. Field errors are named
/// `incomes[i].…` ([`check_incomes`]).
pub async fn set_incomes(ctx: &Ctx, id: HouseholdId, incomes: &[RegisteredIncome]) -> UseCaseResult<Economy> {
    let municipality = ctx.household_owner(id, Action::EditHousehold).await?;
    let household = ctx.store.household(municipality, id).await?;
    let members: Vec<PersonId> = household.members.iter().map(|m| m.person.id).collect();
    check_incomes(&members, incomes)?;
    let rows: Vec<(PersonId, IncomeKind, i64)> = incomes.iter().map(|i| (i.person_id, i.kind, i.annual_ore)).collect();
    let actor = ctx.actor(municipality);
    ctx.store
        .set_incomes(municipality, id, &rows, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.economy(municipality, id).await?)
}

/// Records that the household receives bostøtte from `from` (what the outreach list leaves out);
/// returns the economy as it now stands.
pub async fn register_bostotte(ctx: &Ctx, id: HouseholdId, from: Date) -> UseCaseResult<Economy> {
    let municipality = ctx.household_owner(id, Action::EditHousehold).await?;
    let actor = ctx.actor(municipality);
    ctx.store
        .register_benefit(municipality, id, BOSTOTTE, from, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.economy(municipality, id).await?)
}
