//! Equity monitoring: how the year's applications for municipal housing fare at each stage by
//! household type and main reason. Aggregates with small numbers suppressed, so the read is not
//! recorded. Pages (the page and its CSV) and the API call this.

use crate::kostra_form::default_year;
use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::MunicipalityId;
use husly_domain::authz::Action;
use husly_domain::equity::{Equity, compute};
use husly_domain::validation::FieldError;

fn year_error() -> UseCaseError {
    UseCaseError::Invalid(vec![FieldError::new(
        "year",
        "out_of_range",
        "error.kostra.year_out_of_range",
    )])
}

/// The equity tables of the applications received in `year` (the KOSTRA default year when
/// `None`), as known today. A year before 2000 or after this one is refused on `year`.
pub async fn equity_figures(ctx: &Ctx, municipality: MunicipalityId, year: Option<i32>) -> UseCaseResult<Equity> {
    ctx.require(Action::ViewEquityFigures, municipality)?;
    let year = year.unwrap_or(default_year(ctx.today));
    if !(2000..=ctx.today.year()).contains(&year) {
        return Err(year_error());
    }
    let facts = ctx.store.equity_facts(municipality, year, ctx.today).await?;
    compute(year, ctx.today, &facts).ok_or_else(year_error)
}
