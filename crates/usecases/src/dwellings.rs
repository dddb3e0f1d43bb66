//! The dwelling register: the housing manager registers, changes, takes out of use and restores
//! dwellings; a property-management system keeps them in sync by its own id. A dwelling is not
//! personal data, so reading the register is not an audited read; every change is an event and
//! an audit entry. Pages and the API both call these.

use husly_domain::MunicipalityId;
use husly_domain::allocation::dwelling::{
    DwellingInput, DwellingStatus, StatusChange, ValidDwelling, check_status_change, validate_dwelling,
};
use husly_domain::allocation::dwelling_import;
use husly_domain::authz::Action;
use husly_domain::postal::PostalRegister;
use husly_domain::validation::{Errors, FieldError};
use husly_store::StoreError;
use husly_store::dwellings::{Dwelling, DwellingEvent, DwellingFilter, DwellingPage, ImportCounts, Upserted};

use crate::{Ctx, UseCaseError, UseCaseResult, tabular};

/// The register as listed: a page of dwellings and how many there are of each status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    pub page: DwellingPage,
    pub counts: Vec<(DwellingStatus, i64)>,
}

/// One dwelling with its history.
#[derive(Debug, Clone, PartialEq)]
pub struct DwellingView {
    pub municipality: MunicipalityId,
    pub dwelling: Dwelling,
    pub events: Vec<DwellingEvent>,
}

/// The first status of a new dwelling, as typed: a status code and the day it applies from
/// (blank: today).
#[derive(Debug, Clone, Default)]
pub struct FirstStatus<'a> {
    pub status: &'a str,
    pub from: &'a str,
}

/// A status change as typed.
#[derive(Debug, Clone, Default)]
pub struct StatusInput<'a> {
    pub status: &'a str,
    pub from: &'a str,
    pub reason: &'a str,
}

/// The statuses a new dwelling can start in (let comes only from a tenancy).
pub const FIRST_STATUSES: [DwellingStatus; 3] = [
    DwellingStatus::Vacant,
    DwellingStatus::UnderRepair,
    DwellingStatus::Reserved,
];

/// The municipality owning a dwelling, once the caller may perform `action` there.
async fn dwelling_owner(ctx: &Ctx, id: &str, action: Action) -> UseCaseResult<MunicipalityId> {
    let owner = ctx
        .store
        .dwelling_municipality(id.trim())
        .await?
        .ok_or(UseCaseError::NotFound)?;
    ctx.require(action, owner)?;
    Ok(owner)
}

fn checked(input: &DwellingInput) -> UseCaseResult<ValidDwelling> {
    validate_dwelling(input, PostalRegister::embedded(), "").map_err(UseCaseError::Invalid)
}

/// A taken external id is the user's to fix, on that field.
fn external_id_taken(error: StoreError) -> UseCaseError {
    match error {
        StoreError::Duplicate(_) => UseCaseError::Invalid(vec![FieldError::new(
            "external_id",
            "external_id_taken",
            "error.dwelling.external_id_taken",
        )]),
        other => other.into(),
    }
}

fn date_or_today(ctx: &Ctx, errors: &mut Errors, field: &str, text: &str) -> Option<time::Date> {
    if text.trim().is_empty() {
        Some(ctx.today)
    } else {
        errors.optional_date(field, text)
    }
}

/// A page of the municipality's register.
pub async fn register(ctx: &Ctx, municipality: MunicipalityId, filter: &DwellingFilter) -> UseCaseResult<Register> {
    ctx.require(Action::ViewDwellings, municipality)?;
    Ok(Register {
        page: ctx.store.dwellings(municipality, filter).await?,
        counts: ctx.store.dwelling_status_counts(municipality).await?,
    })
}

/// One dwelling and its history.
pub async fn dwelling(ctx: &Ctx, id: &str) -> UseCaseResult<DwellingView> {
    let municipality = dwelling_owner(ctx, id, Action::ViewDwellings).await?;
    Ok(DwellingView {
        municipality,
        dwelling: ctx.store.dwelling(municipality, id.trim()).await?,
        events: ctx.store.dwelling_events(municipality, id.trim()).await?,
    })
}

