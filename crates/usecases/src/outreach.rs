//! The bostøtte outreach list: tenants of municipal dwellings who likely qualify for bostøtte
//! but have none registered, and the contacts made with them from the list. The list of a month
//! is made from every tenancy (each night for this month, and when a user asks) and kept; each
//! view of it is a recorded read.

use std::collections::HashMap;

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::bostotte::check_outreach_month;
use husly_domain::bostotte::contact::{ContactInput, check_contact};
use husly_domain::rules::YearMonth;
use husly_domain::{HouseholdId, MunicipalityId};
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::municipalities::Municipality;
use husly_store::outreach_contacts::OutreachContact;
use husly_store::outreach_lists::KeptOutreachList;
use serde_json::json;
use time::Date;

/// The daily job that makes each municipality's list of the month (see [`make_outreach_lists`]).
pub const OUTREACH_LIST_JOB: &str = "outreach_lists";

/// Kept lists of months this far back stay; older ones are forgotten by the nightly job.
pub const MONTHS_KEPT: usize = 12;

/// The list of `month` (`yyyy-mm`; this month when empty) as last made, with at most `limit` of
/// its households (all when `None`); `format` says how it is handed over (`page`, `csv`, `xlsx`,
/// `json`) and is recorded with the read. A month no list was made for yet is made now, as the
/// caller. The nightly job makes this month's list again each night; [`make_outreach_list`]
/// does it at once.
pub async fn bostotte_outreach(
    ctx: &Ctx,
    municipality: MunicipalityId,
    month: Option<&str>,
    format: &str,
    limit: Option<usize>,
) -> UseCaseResult<KeptOutreachList> {
    ctx.require(Action::RunOutreach, municipality)?;
    let month = check_outreach_month(month, ctx.today).map_err(|e| UseCaseError::Invalid(vec![e]))?;
    let kept = match ctx.store.kept_outreach_list(municipality, month, limit).await? {
        Some(kept) => kept,
        None => {
            make_and_keep(ctx, municipality, month).await?;
            kept_list(ctx, municipality, month, limit).await?
        }
    };
    ctx.audit_read(
        municipality,
        "outreach.bostotte",
        ("municipality", municipality.to_string()),
        json!({ "month": month.to_string(), "households": kept.households, "format": format }),
    )
    .await?;
    Ok(kept)
}

/// Makes the list of `month` again from the tenancies as they are now, replacing the kept one
/// (the read of every tenancy is recorded with the list made). Returns it without households:
/// the caller goes back to the list.
pub async fn make_outreach_list(
    ctx: &Ctx,
    municipality: MunicipalityId,
    month: Option<&str>,
) -> UseCaseResult<KeptOutreachList> {
    ctx.require(Action::RunOutreach, municipality)?;
    let month = check_outreach_month(month, ctx.today).map_err(|e| UseCaseError::Invalid(vec![e]))?;
    make_and_keep(ctx, municipality, month).await?;
    kept_list(ctx, municipality, month, Some(0)).await
}

/// Reads every tenancy of the municipality in force in `month`, estimates it and keeps the list,
/// as the caller.
async fn make_and_keep(ctx: &Ctx, municipality: MunicipalityId, month: YearMonth) -> UseCaseResult<()> {
    let found = ctx
        .user
        .municipalities
        .iter()
        .find(|m| m.id == municipality)
        .ok_or(UseCaseError::NotFound)?;
    let actor = ctx.actor(municipality);
    make_list(&ctx.store, found, month, &ctx.change(&actor)).await?;
    Ok(())
}

/// Reads the municipality's tenancies for `month`, estimates them and keeps the list, noting
/// when the reading began; returns the households on it.
async fn make_list(
    store: &Store,
    municipality: &Municipality,
    month: YearMonth,
    change: &Change<'_>,
) -> UseCaseResult<usize> {
    let read_from = husly_store::now_micros();
    let list = store.bostotte_outreach(municipality, month).await?;
    store
        .keep_outreach_list(municipality.id, &list, read_from, change)
        .await?;
    Ok(list.candidates.len())
}

async fn kept_list(
    ctx: &Ctx,
    municipality: MunicipalityId,
    month: YearMonth,
    limit: Option<usize>,
) -> UseCaseResult<KeptOutreachList> {
    // Just kept: gone only if another request removed it in between, which nothing does.
    ctx.store
        .kept_outreach_list(municipality, month, limit)
        .await?
        .ok_or(UseCaseError::NotFound)
}

/// What the nightly job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutreachListRun {
    pub municipalities: usize,
    /// Households on the lists made, together.
    pub households: usize,
}

/// The nightly job: makes every municipality's list of this month from the tenancies as they
/// are (so the page shows last night's list), and forgets lists more than [`MONTHS_KEPT`]
/// months old. No user reads the list here: the audit log records each list made.
pub async fn make_outreach_lists(store: &Store, today: Date) -> UseCaseResult<OutreachListRun> {
    let actor = Actor::system(OUTREACH_LIST_JOB);
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    let month = YearMonth::of(today);
    let oldest = (0..MONTHS_KEPT).fold(month, |m, _| m.previous());
    let mut run = OutreachListRun::default();
    for municipality in store.municipalities().await? {
        run.households += make_list(store, &municipality, month, &change).await?;
        store.forget_outreach_lists_before(municipality.id, oldest).await?;
        run.municipalities += 1;
    }
    Ok(run)
}

/// The list of a month with the contacts made from it, by household: what the page and the
/// API show. One recorded read, as [`bostotte_outreach`].
pub async fn outreach_with_contacts(
    ctx: &Ctx,
    municipality: MunicipalityId,
    month: Option<&str>,
    format: &str,
    limit: Option<usize>,
) -> UseCaseResult<(KeptOutreachList, HashMap<HouseholdId, OutreachContact>)> {
    let kept = bostotte_outreach(ctx, municipality, month, format, limit).await?;
    let contacts = ctx.store.outreach_contacts(municipality, kept.list.month).await?;
    Ok((kept, contacts))
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
