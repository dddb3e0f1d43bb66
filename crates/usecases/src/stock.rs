//! Stock versus demand, and each waiting household's estimated wait.
//!
//! [`stock_and_demand`] compares the waiting list (by bedroom need and wheelchair need) with the
//! dwelling register and the lettings of the last three full years. It is aggregate — no
//! household or dwelling is named — so it needs `ViewDwellings` and is not an audited read.
//!
//! The use case `waiting_list` gives each household of the page its estimate (from
//! [`lettings_for_estimates`]); [`wait_estimate_of`] gives one household's estimate without a
//! staff context, for the applicant's own status page. The method is in
//! `husly_domain::allocation::wait_estimate`.

use std::collections::HashSet;

use husly_domain::MunicipalityId;
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::priority::{WaitingHousehold, peer_positions_of, rank};
use husly_domain::allocation::stock::{self, Letting, StockAndDemand, lettings_from};
use husly_domain::allocation::wait_estimate::{WaitEstimate, wait_estimate};
use husly_domain::authz::Action;
use husly_store::Store;
use time::Date;

use crate::waiting_list::waiting_household;
use crate::{Ctx, UseCaseResult};

/// The waiting list against the stock and the last three years' lettings, under the policy in
/// force. Counts only.
pub async fn stock_and_demand(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<StockAndDemand> {
    ctx.require(Action::ViewDwellings, municipality)?;
    let cases = ctx.store.waiting_cases(municipality).await?;
    let households: Vec<WaitingHousehold> = cases.iter().map(waiting_household).collect();
    let dwellings = ctx.store.dwelling_counts(municipality).await?;
    let lettings = ctx.store.lettings_since(municipality, lettings_from(ctx.today)).await?;
    let policy = PriorityPolicy::embedded();
    Ok(stock::stock_and_demand(
        policy,
        &households,
        &dwellings,
        &lettings,
        ctx.today,
    ))
}

/// The lettings an estimate on `today` counts.
pub async fn lettings_for_estimates(
    store: &Store,
    municipality: MunicipalityId,
    today: Date,
) -> UseCaseResult<Vec<Letting>> {
    Ok(store.lettings_since(municipality, lettings_from(today)).await?)
}

/// One household's estimated wait, from the store, without a staff context: for the applicant's
/// own status page (the caller has already established whose case it is). `case_reference` is
/// the case's reference (what the waiting list's entry ids are). None when the case is not on the
/// municipality's waiting list. The household is ranked against the whole list under `policy`
/// on `today`, exactly as on the caseworker's page. Reads no names out and records nothing: the
/// caller records the applicant's own read as its page does.
pub async fn wait_estimate_of(
    store: &Store,
    municipality: MunicipalityId,
    case_reference: &str,
    policy: &PriorityPolicy,
    today: Date,
) -> UseCaseResult<Option<WaitEstimate>> {
    let cases = store.waiting_cases(municipality).await?;
    let households: Vec<WaitingHousehold> = cases.iter().map(waiting_household).collect();
    let Some(household) = households.iter().find(|h| h.entry_id == case_reference) else {
        return Ok(None);
    };
    let ranking = rank(policy, &households, today, None);
    let only: HashSet<&str> = [case_reference].into_iter().collect();
    let peers = peer_positions_of(policy, &households, &ranking, Some(&only));
    let lettings = lettings_for_estimates(store, municipality, today).await?;
    let own = peers.get(case_reference).map(Vec::as_slice).unwrap_or_default();
    Ok(Some(wait_estimate(policy, household, own, &lettings, today)))
}
