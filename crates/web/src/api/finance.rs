//! The API for startlån and grant cases (the economy, the affordability test, payments, the
//! ledger) and for the yearly grant budget. Checks are the case page's own.

use axum::Json;
use axum::extract::{Path, Query, State};
use husly_domain::authz::Action;
use husly_domain::finance::CaseFinance;
use husly_domain::startlan::StartlanRules;
use husly_domain::validation::FieldError;
use husly_store::cases::Case;
use husly_store::households::Change;
use serde::Deserialize;
use serde_json::{Value, json};

use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use crate::pages::cases::view::affordability_of;
use crate::pages::path_id;

fn change<'a>(user: &'a ApiUser, actor: &'a husly_store::audit::Actor) -> Change<'a> {
    Change {
        actor,
        user: Some(user.user.id),
        reason: None,
    }
}

async fn case_in(state: &AppState, user: &ApiUser, raw: &str, action: Action) -> AppResult<Case> {
    let id = path_id(raw)?;
    let municipality = user.case_owner(&state.store, id, action).await?;
    Ok(state.store.case(municipality, id).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FinanceRequest {
    version: i64,
    finance: CaseFinance,
}

/// `PUT /cases/{id}/finance`: records the case's economy; answers with the case and, for a
/// startlån, the affordability test.
pub(super) async fn save(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<FinanceRequest>,
) -> AppResult<Json<Value>> {
    let case = case_in(&state, &user, &id, Action::HandleCase).await?;
    if !request.finance.fits(case.case_type) {
        return Err(AppError::Validation(vec![FieldError::new(
            "finance.kind",
            "wrong_kind",
            format!("Økonomien passer ikke til en sak av typen «{}».", case.case_type.code()),
            format!(
                "This economy does not belong to a case of type “{}”.",
                case.case_type.code()
            ),
        )]));
    }
    request.finance.validate(StartlanRules::embedded()).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|mut e| {
                    e.field = format!("finance.{}", e.field);
                    e
                })
                .collect(),
        )
    })?;
    let actor = user.actor(Some(case.municipality_id), "case_handling");
    state
        .store
        .save_case_finance(
            case.municipality_id,
            case.id,
            request.version,
            &request.finance,
            &change(&user, &actor),
        )
        .await?;
    let case = state.store.case(case.municipality_id, case.id).await?;
    let affordability = affordability_of(&case);
    Ok(Json(json!({ "case": case, "affordability": affordability })))
}

/// `GET /cases/{id}/ledger`: a grant case's entries and what is committed and not paid.
pub(super) async fn ledger(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let case = case_in(&state, &user, &id, Action::ViewCase).await?;
    let entries = state.store.case_ledger(case.municipality_id, case.id).await?;
    user.audit_read(
        &state.store,
        case.municipality_id,
        "grant_ledger.view",
        ("case", case.id.to_string()),
        json!({ "via": "api" }),
    )
    .await?;
    let outstanding = husly_domain::finance::outstanding(entries.iter().map(|e| husly_domain::finance::Entry {
        kind: e.kind,
        amount_ore: e.amount_ore,
    }));
    Ok(Json(json!({ "entries": entries, "outstanding_ore": outstanding })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PaymentRequest {
    version: i64,
    amount_kr: i64,
    /// `DD.MM.YYYY` or `YYYY-MM-DD`.
    paid_on: String,
    #[serde(default)]
    note: String,
}

/// `POST /cases/{id}/payments`: registers a payment of a granted grant.
pub(super) async fn pay(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PaymentRequest>,
) -> AppResult<Json<Case>> {
    let case = case_in(&state, &user, &id, Action::HandleCase).await?;
    let (amount_ore, paid_on, note) =
        crate::pages::cases::finance::check_payment(&request.amount_kr.to_string(), &request.paid_on, &request.note)
            .map_err(|errors| {
                AppError::Validation(
                    errors
                        .into_iter()
                        .map(|mut e| {
                            e.field = e.field.trim_start_matches("payment.").to_string();
                            e
                        })
                        .collect(),
                )
            })?;
    let actor = user.actor(Some(case.municipality_id), "case_handling");
    state
        .store
        .register_grant_payment(
            case.municipality_id,
            case.id,
            request.version,
            amount_ore,
            paid_on,
            &note,
            &change(&user, &actor),
        )
        .await?;
    Ok(Json(state.store.case(case.municipality_id, case.id).await?))
}

#[derive(Debug, Deserialize)]
pub(super) struct BudgetParams {
    municipality: Option<String>,
    year: Option<i32>,
}

/// `GET /grants/budget?year=2026`: per grant the allocation, committed, paid and remaining, and
/// startlån granted the same year.
pub(super) async fn budget(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<BudgetParams>,
) -> AppResult<Json<Value>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewGrantBudget).await?;
    let year = params.year.unwrap_or_else(|| time::OffsetDateTime::now_utc().year());
    let grants = state.store.grant_budget(municipality, year).await?;
    let startlan = state.store.startlan_year(municipality, year).await?;
    Ok(Json(json!({ "year": year, "grants": grants, "startlan": startlan })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AllocationRequest {
    allocated_kr: i64,
    #[serde(default)]
    note: String,
    #[serde(default)]
    municipality: Option<String>,
}

/// `PUT /grants/budget/{year}/{grant}`: sets a grant's allocation for a year.
pub(super) async fn set_allocation(
    State(state): State<AppState>,
    user: ApiUser,
    Path((year, grant)): Path<(String, String)>,
    ApiJson(request): ApiJson<AllocationRequest>,
) -> AppResult<Json<Value>> {
    let municipality = municipality_for(
        &state,
        &user,
        request.municipality.as_deref(),
        Action::ManageGrantBudget,
    )
    .await?;
    let (grant, year, allocated_ore) =
        crate::pages::cases::budget::check_allocation(&grant, &year, &request.allocated_kr.to_string())
            .map_err(AppError::Validation)?;
    let note = request.note.trim();
    if note.chars().count() > husly_domain::validation::MAX_TEXT_LEN {
        return Err(AppError::Validation(vec![FieldError::too_long(
            "note",
            husly_domain::validation::MAX_TEXT_LEN,
        )]));
    }
    let actor = user.actor(Some(municipality), "grant_budget");
    state
        .store
        .set_grant_allocation(municipality, year, grant, allocated_ore, note, &change(&user, &actor))
        .await?;
    let grants = state.store.grant_budget(municipality, year).await?;
    let line = grants.into_iter().find(|l| l.grant_type == grant);
    Ok(Json(json!({ "year": year, "grant": line })))
}
