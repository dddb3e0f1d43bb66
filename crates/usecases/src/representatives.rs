//! A party's representative (fullmektig or verge): a caseworker registers one when the party
//! has given a written authority or has a verge, and ends it when that stops. While one acts, the
//! household's letters are addressed to the representative.

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::representative::{Representative, RepresentativeInput, check_end, check_representative};
use husly_domain::validation::FieldError;
use husly_domain::{HouseholdId, MunicipalityId};
use serde_json::json;

/// A household's representatives, the acting one first; the read is recorded.
pub async fn representatives(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<Vec<Representative>> {
    let municipality = ctx.household_owner(household, Action::ViewHousehold).await?;
    let kept = ctx.store.representatives(municipality, household).await?;
    ctx.audit_read(
        municipality,
        "household.representatives",
        ("household", household.to_string()),
        json!({ "representatives": kept.len() }),
    )
    .await?;
    Ok(kept)
}

/// Registers the household's representative (caseworkers). A household has one at a time: the
/// one acting must be ended first. Returns the household's representatives, the new one first.
pub async fn register_representative(
    ctx: &Ctx,
    household: HouseholdId,
    input: &RepresentativeInput,
) -> UseCaseResult<Vec<Representative>> {
    let municipality = ctx.household_owner(household, Action::EditHousehold).await?;
    let new = check_representative(input, ctx.today)?;
    let kept = ctx.store.representatives(municipality, household).await?;
    if kept.iter().any(|r| r.ended_on.is_none()) {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "kind",
            "representative.one_at_a_time",
            "error.representative.one_at_a_time",
        )]));
    }
    let actor = ctx.actor(municipality);
    ctx.store
        .add_representative(municipality, household, &new, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.representatives(municipality, household).await?)
}

/// Ends the household's representative `id` from `ended_on` (blank: today) with the reason;
/// letters then go to the party again. Undone by registering the representative anew.
pub async fn end_representative(
    ctx: &Ctx,
    household: HouseholdId,
    id: &str,
    ended_on: &str,
    reason: &str,
) -> UseCaseResult<Vec<Representative>> {
    let municipality = ctx.household_owner(household, Action::EditHousehold).await?;
    let kept = ctx.store.representatives(municipality, household).await?;
    let representative = kept.iter().find(|r| r.id == id).ok_or(UseCaseError::NotFound)?;
    let (ended_on, reason) = check_end(representative, ended_on, reason, ctx.today)?;
    let actor = ctx.actor(municipality);
    let change = husly_store::households::Change {
        reason: Some(&reason),
        ..ctx.change(&actor)
    };
    ctx.store
        .end_representative(municipality, household, id, ended_on, &reason, &change)
        .await?;
    Ok(ctx.store.representatives(municipality, household).await?)
}

/// The representative acting for the household today, if any: whom today's letters go to.
pub(crate) async fn acting(
    ctx: &Ctx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> UseCaseResult<Option<Representative>> {
    let kept = ctx.store.representatives(municipality, household).await?;
    Ok(kept.into_iter().find(|r| r.acts_on(ctx.today)))
}