/// The dwelling as kept, for the form that changes it.
pub async fn dwelling_to_edit(ctx: &Ctx, id: &str) -> UseCaseResult<Dwelling> {
    let municipality = dwelling_owner(ctx, id, Action::ManageDwellings).await?;
    Ok(ctx.store.dwelling(municipality, id.trim()).await?)
}

/// Registers a dwelling. Returns its id.
pub async fn register_dwelling(
    ctx: &Ctx,
    municipality: MunicipalityId,
    input: &DwellingInput,
    first: &FirstStatus<'_>,
) -> UseCaseResult<String> {
    ctx.require(Action::ManageDwellings, municipality)?;
    let details = validate_dwelling(input, PostalRegister::embedded(), "");
    let mut errors = Errors(details.as_ref().err().cloned().unwrap_or_default());
    let status = match DwellingStatus::from_code(first.status.trim()) {
        Some(status) if FIRST_STATUSES.contains(&status) => Some(status),
        _ if first.status.trim().is_empty() => Some(DwellingStatus::Vacant),
        _ => {
            let codes: Vec<&str> = FIRST_STATUSES.iter().map(|s| s.code()).collect();
            errors.push(FieldError::unknown_value("status", first.status, &codes));
            None
        }
    };
    let from = date_or_today(ctx, &mut errors, "status_from", first.from);
    let (Ok(details), Some(status), Some(from), true) = (details, status, from, errors.is_empty()) else {
        return Err(UseCaseError::Invalid(errors.0));
    };
    let actor = ctx.actor(municipality);
    ctx.store
        .create_dwelling(municipality, &details, status, from, &ctx.change(&actor))
        .await
        .map_err(external_id_taken)
}

/// Changes a dwelling's facts, if nobody changed it since `version` was read.
pub async fn update_dwelling(ctx: &Ctx, id: &str, version: i64, input: &DwellingInput) -> UseCaseResult<()> {
    let municipality = dwelling_owner(ctx, id, Action::ManageDwellings).await?;
    let details = checked(input)?;
    let actor = ctx.actor(municipality);
    ctx.store
        .update_dwelling(municipality, id.trim(), version, &details, &ctx.change(&actor))
        .await
        .map_err(external_id_taken)
}

/// Sets a dwelling's status: vacant from a day, under repair, reserved, or out of use. Taking it
/// out of use needs a reason; setting it vacant again undoes that.
pub async fn set_status(ctx: &Ctx, id: &str, version: i64, input: &StatusInput<'_>) -> UseCaseResult<()> {
    let municipality = dwelling_owner(ctx, id, Action::ManageDwellings).await?;
    let current = ctx.store.dwelling(municipality, id.trim()).await?;
    if current.version != version {
        return Err(UseCaseError::Conflict);
    }
    let mut errors = Errors::default();
    let status = DwellingStatus::from_code(input.status.trim());
    if status.is_none() {
        errors.push(FieldError::unknown_value(
            "status",
            input.status,
            &DwellingStatus::codes(),
        ));
    }
    let from = date_or_today(ctx, &mut errors, "from", input.from);
    let reason = errors.optional_text("reason", input.reason);
    let (Some(status), Some(from), true) = (status, from, errors.is_empty()) else {
        return Err(UseCaseError::Invalid(errors.0));
    };
    let change = StatusChange { status, from, reason };
    check_status_change(current.status, current.status_from, &change)
        .map_err(|refusal| UseCaseError::Invalid(vec![refusal.field_error()]))?;
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = change.reason.as_deref();
    Ok(ctx
        .store
        .set_dwelling_status(municipality, id.trim(), version, &change, &who)
        .await?)
}

