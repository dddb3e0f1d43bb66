//! Stateless calculators: nothing is written and no personal data is read, so no sign-in is
//! needed (like Husbanken's own public calculators). The startlån calculator reads one thing, a
//! municipality's reference budget (municipal rule data) when `?municipality=` names one. The
//! request body limit and the JSON error format are those of the rest of the API.

use axum::Json;
use axum::extract::{Query, State};
use husly_domain::bostotte::{BostotteRules, Estimate, EstimateRequest};
use husly_domain::startlan::{AffordabilityInput, AffordabilityResult, StartlanRules, assess_with_reference};
use husly_domain::validation::FieldError;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;

/// `POST /api/v1/calculators/bostotte`: a bostøtte estimate with every step and rule value used.
pub async fn bostotte(ApiJson(request): ApiJson<EstimateRequest>) -> AppResult<Json<Estimate>> {
    request
        .estimate(BostotteRules::embedded())
        .map(Json)
        .map_err(AppError::Validation)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartlanParams {
    /// Kommunenummer (four digits): use that municipality's reference budget (SIFO) in force in
    /// the month, if it has entered one.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
}

/// `POST /api/v1/calculators/startlan`: a startlån affordability assessment (*betjeningsevne*)
/// with every line of the calculation and every rule value used.
pub async fn startlan(
    State(state): State<AppState>,
    Query(params): Query<StartlanParams>,
    ApiJson(input): ApiJson<AffordabilityInput>,
) -> AppResult<Json<AffordabilityResult>> {
    let reference = match params.municipality.as_deref().map(str::trim) {
        Some(number) => {
            let Some(municipality) = state.store.municipality_by_number(number).await? else {
                return Err(AppError::Validation(vec![FieldError::new(
                    "municipality",
                    "unknown_municipality",
                    "error.reference_budget.unknown_municipality",
                )]));
            };
            husly_usecases::reference_budget::in_force(&state.store, municipality.id, input.month).await?
        }
        None => None,
    };
    assess_with_reference(&input, StartlanRules::embedded(), reference.as_ref())
        .map(Json)
        .map_err(AppError::Validation)
}
