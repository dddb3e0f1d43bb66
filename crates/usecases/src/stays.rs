//! Stays in temporary accommodation (sosialtjenesteloven § 27): recorded and ended on the
//! household, listed for the municipality, and counted for KOSTRA skjema 13. Pages and the API
//! both call these.

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
pub use husly_domain::stays::StayInput;
use husly_domain::stays::{Stay, StayFigures, check_end, check_stay, figures, overlap_error};
use husly_domain::validation::FieldError;
use husly_domain::{HouseholdId, MunicipalityId};
use serde_json::json;
use time::{Date, Month};

/// A household's stays, the newest first; the read is recorded.
pub async fn household_stays(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<Vec<Stay>> {
    let municipality = ctx.household_owner(household, Action::ViewTemporaryStays).await?;
    let kept = ctx.store.stays(municipality, household).await?;
    ctx.audit_read(
        municipality,
        "household.stays",
        ("household", household.to_string()),
        json!({ "stays": kept.len() }),
    )
    .await?;
    Ok(kept)
}

/// Records a stay for the household. A stay that shares a night with another of the household's
/// is refused on `from`, naming the other; nothing is written. Returns the household's stays.
pub async fn record_stay(ctx: &Ctx, household: HouseholdId, input: &StayInput<'_>) -> UseCaseResult<Vec<Stay>> {
    let municipality = ctx.household_owner(household, Action::RecordTemporaryStay).await?;
    let new = check_stay(input, ctx.today)?;
    let actor = ctx.actor(municipality);
    if let Err(other) = ctx
        .store
        .add_stay(municipality, household, &new, &ctx.change(&actor))
        .await?
    {
        return Err(UseCaseError::Invalid(vec![overlap_error("from", &other)]));
    }
    Ok(ctx.store.stays(municipality, household).await?)
}

/// Ends the household's ongoing stay `id` on `to` for `end_reason`. Returns the household's stays.
pub async fn end_stay(
    ctx: &Ctx,
    household: HouseholdId,
    id: &str,
    to: &str,
    end_reason: &str,
) -> UseCaseResult<Vec<Stay>> {
    let municipality = ctx.household_owner(household, Action::RecordTemporaryStay).await?;
    let kept = ctx.store.stays(municipality, household).await?;
    let stay = kept.iter().find(|s| s.id == id.trim()).ok_or(UseCaseError::NotFound)?;
    let (to, reason) = check_end(stay, to, end_reason)?;
    let actor = ctx.actor(municipality);
    if let Err(other) = ctx
        .store
        .end_stay(municipality, household, &stay.id, to, reason, &ctx.change(&actor))
        .await?
    {
        return Err(UseCaseError::Invalid(vec![overlap_error("to", &other)]));
    }
    Ok(ctx.store.stays(municipality, household).await?)
}

/// The municipality's stays going on today, the oldest first; the read is recorded.
pub async fn ongoing_stays(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<Stay>> {
    ctx.require(Action::ViewTemporaryStays, municipality)?;
    let tomorrow = ctx.today.next_day().unwrap_or(ctx.today);
    let ongoing: Vec<Stay> = ctx
        .store
        .stays_between(municipality, ctx.today, tomorrow)
        .await?
        .into_iter()
        .filter(|s| s.to.is_none())
        .collect();
    ctx.audit_read(
        municipality,
        "stays.list",
        ("municipality", municipality.to_string()),
        json!({ "stays": ongoing.len() }),
    )
    .await?;
    Ok(ongoing)
}

/// The figures of `year` (this year when `None`) for KOSTRA skjema 13. Counts only, so the read
/// is not recorded. A year outside 2000–2100 is refused on `year`.
pub async fn stay_figures(ctx: &Ctx, municipality: MunicipalityId, year: Option<i32>) -> UseCaseResult<StayFigures> {
    ctx.require(Action::ViewStayFigures, municipality)?;
    let year = year.unwrap_or(ctx.today.year());
    let first = |y: i32| Date::from_calendar_date(y, Month::January, 1);
    let (Ok(from), Ok(to), true) = (first(year), first(year + 1), (2000..=2100).contains(&year)) else {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "year",
            "out_of_range",
            "error.stay.year_out_of_range",
        )]));
    };
    let stays = ctx.store.stays_between(municipality, from, to).await?;
    Ok(figures(year, ctx.today, &stays))
}
