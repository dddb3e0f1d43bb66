//! The waiting list in priority order, the proposal for the current vacancies, and importing
//! dwellings from a file: the same use cases as the pages.

use super::contract::allocation as c;
use super::contract::queries::{MunicipalityParam, WaitingListParams};
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::i18n::Tr;
use axum::Json;
use axum::extract::{Query, State};
use husly_domain::authz::Action;
use husly_usecases::{dwellings, waiting_list};

/// `GET /waiting-list`.
pub async fn waiting(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<WaitingListParams>,
) -> AppResult<Json<c::WaitingList>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewCase).await?;
    let ctx = user.ctx(&state);
    let list = waiting_list::waiting_list(&ctx, municipality, params.offset.unwrap_or(0)).await?;
    let tr = Tr::new(ctx.lang);
    Ok(Json(c::WaitingList::of(&list, |m| tr.message(m), ctx.lang)))
}

/// `GET /allocation/proposal`.
pub async fn proposal(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<Json<c::AllocationProposal>> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewCase).await?;
    let ctx = user.ctx(&state);
    let preview = waiting_list::allocation_preview(&ctx, municipality).await?;
    let tr = Tr::new(ctx.lang);
    Ok(Json(c::AllocationProposal::of(&preview, |m| tr.message(m))))
}

/// `POST /dwellings/import`: a CSV or XLSX file in the multipart part `file`; all rows or none.
pub async fn import(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
    request: axum::extract::Request,
) -> AppResult<Json<c::ImportResult>> {
    // Who may import is settled before the body is read.
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ManageDwellings).await?;
    let upload = crate::upload::read_request(request).await?;
    let counts = dwellings::import_dwellings(&user.ctx(&state), municipality, &upload.filename, &upload.bytes).await?;
    Ok(Json(c::ImportResult {
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
    }))
}
