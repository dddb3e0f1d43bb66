//! The rest of a caseworker's handling in the JSON API: taking or releasing a case, the interim
//! answer (forvaltningsloven § 11 a), and resolving a possible duplicate. The same use cases as
//! the case page.

use super::contract::Case;
use super::contract::requests::{AssignRequest, FlagRequest, InterimRequest};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, State};
use husly_domain::validation::FieldError;
use husly_usecases::UseCaseError;
use husly_usecases::cases as usecases;

/// `POST /cases/{id}/assignment`
pub(super) async fn assign(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AssignRequest>,
) -> AppResult<Json<Case>> {
    let case = usecases::assign(&user.ctx(&state), path_id(&id)?, request.version, request.take).await?;
    Ok(Json(case.into()))
}

/// `POST /cases/{id}/interim-answer`: sends the interim answer as a letter.
pub(super) async fn interim(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<InterimRequest>,
) -> AppResult<Json<Case>> {
    let language = request.language.as_deref().unwrap_or_default();
    let ctx = user.ctx(&state);
    let result = usecases::send_interim_answer(
        &ctx,
        path_id(&id)?,
        request.version,
        &request.expected_by,
        &request.reason,
        language,
    )
    .await;
    // The request names the reason `reason`; the page's form calls it `interim_reason`.
    Ok(Json(result.map_err(|e| e.renamed("interim_reason", "reason"))?.into()))
}

/// `POST /cases/{id}/flags/{flag_id}`: links or dismisses a possible duplicate, with the reason.
pub(super) async fn resolve_flag(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, flag)): Path<(String, String)>,
    ApiJson(request): ApiJson<FlagRequest>,
) -> AppResult<Json<Case>> {
    let link = match request.resolution.trim() {
        "link" => true,
        "dismiss" => false,
        other => {
            let error = FieldError::unknown_value("resolution", other, &["link", "dismiss"]);
            return Err(UseCaseError::Invalid(vec![error]).into());
        }
    };
    let case = usecases::resolve_flag(&user.ctx(&state), path_id(&id)?, &flag, link, &request.reason).await?;
    Ok(Json(case.into()))
}
