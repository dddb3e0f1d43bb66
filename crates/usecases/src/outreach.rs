//! The bostøtte outreach list: tenants of municipal dwellings who likely qualify for bostøtte
//! but have none registered, and the contacts made with them from the list. One run is one
//! recorded read of the municipality's tenancies.

use std::collections::HashMap;

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::bostotte::contact::{ContactInput, check_contact};
use husly_domain::bostotte::{OutreachList, check_outreach_month};
use husly_domain::{HouseholdId, MunicipalityId};
use husly_store::outreach_contacts::OutreachContact;
use serde_json::json;

/// Runs the list for `month` (`yyyy-mm`; this month when empty); `format` says how it is handed
/// over (`page`, `csv`, `xlsx`, `json`) and is recorded with the read.
pub async fn bostotte_outreach(
    ctx: &Ctx,
    municipality: MunicipalityId,
    month: Option<&str>,
    format: &str,
) -> UseCaseResult<OutreachList> {
    ctx.require(Action::RunOutreach, municipality)?;
    let month = check_outreach_month(month, ctx.today).map_err(|e| UseCaseError::Invalid(vec![e]))?;
    let found = ctx
        .user
        .municipalities
        .iter()
        .find(|m| m.id == municipality)
        .ok_or(UseCaseError::NotFound)?;
    let list = ctx.store.bostotte_outreach(found, month).await?;
    ctx.audit_read(
        municipality,
        "outreach.bostotte",
        ("municipality", municipality.to_string()),
        json!({ "month": month.to_string(), "households": list.candidates.len(), "format": format }),
    )
    .await?;
    Ok(list)
}

/// The list of a month with the contacts made from it, by household: what the page and the
/// API show. One recorded read, as [`bostotte_outreach`].
pub async fn outreach_with_contacts(
    ctx: &Ctx,
    municipality: MunicipalityId,
    month: Option<&str>,
    format: &str,
) -> UseCaseResult<(OutreachList, HashMap<HouseholdId, OutreachContact>)> {
    let list = bostotte_outreach(ctx, municipality, month, format).await?;
    let contacts = ctx.store.outreach_contacts(municipality, list.month).await?;
    Ok((list, contacts))
}

/// A household's contact from the list of `month` (none yet: `None`) and the household's
/// address, for the form that records it; the read is recorded.
pub async fn outreach_contact_form(
    ctx: &Ctx,
    household: HouseholdId,
    month: Option<&str>,
) -> UseCaseResult<(
    husly_store::search::HouseholdRef,
    husly_domain::rules::YearMonth,
    Option<OutreachContact>,
)> {
    let municipality = ctx.household_owner(household, Action::RecordOutreachContact).await?;
    let month = check_outreach_month(month, ctx.today).map_err(|e| UseCaseError::Invalid(vec![e]))?;
    let kept = ctx.store.household(municipality, household).await?;
    let address = husly_store::search::HouseholdRef {
        id: household,
        address_line: kept.address_line,
        address_protected: kept.protection.is_some(),
    };
    let contact = ctx
        .store
        .outreach_contacts(municipality, month)
        .await?
        .remove(&household);
    ctx.audit_read(
        municipality,
        "outreach.contact_view",
        ("household", household.to_string()),
        json!({ "month": month.to_string() }),
    )
    .await?;
    Ok((address, month, contact))
}

/// Records the contact with `household` from the list of `month` (replacing one recorded for
/// that month); returns its id. Bad input is refused naming each field, and nothing is kept.
pub async fn record_outreach_contact(
    ctx: &Ctx,
    household: HouseholdId,
    month: Option<&str>,
    input: &ContactInput<'_>,
) -> UseCaseResult<String> {
    let municipality = ctx.household_owner(household, Action::RecordOutreachContact).await?;
    let month = check_outreach_month(month, ctx.today);
    let fields = check_contact(input, ctx.today);
    let (month, fields) = match (month, fields) {
        (Ok(month), Ok(fields)) => (month, fields),
        (month, fields) => {
            let mut errors: Vec<_> = month.err().into_iter().collect();
            errors.extend(fields.err().unwrap_or_default());
            return Err(UseCaseError::Invalid(errors));
        }
    };
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .record_outreach_contact(municipality, household, month, &fields, &ctx.change(&actor))
        .await?)
}

/// Removes the household's contact `id`, recorded in error; returns it (the page goes back to
/// its month's list). `NotFound` for a contact not of this household.
pub async fn remove_outreach_contact(ctx: &Ctx, household: HouseholdId, id: &str) -> UseCaseResult<OutreachContact> {
    let municipality = ctx.household_owner(household, Action::RecordOutreachContact).await?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .remove_outreach_contact(municipality, household, id, &ctx.change(&actor))
        .await?)
}
