//! Equity monitoring: the year's applications at each stage by household type and main reason.

use super::contract::{equity as c, queries::MunicipalityParam};
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Path, Query, State};
use husly_domain::authz::Action;
use husly_domain::validation::FieldError;
use husly_usecases::UseCaseError;
use husly_usecases::equity;

pub async fn figures(
    State(state): State<AppState>,
    user: ApiUser,
    Path(year): Path<String>,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<Json<c::Equity>> {
    let municipality =
        municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewEquityFigures).await?;
    let year: i32 = year.trim().parse().map_err(|_| {
        UseCaseError::Invalid(vec![FieldError::new(
            "year",
            "out_of_range",
            "error.kostra.year_out_of_range",
        )])
    })?;
    let figures = equity::equity_figures(&user.ctx(&state), municipality, Some(year)).await?;
    Ok(Json(c::Equity::of(&figures)))
}
