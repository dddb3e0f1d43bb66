//! The rent ledger: the same use cases as the ledger page. An import is all rows or none (422
//! naming each bad row); the arrears list names households, so its read is audited.

use super::contract::ledger as c;
use super::contract::queries::MunicipalityParam;
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Query, State};
use husly_domain::authz::Action;
use husly_usecases::ledger;

/// `POST /tenancies/ledger`: a CSV or XLSX file in the multipart part `file`; all rows or none.
pub async fn import(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
    request: axum::extract::Request,
) -> AppResult<Json<c::LedgerImportResult>> {
    // Who may import is settled before the body is read.
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ManageTenancies).await?;
    let upload = crate::upload::read_request(request).await?;
    let done = ledger::import_ledger(&user.ctx(&state), municipality, &upload.filename, &upload.bytes).await?;
    Ok(Json(c::LedgerImportResult::of(&done)))
}

/// `GET /tenancies/arrears`
pub async fn arrears(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<Json<c::ArrearsList>> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewTenancies).await?;
    let list = ledger::arrears_list(&user.ctx(&state), municipality).await?;
    Ok(Json(c::ArrearsList::of(&list)))
}
