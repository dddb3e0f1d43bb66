//! The waiting list with each household's priority: points and why, waiting time, bedroom need,
//! the place on the list and among the households competing for the same dwellings, and the
//! explanation in plain words. The ranking cites the priority policy it used (version and
//! fingerprint). Households are named, so reading the list is an audited read.

use husly_domain::MunicipalityId;
use husly_domain::allocation::explain::explain;
use husly_domain::allocation::needs::{BedroomRange, DwellingFacts, bedroom_range};
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::priority::{HouseholdType, Ranked, WaitingHousehold, WaitingMember, rank};
use husly_domain::allocation::proposal::{Proposal, Vacancy, propose};
use husly_domain::allocation::wait_estimate::{WaitEstimate, wait_estimate};
use husly_domain::authz::Action;
use husly_domain::message::Message;
use husly_store::waiting_list::WaitingCase;
use serde_json::json;

use crate::ranked_list::ranked_list;
use crate::{Ctx, UseCaseResult};

/// Households per page of the list.
pub const PAGE: usize = 100;

/// One household on the list, as ranked.
#[derive(Debug, Clone)]
pub struct WaitingEntry {
    pub case: WaitingCase,
    pub ranked: Ranked,
    pub household_type: HouseholdType,
    pub bedrooms: BedroomRange,
    /// Why it stands where it stands, in the reader's language.
    pub explanation: Vec<Message>,
    /// How long it may still wait, as a range (an estimate), or why none can be given.
    pub estimate: WaitEstimate,
}

/// A page of the ranked waiting list.
#[derive(Debug, Clone)]
pub struct WaitingList {
    pub policy: PriorityPolicy,
    pub fingerprint: String,
    pub total: usize,
    pub offset: usize,
    pub entries: Vec<WaitingEntry>,
    /// Some households share a place until a draw settles it.
    pub unresolved_ties: bool,
}

/// The domain's view of a case on the list.
pub fn waiting_household(case: &WaitingCase) -> WaitingHousehold {
    let form = &case.form;
    WaitingHousehold {
        entry_id: case.reference.clone(),
        members: case
            .members
            .iter()
            .map(|(relation, birth_date)| WaitingMember {
                relation: *relation,
                birth_date: *birth_date,
            })
            .collect(),
        current_housing: form.current_housing,
        reasons: form.reasons.clone(),
        kostra: case.kostra,
        wheelchair_need: form.wheelchair_access,
        ground_floor_or_lift: form.ground_floor_or_lift,
        pets: form.pets,
        preferred_areas: form.preferred_areas.clone(),
        areas_to_avoid: form.areas_to_avoid.clone(),
        received_on: case.received_on,
        approved_on: case.approved_on,
    }
}

/// The ranked waiting list, `PAGE` households from `offset`. The ranking is the kept one
/// (see [`crate::ranked_list`]); only the page's households are explained and estimated.
pub async fn waiting_list(ctx: &Ctx, municipality: MunicipalityId, offset: usize) -> UseCaseResult<WaitingList> {
    ctx.require(Action::ViewCase, municipality)?;
    let list = ranked_list(&ctx.store, municipality, ctx.today).await?;
    let (policy, ranking) = (&list.policy, &list.ranking);
    let total = ranking.entries.len();
    let offset = offset.min(total);
    let entries: Vec<WaitingEntry> = ranking.entries[offset..(offset + PAGE).min(total)]
        .iter()
        .filter_map(|ranked| {
            let (case, household) = list.get(&ranked.priority.entry_id)?;
            let situation = household.situation(list.ranked_on);
            let peers = list.peers.positions(&ranked.priority.entry_id);
            Some(WaitingEntry {
                case: case.clone(),
                ranked: ranked.clone(),
                household_type: household.household_type(list.ranked_on),
                bedrooms: bedroom_range(policy, &situation),
                explanation: explain(policy, ranking, &ranked.priority.entry_id, &peers, ctx.lang).unwrap_or_default(),
                estimate: wait_estimate(policy, household, &peers, &list.lettings, list.ranked_on),
            })
        })
        .collect();
    ctx.audit_read(
        municipality,
        "waiting_list.view",
        ("municipality", municipality.to_string()),
        json!({ "households": entries.len(), "offset": offset, "policy": ranking.policy_fingerprint }),
    )
    .await?;
    Ok(WaitingList {
        fingerprint: ranking.policy_fingerprint.clone(),
        unresolved_ties: ranking.has_unresolved_ties(),
        policy: policy.clone(),
        total,
        offset,
        entries,
    })
}

/// A proposal for the current vacancies, as a caseworker reads it before an allocation meeting.
#[derive(Debug, Clone)]
pub struct AllocationPreview {
    pub policy: PriorityPolicy,
    pub fingerprint: String,
    pub vacancies: Vec<husly_store::dwellings::Dwelling>,
    pub cases: std::collections::HashMap<String, WaitingCase>,
    pub points: std::collections::HashMap<String, u32>,
    pub proposal: Proposal,
    pub unresolved_ties: bool,
}

/// Which waiting household for which vacant dwelling, optimal under the policy, and for every
/// household why it did or did not get each dwelling that fits it. Computed now and saved
/// nowhere; the read names households, so it is audited.
pub async fn allocation_preview(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<AllocationPreview> {
    ctx.require(Action::ViewCase, municipality)?;
    ctx.require(Action::ViewDwellings, municipality)?;
    // Households and dwellings already in an offer (open or accepted) are out of the proposal,
    // as they are out of a new round.
    let (bound_cases, bound_dwellings) = ctx.store.bound_by_offers(municipality).await?;
    let list = ranked_list(&ctx.store, municipality, ctx.today).await?;
    let (cases, households): (Vec<WaitingCase>, Vec<WaitingHousehold>) = list
        .cases
        .iter()
        .zip(&list.households)
        .filter(|(c, _)| !bound_cases.contains(&c.case))
        .map(|(c, h)| (c.clone(), h.clone()))
        .unzip();
    let mut vacancies = ctx.store.vacant_dwellings(municipality).await?;
    vacancies.retain(|d| !bound_dwellings.contains(&d.id));
    let policy = list.policy.clone();
    let ranking = rank(&policy, &households, ctx.today, None);
    let facts: Vec<Vacancy> = vacancies
        .iter()
        .map(|d| Vacancy {
            id: d.id.clone(),
            facts: DwellingFacts::of(&d.details, d.status),
        })
        .collect();
    let proposal = propose(&policy, &households, &ranking, &facts, ctx.today)
        .map_err(|e| crate::UseCaseError::Internal(format!("allocation: {e:?}")))?;
    ctx.audit_read(
        municipality,
        "allocation.preview",
        ("municipality", municipality.to_string()),
        json!({ "vacancies": vacancies.len(), "households": cases.len(), "policy": ranking.policy_fingerprint }),
    )
    .await?;
    Ok(AllocationPreview {
        fingerprint: ranking.policy_fingerprint.clone(),
        unresolved_ties: ranking.has_unresolved_ties(),
        points: ranking
            .entries
            .iter()
            .map(|r| (r.priority.entry_id.clone(), r.priority.total))
            .collect(),
        cases: cases.into_iter().map(|c| (c.reference.clone(), c)).collect(),
        policy,
        vacancies,
        proposal,
    })
}