/// Removes a dwelling from the register (registered by mistake, or gone from the PMS) with a
/// reason; `restore_dwelling` undoes it.
pub async fn delete_dwelling(ctx: &Ctx, id: &str, version: i64, reason: &str) -> UseCaseResult<()> {
    let municipality = dwelling_owner(ctx, id, Action::ManageDwellings).await?;
    let mut errors = Errors::default();
    let Some(reason) = errors.required_text("reason", reason) else {
        return Err(UseCaseError::Invalid(errors.0));
    };
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some(&reason);
    Ok(ctx
        .store
        .set_dwelling_deleted(municipality, id.trim(), Some(version), true, &who)
        .await?)
}

/// Puts a removed dwelling back in the register.
pub async fn restore_dwelling(ctx: &Ctx, id: &str, version: i64) -> UseCaseResult<()> {
    let municipality = dwelling_owner(ctx, id, Action::ManageDwellings).await?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .set_dwelling_deleted(municipality, id.trim(), Some(version), false, &ctx.change(&actor))
        .await?)
}

/// A property-management system's sync of one dwelling by its own id: created, updated,
/// restored or unchanged (the same call twice changes nothing the second time).
pub async fn sync_dwelling(
    ctx: &Ctx,
    municipality: MunicipalityId,
    external_id: &str,
    input: &DwellingInput,
) -> UseCaseResult<(Dwelling, Upserted)> {
    ctx.require(Action::ManageDwellings, municipality)?;
    let input = DwellingInput {
        external_id: external_id.trim().to_string(),
        ..input.clone()
    };
    let details = checked(&input)?;
    if details.external_id.is_none() {
        return Err(UseCaseError::Invalid(vec![FieldError::required("external_id")]));
    }
    let actor = ctx.actor(municipality);
    let (id, outcome) = ctx
        .store
        .upsert_dwelling(municipality, &details, ctx.today, &ctx.change(&actor))
        .await?;
    Ok((ctx.store.dwelling(municipality, &id).await?, outcome))
}

/// The dwelling a property-management system knows by `external_id`.
pub async fn synced_dwelling(ctx: &Ctx, municipality: MunicipalityId, external_id: &str) -> UseCaseResult<Dwelling> {
    ctx.require(Action::ViewDwellings, municipality)?;
    ctx.store
        .dwelling_by_external_id(municipality, external_id.trim())
        .await?
        .ok_or(UseCaseError::NotFound)
}

/// A property-management system's soft delete by its own id (a later sync restores it).
pub async fn delete_synced_dwelling(ctx: &Ctx, municipality: MunicipalityId, external_id: &str) -> UseCaseResult<()> {
    ctx.require(Action::ManageDwellings, municipality)?;
    let found = ctx
        .store
        .dwelling_by_external_id(municipality, external_id.trim())
        .await?
        .ok_or(UseCaseError::NotFound)?;
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some("api");
    Ok(ctx
        .store
        .set_dwelling_deleted(municipality, &found.id, None, true, &who)
        .await?)
}

/// Imports dwellings from a CSV or XLSX file: every row is checked first, and only when all are
/// good is anything saved, in one transaction (rows with a known external id update that
/// dwelling). A refused file comes back as field errors named `rows[N].field` (N the row as the
/// spreadsheet shows it), `columns[C]` or `file`; at most
/// [`dwelling_import::MAX_REPORTED_ERRORS`] of them, with a last one telling how many more.
pub async fn import_dwellings(
    ctx: &Ctx,
    municipality: MunicipalityId,
    file_name: &str,
    bytes: &[u8],
) -> UseCaseResult<ImportCounts> {
    ctx.require(Action::ManageDwellings, municipality)?;
    let table = tabular::read_table(file_name, bytes).map_err(tabular::unreadable)?;
    let rows = dwelling_import::check_dwelling_rows(&table.header, &table.rows, PostalRegister::embedded())
        .map_err(tabular::refused)?;
    let rows: Vec<ValidDwelling> = rows.into_iter().map(|(_, d)| d).collect();
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .import_dwellings(municipality, &rows, ctx.today, &ctx.change(&actor))
        .await?)
}
