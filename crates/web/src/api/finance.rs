//! The API for startlån and grant cases (the economy, the affordability test, payments, the
//! ledger) and for the yearly grant budget: the same use cases as the case page.

use super::contract::queries::BudgetParams;
use super::contract::{self, AllocationSaved, Case, CaseLedger, FinanceSaved, GrantBudget, GrantLine};
use axum::Json;
use axum::extract::{Path, Query, State};
use husly_domain::authz::Action;
use husly_domain::finance::requests::PaymentRequest;
use husly_usecases::cases::assessment::{affordability_of, reference_budget_for};
use husly_usecases::finance as usecases;

use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};

/// `PUT /cases/{id}/finance`: records the case's economy; answers with the case and, for a
/// startlån, the affordability test.
pub(super) async fn save(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<contract::requests::FinanceRequest>,
) -> AppResult<Json<FinanceSaved>> {
    let ctx = user.ctx(&state);
    let case = usecases::record_economy(&ctx, path_id(&id)?, request.version, &request.finance)
        .await
        .map_err(|e| e.nested("finance.", &[]))?;
    let reference = reference_budget_for(&ctx, case.municipality_id, &case).await?;
    let affordability = affordability_of(&case, reference.as_ref());
    Ok(Json(FinanceSaved {
        case: case.into(),
        affordability,
    }))
}

/// `GET /cases/{id}/ledger`: a grant case's entries and what is committed and not paid.
pub(super) async fn ledger(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<CaseLedger>> {
    let ledger = usecases::ledger(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(CaseLedger::from(&ledger)))
}

/// `POST /cases/{id}/payments`: registers a payment of a granted grant.
pub(super) async fn pay(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<contract::requests::PaymentRequest>,
) -> AppResult<Json<Case>> {
    let amount = request.amount_kr.to_string();
    let payment = PaymentRequest {
        amount_kr: &amount,
        paid_on: &request.paid_on,
        note: &request.note,
    };
    let case = usecases::register_payment(&user.ctx(&state), path_id(&id)?, request.version, payment).await?;
    Ok(Json(case.into()))
}

/// `GET /grants/budget?year=2026`: per grant the allocation, committed, paid and remaining, and
/// startlån granted the same year.
pub(super) async fn budget(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<BudgetParams>,
) -> AppResult<Json<GrantBudget>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewGrantBudget).await?;
    let year = params.year.unwrap_or_else(|| state.clock.this_year());
    let budget = usecases::grant_budget(&user.ctx(&state), municipality, year, 0).await?;
    Ok(Json(GrantBudget::from(&budget)))
}

/// `PUT /grants/budget/{year}/{grant}`: sets a grant's allocation for a year.
pub(super) async fn set_allocation(
    State(state): State<AppState>,
    user: ApiUser,
    Path((year, grant)): Path<(String, String)>,
    ApiJson(request): ApiJson<contract::requests::AllocationRequest>,
) -> AppResult<Json<AllocationSaved>> {
    let municipality = municipality_for(
        &state,
        &user,
        request.municipality.as_deref(),
        Action::ManageGrantBudget,
    )
    .await?;
    let allocated = request.allocated_kr.to_string();
    let ctx = user.ctx(&state);
    let (year, _, line) =
        usecases::set_allocation(&ctx, municipality, &grant, &year, &allocated, &request.note).await?;
    Ok(Json(AllocationSaved {
        year,
        grant: line.as_ref().map(GrantLine::from),
    }))
}
