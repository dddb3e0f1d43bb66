//! Appeals in the JSON API, each step an operation of its own: register an appeal against the
//! sent decision, uphold the decision and forward the appeal to the appeal body, and record what
//! the appeal body decided. (Reversing on appeal is a new proposal: `POST …/decisions`.) The same
//! use case as the case page's buttons.

use super::contract::Case;
use super::contract::requests::{AppealRegistration, AppealStep, OutcomeRequest};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, State};
use husly_domain::validation::FieldError;
use husly_usecases::UseCaseError;
use husly_usecases::cases::{self as usecases, StepInput};

async fn step(state: &AppState, user: &ApiUser, id: &str, input: StepInput<'_>) -> AppResult<Json<Case>> {
    Ok(Json(
        usecases::take_step(&user.ctx(state), path_id(id)?, input).await?.into(),
    ))
}

/// A step of the appeal that needs only the version and, perhaps, a note.
fn plain<'a>(step: &'a str, version: i64, reason: &'a str) -> StepInput<'a> {
    StepInput {
        version,
        step,
        reason,
        information_due: "",
        language: "",
        expiry_reason: "",
        confirmed: false,
        appeal_sent_on: "",
        appeal_channel: "",
    }
}

/// `POST /cases/{id}/appeals`: registers an appeal against the sent decision.
pub(super) async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AppealRegistration>,
) -> AppResult<Json<Case>> {
    let input = StepInput {
        appeal_sent_on: &request.appeal_sent_on,
        appeal_channel: &request.appeal_channel,
        ..plain(
            "register_appeal",
            request.version,
            request.reason.as_deref().unwrap_or_default(),
        )
    };
    step(&state, &user, &id, input).await
}

/// `POST /cases/{id}/appeals/forward`: the municipality upholds its decision and forwards the
/// appeal with the case file to the appeal body.
pub(super) async fn forward(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AppealStep>,
) -> AppResult<Json<Case>> {
    let input = plain(
        "uphold_and_forward",
        request.version,
        request.reason.as_deref().unwrap_or_default(),
    );
    step(&state, &user, &id, input).await
}

/// The appeal body's outcomes and the step each records.
const OUTCOMES: [(&str, &str); 3] = [
    ("upheld", "appeal_upheld"),
    ("reversed", "appeal_reversed"),
    ("returned", "appeal_returned"),
];

/// `POST /cases/{id}/appeals/outcome`: records what the appeal body decided.
pub(super) async fn outcome(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<OutcomeRequest>,
) -> AppResult<Json<Case>> {
    let outcome = request.outcome.trim();
    let Some((_, name)) = OUTCOMES.iter().find(|(code, _)| *code == outcome) else {
        let allowed = OUTCOMES.map(|(code, _)| code);
        return Err(UseCaseError::Invalid(vec![FieldError::unknown_value("outcome", outcome, &allowed)]).into());
    };
    let input = plain(name, request.version, request.reason.as_deref().unwrap_or_default());
    step(&state, &user, &id, input).await
}
