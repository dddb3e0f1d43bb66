//! KOSTRA skjema 13: the year's figures beside the year before, with the data-quality warnings
//! to clear before submission. Pages (the page and its CSV) and the API call this.

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::MunicipalityId;
use husly_domain::authz::Action;
use husly_domain::kostra_form::{Compared, Form13, as_of, compare, compute};
use husly_domain::validation::FieldError;
use serde_json::json;
use time::{Date, Month};

/// The figures of a year and of the year before.
#[derive(Debug, Clone)]
pub struct KostraFigures {
    pub this: Form13,
    pub previous: Form13,
    pub rows: Vec<Compared>,
    /// The warnings carry the cases behind them (the caller may see cases; the read is
    /// recorded). Otherwise they hold counts only.
    pub with_cases: bool,
}

/// The year shown when none is asked for: the year before until the corrected figures are due
/// in June (SSB publishes preliminary figures in March and corrected ones in June), this year
/// from July.
pub fn default_year(today: Date) -> i32 {
    if today.month() <= Month::June {
        today.year() - 1
    } else {
        today.year()
    }
}

fn year_error() -> UseCaseError {
    UseCaseError::Invalid(vec![FieldError::new(
        "year",
        "out_of_range",
        "error.kostra.year_out_of_range",
    )])
}

/// The year's figures (see [`default_year`] when `None`), counted to 31 December or, for this
/// year, to today. The counts are not personal data; the case references in the warnings are,
/// so they are given only when `cases` is asked for and the caller may see cases, and that
/// read is recorded (`kostra.cases`). A year before 2000 or after this one is refused on `year`.
pub async fn kostra_figures(
    ctx: &Ctx,
    municipality: MunicipalityId,
    year: Option<i32>,
    cases: bool,
) -> UseCaseResult<KostraFigures> {
    ctx.require(Action::ViewKostraFigures, municipality)?;
    let year = year.unwrap_or(default_year(ctx.today));
    if !(2000..=ctx.today.year()).contains(&year) {
        return Err(year_error());
    }
    let until = as_of(year, ctx.today).ok_or_else(year_error)?;
    let facts = ctx.store.kostra_facts(municipality, until).await?;
    let stays_of = |y: i32| async move {
        let first = |y: i32| Date::from_calendar_date(y, Month::January, 1);
        match (first(y), first(y + 1)) {
            (Ok(from), Ok(to)) => Ok(ctx.store.stays_between(municipality, from, to).await?),
            _ => Err(year_error()),
        }
    };
    let this_stays = stays_of(year).await?;
    let previous_stays = stays_of(year - 1).await?;
    let mut this = compute(year, ctx.today, &facts, &this_stays).ok_or_else(year_error)?;
    let mut previous = compute(year - 1, ctx.today, &facts, &previous_stays).ok_or_else(year_error)?;
    // The year before is shown for its figures; its warnings were that year's to clear.
    previous.warnings.clear();
    let with_cases = cases && ctx.require(Action::ViewCase, municipality).is_ok();
    if with_cases {
        let listed: usize = this.warnings.iter().map(|w| w.cases.len()).sum();
        ctx.audit_read(
            municipality,
            "kostra.cases",
            ("municipality", municipality.to_string()),
            json!({ "year": year, "cases": listed }),
        )
        .await?;
    } else {
        for warning in &mut this.warnings {
            warning.cases.clear();
        }
    }
    let rows = compare(&this, &previous);
    Ok(KostraFigures {
        this,
        previous,
        rows,
        with_cases,
    })
}
