//! Protected addresses: the household's address blocks as the unit records and lifts them, and
//! the one audited way to open a protected address. Masking itself happens as addresses leave
//! the store (`husly_domain::protection::mask_address`); nothing here widens it.

use husly_domain::authz::Action;
use husly_domain::postal::PostalRegister;
use husly_domain::protection::{
    AddressProtection, ProtectionInput, RevealPurpose, check_lift, check_protection, check_reveal,
};
use husly_domain::{HouseholdId, PersonId};
use husly_store::households::{Change, Household};
use husly_store::protection::{PersonProtection, StoredAddress};
use serde_json::json;

use crate::{Ctx, UseCaseError, UseCaseResult};

/// A household's address blocks, with what the caller may do about them.
pub struct HouseholdProtection {
    /// As every page sees it: the address masked when a member has a block.
    pub household: Household,
    /// The members' blocks, in the members' order.
    pub protections: Vec<PersonProtection>,
    /// Whether the caller may record a block.
    pub can_protect: bool,
    /// Whether the caller may lift a block and open the address (the specific permission).
    pub can_reveal: bool,
}

/// The household's address blocks; the read is recorded.
pub async fn household_protection(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<HouseholdProtection> {
    let municipality = ctx.household_owner(household, Action::ViewHousehold).await?;
    let kept = ctx.store.household(municipality, household).await?;
    let protections = ctx.store.household_protections(municipality, household).await?;
    ctx.audit_read(
        municipality,
        "household.protection_view",
        ("household", household.to_string()),
        json!({ "blocks": protections.len() }),
    )
    .await?;
    Ok(HouseholdProtection {
        household: kept,
        protections,
        can_protect: ctx.require(Action::ProtectAddress, municipality).is_ok(),
        can_reveal: ctx.require(Action::RevealProtectedAddress, municipality).is_ok(),
    })
}

/// Records (or changes) a member's address block. For strengt fortrolig the household's address
/// is erased at once and letters go to the contact route given. Bad input is refused naming each
/// field, and nothing is kept.
pub async fn protect_address(ctx: &Ctx, household: HouseholdId, input: &ProtectionInput<'_>) -> UseCaseResult<()> {
    let municipality = ctx.household_owner(household, Action::ProtectAddress).await?;
    let kept = ctx.store.household(municipality, household).await?;
    let members: Vec<PersonId> = kept.members.iter().map(|m| m.person.id).collect();
    let fields = check_protection(input, &members, PostalRegister::embedded())?;
    let actor = ctx.actor(municipality);
    let change = Change {
        reason: Some(&fields.reason),
        ..ctx.change(&actor)
    };
    let erase = fields.level == AddressProtection::StrengtFortrolig;
    Ok(ctx
        .store
        .protect_person(municipality, household, &fields, erase, &change)
        .await?)
}

/// Lifts a member's block, with the reason (it reduces the person's protection; the page asks
/// once more first). Undone by recording the block again. `NotFound` when the member has none.
pub async fn lift_protection(
    ctx: &Ctx,
    household: HouseholdId,
    person: PersonId,
    reason: &str,
) -> UseCaseResult<AddressProtection> {
    // The permission is held beside a unit role that sees the household.
    let municipality = ctx.household_owner(household, Action::ViewHousehold).await?;
    ctx.require(Action::LiftAddressProtection, municipality)?;
    let reason = check_lift(reason)?;
    let actor = ctx.actor(municipality);
    let change = Change {
        reason: Some(&reason),
        ..ctx.change(&actor)
    };
    Ok(ctx
        .store
        .lift_protection(municipality, household, person, &change)
        .await?)
}

/// What opening a protected address gives: the address as stored (empty for strengt fortrolig,
/// where none is kept) and the purpose stated.
#[derive(Debug, Clone)]
pub struct RevealedAddress {
    pub address: StoredAddress,
    pub purpose: RevealPurpose,
}

/// Opens the household's address for the caller, who states why; the view is audited with that
/// purpose (`household.address_reveal`, purpose `protected_address:<purpose>`) in the same
/// transaction as the read. Only the holder of the specific permission, who also sees the
/// household, may.
pub async fn reveal_address(ctx: &Ctx, household: HouseholdId, purpose: &str) -> UseCaseResult<RevealedAddress> {
    let municipality = ctx.household_owner(household, Action::ViewHousehold).await?;
    ctx.require(Action::RevealProtectedAddress, municipality)?;
    let purpose = check_reveal(purpose)?;
    let actor = husly_store::audit::Actor {
        purpose: format!("protected_address:{}", purpose.code()),
        ..ctx.actor(municipality)
    };
    let address = ctx
        .store
        .reveal_address(municipality, household, purpose, &actor)
        .await
        .map_err(UseCaseError::from)?;
    Ok(RevealedAddress { address, purpose })
}
