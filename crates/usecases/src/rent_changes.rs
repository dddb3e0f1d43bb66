//! Changing the rent of a contract (husleieloven chapter 4): the housing manager records the
//! new rent, the day it takes effect, why and the written notice; the domain's rules on when a
//! change may take effect are checked on the locked contract. A change whose day has come is in
//! effect at once; a later one is put into effect by the daily job on its day, and can be
//! cancelled until then, with a reason.

use husly_domain::tenancy::ContractState;
use husly_domain::tenancy::rent::{RentChangeInput, RentContext, check_rent_change};
use husly_domain::validation::FieldError;
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::households::Change;
use time::Date;

use crate::contracts::to_change;
use crate::{Ctx, UseCaseError, UseCaseResult};

/// The scheduler's name for the daily run that puts changes into effect.
pub const RENT_CHANGE_JOB: &str = "rent_changes";

/// Records a rent change on the contract read at `version`. Returns the change's id.
pub async fn change_rent(ctx: &Ctx, tenancy: &str, version: i64, input: &RentChangeInput<'_>) -> UseCaseResult<String> {
    let (municipality, _) = to_change(
        ctx,
        tenancy,
        version,
        ContractState::Active,
        ("tenancy.already_ended", "error.tenancy.already_ended"),
    )
    .await?;
    let actor = ctx.actor(municipality);
    let who = ctx.change(&actor);
    let today = ctx.today;
    ctx.store
        .record_rent_change(municipality, tenancy, version, today, &who, |contract, kept| {
            let latest = kept.iter().find(|c| !c.cancelled);
            let context = RentContext {
                start: contract.start,
                term_end: contract.term_end,
                ended: contract.ended_on.is_some(),
                latest_rent_ore: latest.map_or(contract.monthly_rent_ore, |c| c.monthly_rent_ore),
                last_set_on: latest.map_or(contract.start, |c| c.effective_from),
            };
            check_rent_change(input, &context, today)
        })
        .await?
        .map_err(UseCaseError::Invalid)
}

/// Cancels a change not yet in effect, with the reason why.
pub async fn cancel_rent_change(ctx: &Ctx, tenancy: &str, version: i64, id: &str, reason: &str) -> UseCaseResult<()> {
    let (municipality, _) = to_change(
        ctx,
        tenancy,
        version,
        ContractState::Active,
        ("tenancy.already_ended", "error.tenancy.already_ended"),
    )
    .await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "reason",
            "required",
            "error.rent.cancel_reason_required",
        )]));
    }
    if reason.chars().count() > 500 {
        return Err(UseCaseError::Invalid(vec![FieldError::too_long("reason", 500)]));
    }
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some(reason);
    Ok(ctx
        .store
        .cancel_rent_change(municipality, tenancy, version, id, &who)
        .await?)
}

/// The daily job: every change whose day has come goes into effect. Returns how many.
pub async fn apply_rent_changes(store: &Store, today: Date) -> UseCaseResult<usize> {
    let actor = Actor::system("rent changes");
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    Ok(store.apply_due_rent_changes(today, &change).await?)
}
