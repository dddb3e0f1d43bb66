//! Stock versus demand: the same use case as the page.

use super::contract::queries::MunicipalityParam;
use super::contract::stock::StockAndDemandAnswer;
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::i18n::Tr;
use axum::Json;
use axum::extract::{Query, State};
use husly_domain::authz::Action;
use husly_usecases::stock;

/// `GET /allocation/stock`.
pub async fn stock_and_demand(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<Json<StockAndDemandAnswer>> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewDwellings).await?;
    let ctx = user.ctx(&state);
    let table = stock::stock_and_demand(&ctx, municipality).await?;
    let tr = Tr::new(ctx.lang);
    Ok(Json(StockAndDemandAnswer::of(&table, |key| tr.t(key).to_string())))
}
