//! The bostøtte outreach list: tenants of municipal dwellings who likely qualify for bostøtte
//! but have none registered. One run is one recorded read of the municipality's tenancies.

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::MunicipalityId;
use husly_domain::authz::Action;
use husly_domain::bostotte::{OutreachList, check_outreach_month};
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
