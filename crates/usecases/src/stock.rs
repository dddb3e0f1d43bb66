//! Stock versus demand, and each waiting household's estimated wait.
//!
//! [`stock_and_demand`] compares the waiting list (by bedroom need and wheelchair need) with the
//! dwelling register and the lettings of the last three full years. It is aggregate — no
//! household or dwelling is named — so it needs `ViewDwellings` and is not an audited read.
//!
//! The use case `waiting_list` gives each household of the page its estimate (from
//! [`lettings_for_estimates`]), and so does the applicant's own status page
//! (`applicant_position`). The method is in `husly_domain::allocation::wait_estimate`.

use husly_domain::MunicipalityId;
use husly_domain::allocation::priority::WaitingHousehold;
use husly_domain::allocation::stock::{self, Letting, StockAndDemand, lettings_from};
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
    let (policy, _) = crate::priority_policy::policy_in_force(&ctx.store, municipality, ctx.today).await?;
    Ok(stock::stock_and_demand(
        &policy,
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
