//! Stock versus demand, and each waiting household's estimated wait.
//!
//! [`stock_and_demand`] compares the waiting list (by bedroom need and wheelchair need) with the
//! dwelling register and the lettings of the last three full years. It is aggregate — no
//! household or dwelling is named — so it needs `ViewDwellings` and is not an audited read.
//!
//! The use case `waiting_list` gives each household of the page its estimate (from the kept
//! list's tally of lettings, see `ranked_list`), and so does the applicant's own status page
//! (`applicant_position`). The method is in `husly_domain::allocation::wait_estimate`.

use crate::{Ctx, UseCaseResult};
use husly_domain::MunicipalityId;
use husly_domain::allocation::stock::{self, StockAndDemand, lettings_from};
use husly_domain::authz::Action;

/// The waiting list against the stock and the last three years' lettings, under the policy in
/// force. Counts only.
pub async fn stock_and_demand(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<StockAndDemand> {
    ctx.require(Action::ViewDwellings, municipality)?;
    let list = crate::ranked_list::ranked_list(&ctx.store, municipality, ctx.today).await?;
    let dwellings = ctx.store.dwelling_counts(municipality).await?;
    let lettings = ctx.store.lettings_since(municipality, lettings_from(ctx.today)).await?;
    Ok(stock::stock_and_demand(
        &list.policy,
        &list.households,
        &dwellings,
        &lettings,
        ctx.today,
    ))
}
