//! Stateless calculators: nothing is read from or written to the database, so no personal data is
//! processed and no sign-in is needed (like Husbanken's own public calculators). The request body
//! limit and the JSON error format are those of the rest of the API.

use axum::Json;
use husly_domain::bostotte::{BostotteRules, Estimate, EstimateRequest};
use husly_domain::startlan::{AffordabilityInput, AffordabilityResult, StartlanRules, assess};

use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;

/// `POST /api/v1/calculators/bostotte`: a bostøtte estimate with every step and rule value used.
pub async fn bostotte(ApiJson(request): ApiJson<EstimateRequest>) -> AppResult<Json<Estimate>> {
    request
        .estimate(BostotteRules::embedded())
        .map(Json)
        .map_err(AppError::Validation)
}

/// `POST /api/v1/calculators/startlan`: a startlån affordability assessment (*betjeningsevne*)
/// with every line of the calculation and every rule value used.
pub async fn startlan(ApiJson(input): ApiJson<AffordabilityInput>) -> AppResult<Json<AffordabilityResult>> {
    assess(&input, StartlanRules::embedded())
        .map(Json)
        .map_err(AppError::Validation)
}
