//! The rest of a caseworker's handling in the JSON API: taking or releasing a case, the interim
//! answer (forvaltningsloven § 11 a), and resolving a possible duplicate. The same use cases as
//! the case page.

use super::contract::Case;
use super::contract::requests::{AssignRequest, FlagRequest, InterimRequest, PreviewRequest};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::validation::FieldError;
use husly_usecases::UseCaseError;
use husly_usecases::cases::{self as usecases, DraftDecision};

/// `POST /cases/{id}/assignment`
pub(super) async fn assign(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AssignRequest>,
) -> AppResult<Json<Case>> {
    let to = match (request.take, request.assign_to) {
        (Some(true), None) => usecases::Assignee::Me,
        (Some(false), None) => usecases::Assignee::Nobody,
        (None, Some(user)) => usecases::Assignee::Caseworker(user),
        _ => {
            return Err(UseCaseError::Invalid(vec![FieldError::new(
                "take",
                "take_or_assign_to",
                "error.api.take_or_assign_to",
            )])
            .into());
        }
    };
    let case = usecases::assign(&user.ctx(&state), path_id(&id)?, request.version, to).await?;
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

/// `POST /cases/{id}/decision-preview`: the decision letter as a PDF before it is sent, for the
/// proposal in the body or, without an outcome, for the decision waiting for approval or sending.
pub(super) async fn preview(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PreviewRequest>,
) -> AppResult<Response> {
    let draft = request.outcome.as_deref().map(|outcome| DraftDecision {
        outcome,
        reasons: request.reasons.as_deref().unwrap_or_default(),
        granted_text: request.granted_text.as_deref().unwrap_or_default(),
        amount_kr: request.amount_kr,
        conditions: request.conditions.clone(),
        section6: request.section6.map_or("", |f| f.code()),
        renew_until: request.renew_until.as_deref().unwrap_or_default(),
        transition_plan: request.transition_plan.as_deref().unwrap_or_default(),
        startlan_referral: request.startlan_referral,
    });
    let language = request.language.as_deref().unwrap_or("nb");
    let preview = usecases::preview_decision(&user.ctx(&state), path_id(&id)?, draft, language).await?;
    Ok(crate::download::pdf_inline(
        &format!("{}-utkast.pdf", preview.case.reference),
        preview.letter.pdf,
        None,
    ))
}
